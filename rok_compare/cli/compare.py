"""Commands that compare documents: align, diff, reuse, similarity.

Document text reaches the terminal only through :func:`terminal_safe` (text formats) or as JSON
with control characters escaped (:func:`json_safe`); CSV cells are guarded against spreadsheet
formulas unless ``--no-csv-guard``.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from rok_compare.cli.documents import DocumentError, NamedClauses, clauses_of, corpus_documents
from rok_compare.cli.output import (
    Progress,
    color_enabled,
    fail,
    format_choice,
    json_safe,
    report_failures,
    terminal_safe,
)
from rok_compare.model import Clause


class AlignFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    CSV = "csv"
    HTML = "html"


class DiffFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    CSV = "csv"


class MatrixFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


class MatrixBy(StrEnum):
    DOCUMENT = "document"
    COUNTY = "county"
    YEAR = "year"
    TYPE = "type"


class Measure(StrEnum):
    OVERLAP = "overlap"
    COSINE = "cosine"
    JACCARD = "jaccard"


def register(app: typer.Typer) -> None:
    """Add the comparison commands to ``app``."""
    app.command("align")(align_command)
    app.command("diff")(diff_command)
    app.command("reuse")(reuse_command)
    app.command("similarity")(similarity_command)


def _both(label: str, a: str, b: str, db: Path | None) -> tuple[NamedClauses, NamedClauses]:
    """Both documents' clauses, from the store where it holds them, else extracted from the files
    (with a progress bar should reading them take a while)."""
    with Progress(label, total=2) as progress:
        progress.update(note="reading")
        found = []
        for name in (a, b):
            try:
                found.append(clauses_of(name, db))
            except DocumentError as error:
                fail(str(error))
                raise typer.Exit(code=1) from None
            progress.update(advance=1)
        progress.update(note="comparing")
    return found[0], found[1]


def _style(no_color: bool = False):
    """Colour on a terminal unless ``--no-color`` (here or before the command) or ``NO_COLOR``; else
    plain ``[-removed-]`` / ``{+added+}`` marks."""
    from rok_compare.align.render import terminal_style

    return terminal_style(color_enabled(sys.stdout.isatty(), no_color))


def _shown(clauses: list[Clause]) -> list[Clause]:
    """Clauses whose text and section are safe to print: the renderer adds its own colour codes, so
    the document's escape sequences are removed before, not after."""
    return [dataclasses.replace(c, text=terminal_safe(c.text),
                                section=terminal_safe(c.section) if c.section else c.section) for c in clauses]


def _dumps(data: object) -> str:
    return json_safe(json.dumps(data, ensure_ascii=False, indent=2))


_HTML_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Written as character references in HTML output: the same text in a browser, inert on a terminal."""
_NO_COLOR_HELP = "No colour; changes marked [-removed-] and {+added+} (also: rok --no-color, NO_COLOR)."
_CSV_GUARD_HELP = ("Write CSV cells as they are. By default a cell starting with = + - @, tab or CR gets a "
                   "leading ' so that a spreadsheet shows it instead of running it as a formula.")


_DOCUMENT_HELP = "A file, or a stored document (its id, path or file name; read from the store, not the file)."
_DB_HELP = "The store to read stored documents from (default: $ROK_DB, else rok.db)."


def align_command(
    a: Annotated[str, typer.Argument(help=f"First document. {_DOCUMENT_HELP}")],
    b: Annotated[str, typer.Argument(help=f"Second document. {_DOCUMENT_HELP}")],
    format: Annotated[AlignFormat, typer.Option("--format", "-f", **format_choice(AlignFormat))]  # noqa: A002
    = AlignFormat.TEXT,
    no_color: Annotated[bool, typer.Option("--no-color", help=_NO_COLOR_HELP)] = False,
    no_csv_guard: Annotated[bool, typer.Option("--no-csv-guard", help=_CSV_GUARD_HELP)] = False,
    db: Annotated[Path | None, typer.Option("--db", help=_DB_HELP)] = None,
) -> None:
    """Pair the clauses of A and B: identical, edited or related, moved, split or merged."""
    from rok_compare.align import align
    from rok_compare.align.render import alignment_html, alignment_text

    doc_a, doc_b = _both("align", a, b, db)
    a, b = doc_a.label, doc_b.label
    if format is AlignFormat.TEXT:
        alignment = align(_shown(doc_a.clauses), _shown(doc_b.clauses), terminal_safe(str(a)), terminal_safe(str(b)))
        typer.echo(alignment_text(alignment, _style(no_color)), nl=False)
        return
    alignment = align(doc_a.clauses, doc_b.clauses, str(a), str(b))
    if format is AlignFormat.JSON:
        typer.echo(_dumps(alignment.to_dict()))
    elif format is AlignFormat.CSV:
        from rok_compare.align.revisions import document_order

        typer.echo(_entries_csv(document_order(alignment), guard=not no_csv_guard, revision=False), nl=False)
    else:
        typer.echo(_HTML_UNSAFE.sub(lambda m: f"&#x{ord(m.group()):x};", alignment_html(alignment)), nl=False)


def diff_command(
    old: Annotated[str, typer.Argument(help=f"Older version of an agreement. {_DOCUMENT_HELP}")],
    new: Annotated[str, typer.Argument(help=f"Newer version of the same agreement. {_DOCUMENT_HELP}")],
    format: Annotated[DiffFormat, typer.Option("--format", "-f", **format_choice(DiffFormat))]  # noqa: A002
    = DiffFormat.TEXT,
    no_color: Annotated[bool, typer.Option("--no-color", help=_NO_COLOR_HELP)] = False,
    no_csv_guard: Annotated[bool, typer.Option("--no-csv-guard", help=_CSV_GUARD_HELP)] = False,
    db: Annotated[Path | None, typer.Option("--db", help=_DB_HELP)] = None,
) -> None:
    """Added, removed, edited and moved clauses from OLD to NEW, and how much changed."""
    from rok_compare.align.render import revision_text
    from rok_compare.align.revisions import diff_revisions

    doc_old, doc_new = _both("diff", old, new, db)
    old, new = doc_old.label, doc_new.label
    if format is DiffFormat.JSON:
        revision = diff_revisions(doc_old.clauses, doc_new.clauses, str(old), str(new))
        typer.echo(_dumps(revision.to_dict()))
    elif format is DiffFormat.CSV:
        revision = diff_revisions(doc_old.clauses, doc_new.clauses, str(old), str(new))
        typer.echo(_entries_csv(revision.entries, guard=not no_csv_guard, revision=True), nl=False)
    else:
        revision = diff_revisions(_shown(doc_old.clauses), _shown(doc_new.clauses), terminal_safe(str(old)),
                                  terminal_safe(str(new)))
        typer.echo(revision_text(revision, _style(no_color)), nl=False)


def _load(names: list[str], db: Path | None, progress: Progress):
    """The documents ``names`` stand for (the whole store with none): stored ones from the store,
    other files extracted. What cannot be had is one error line and one failure."""
    failures: list[str] = []
    progress.update(note="reading")
    documents = corpus_documents(names, db, lambda message: failures.append(fail(message)))
    progress.update(note="comparing")
    return documents, failures


_NAMES_HELP = ("Files, folders (searched as ingest searches them) or stored documents (id, path or file "
               "name); none: every document in the store.")


class ExcludeWithin(StrEnum):
    COUNTY = "county"
    LINEAGE = "lineage"


_EXCLUDE_HELP = ("Leave out reuse within one county, or within one lineage (versions of one agreement): a "
                 "wording counts only when found in documents of --min-docs counties or lineages.")
_QUERY_HELP = ("Where this passage recurs (a template paragraph, a law text): a file holding it, or the "
               "text itself. Lists the clauses that copy or quote one of its sentences.")


def reuse_command(
    names: Annotated[list[str] | None, typer.Argument(help=_NAMES_HELP, show_default=False)] = None,
    format: Annotated[DiffFormat, typer.Option("--format", "-f", **format_choice(DiffFormat))]  # noqa: A002
    = DiffFormat.TEXT,
    min_docs: Annotated[int, typer.Option("--min-docs", min=2, help="Report wordings in >= N documents.")]
    = 2,
    exclude_within: Annotated[ExcludeWithin | None, typer.Option("--exclude-within", help=_EXCLUDE_HELP)]
    = None,
    query: Annotated[str | None, typer.Option("--query", help=_QUERY_HELP, show_default=False)] = None,
    no_csv_guard: Annotated[bool, typer.Option("--no-csv-guard", help=_CSV_GUARD_HELP)] = False,
    db: Annotated[Path | None, typer.Option("--db", help=_DB_HELP)] = None,
) -> None:
    """Clauses that recur across documents, and each document's distinctive clauses; or, with
    --query, where a given passage recurs."""
    if query is not None and exclude_within is not None:
        fail("--query and --exclude-within cannot be combined (a passage is looked for in every document)")
        raise typer.Exit(code=2)
    passage = _passage(query) if query is not None else None
    with Progress("reuse") as progress:
        documents, failures = _load(names or [], db, progress)
        if passage is not None:
            from rok_compare.align.reuse_query import find_passage

            found = find_passage(passage, documents)
        elif documents:
            found = _reuse(documents, min_docs, exclude_within, db)
        else:
            found = None
    if found is not None:
        if format is DiffFormat.JSON:
            typer.echo(_dumps(found.to_dict()))
        elif format is DiffFormat.CSV:
            csv_text = _reuse_csv if passage is None else _passage_csv
            typer.echo(csv_text(found, guard=not no_csv_guard), nl=False)
        else:
            text = _reuse_text(found, min_docs) if passage is None else _passage_text(found)
            typer.echo(terminal_safe(text), nl=False)
    report_failures(failures)


def _passage(value: str) -> str:
    """``--query``: the text of a file when it names one (read as ingest reads it), else the value."""
    path = Path(value)
    if _is_file(path):
        from rok_compare.errors import InputError
        from rok_compare.ingest import read_document

        try:
            value = read_document(path).text
        except InputError as error:
            fail(str(error))
            raise typer.Exit(code=2) from None
    elif not any(ch.isspace() for ch in value) and path.suffix and len(value) < 4096 and not _is_file(path):
        fail(f"--query {value}: no such file (give a file that holds the passage, or the passage itself)")
        raise typer.Exit(code=2)
    if not value.strip():
        fail(f"--query {value!r}: no text to look for")
        raise typer.Exit(code=2)
    return value


def _is_file(path: Path) -> bool:
    """Whether ``path`` names a file; a passage too long to be a file name is none."""
    try:
        return len(str(path)) < 4096 and path.is_file()
    except OSError:
        return False


def _reuse(documents, min_docs: int, exclude_within: ExcludeWithin | None, db: Path | None):
    """Reuse clusters, leaving out reuse within one county or lineage when asked."""
    from rok_compare.align.reuse import county_groups, find_reuse

    groups = None
    if exclude_within is ExcludeWithin.COUNTY:
        groups = county_groups(documents)
    elif exclude_within is ExcludeWithin.LINEAGE:
        from rok_compare.align.lineage import lineage_groups
        from rok_compare.store import default_db_path
        from rok_compare.store.database import StoreError

        store = db or default_db_path()
        if not store.is_file():
            fail(f"--exclude-within lineage: no store at {store} (lineages are found among stored documents)")
            raise typer.Exit(code=2)
        try:
            groups, unstored = lineage_groups(documents, store)
        except StoreError as error:
            fail(str(error))
            raise typer.Exit(code=2) from None
        if unstored:
            typer.echo(f"note: {len(unstored)} document(s) not in {store}, each counted as a lineage of its own: "
                       f"{terminal_safe(', '.join(unstored[:3]))}{' …' if len(unstored) > 3 else ''}", err=True)
    return find_reuse(documents, min_docs=min_docs, groups=groups,
                      excluded_within=None if exclude_within is None else str(exclude_within))[0]


def _reuse_text(report, min_docs: int) -> str:
    from rok_compare.align.render import reuse_text

    text = reuse_text(report)
    if report.excluded_within is None:
        return text
    head, _, rest = text.partition("\n")
    plural = "counties" if report.excluded_within == "county" else "lineages"
    return f"{head}\nreuse within one {report.excluded_within} left out: each spans {min_docs} {plural} or more\n{rest}"


def _passage_text(report) -> str:
    """Matches in plain words: score, how, where (with character offsets), the clause."""
    lines = [f"{len(report.matches)} clause(s) in {report.found_in} of {report.documents} documents copy or quote "
             f"the passage ({len(report.sentences)} sentence(s) looked for)"]
    for k, m in enumerate(report.matches, 1):
        where = ", ".join(str(x) for x in (m.county, m.year) if x)
        lines.append(f"\n{k:2}. [{m.score:.2f} {m.how} of sentence {m.sentence + 1}] {m.path} [{m.clause_id}]"
                     f"{f' ({where})' if where else ''} chars {m.start}-{m.end}")
        lines.append(f"    {m.text}")
    return "\n".join(lines) + "\n"


_MEASURE_HELP = ("overlap: share of clauses with a copy (reuse cluster) in the other; cosine: TF-IDF cosine of "
                 "the stemmed words; jaccard: Jaccard of 3-word phrase (shingle) sets.")
_BY_HELP = ("document, or groups of documents: county, year (first year of the period) or type; a group's "
            "value is the mean over pairs of its documents (overlap: its share of clauses matched).")


def similarity_command(
    names: Annotated[list[str] | None, typer.Argument(help=_NAMES_HELP, show_default=False)] = None,
    by: Annotated[MatrixBy, typer.Option("--by", help=_BY_HELP)] = MatrixBy.DOCUMENT,
    measure: Annotated[Measure, typer.Option("--measure", help=_MEASURE_HELP)] = Measure.OVERLAP,
    format: Annotated[MatrixFormat, typer.Option("--format", "-f", **format_choice(MatrixFormat))]  # noqa: A002
    = MatrixFormat.CSV,
    no_csv_guard: Annotated[bool, typer.Option("--no-csv-guard", help=_CSV_GUARD_HELP)] = False,
    db: Annotated[Path | None, typer.Option("--db", help=_DB_HELP)] = None,
) -> None:
    """How alike documents (or counties, years, types) are, by the measure of your choice."""
    from rok_compare.align.matrix import similarity_matrix
    from rok_compare.align.reuse import find_reuse

    with Progress("similarity") as progress:
        documents, failures = _load(names or [], db, progress)
        matrix = None
        if documents:
            labels = find_reuse(documents)[1] if measure is Measure.OVERLAP else None
            types = _types(documents, db) if by is MatrixBy.TYPE else None
            matrix = similarity_matrix(documents, labels, by=str(by), measure=str(measure), types=types)
    if matrix is not None:
        if format is MatrixFormat.JSON:
            typer.echo(json_safe(matrix.to_json()), nl=False)
        else:
            typer.echo(_matrix_csv(matrix, guard=not no_csv_guard), nl=False)
    report_failures(failures)


def _types(documents, db: Path | None) -> list[str | None]:
    """Document types: stored ones from the store, other files extracted again for theirs."""
    from rok_compare.align.stored_keys import document_types
    from rok_compare.store import default_db_path
    from rok_compare.store.database import StoreError

    store = db or default_db_path()
    try:
        return document_types(documents, store if store.is_file() else None)
    except StoreError:
        return document_types(documents, None)


def _csv(header: list[str], rows: list[list[object]], guard: bool) -> str:
    """CSV text with every text cell terminal-safe and, with ``guard``, formula-safe (document text)."""
    from rok_compare.export.csv_guard import neutralise

    def cell(value: object) -> object:
        if not isinstance(value, str):
            return "" if value is None else value
        value = terminal_safe(value)
        return neutralise(value) if guard else value

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([cell(v) for v in row] for row in rows)
    return out.getvalue()


def _entries_csv(entries, guard: bool, revision: bool) -> str:
    """One row per pair or unpaired clause, in B's order. ``diff`` says ``change`` (unchanged, edited,
    added, removed) and the pair's ``relation``; ``align`` says ``relation`` (identical, edited, related,
    only_a, only_b)."""
    rows = []
    for e in entries:
        pair = [None if e.score is None else round(e.score, 3), e.moved, str(e.shape) if e.old and e.new else None,
                e.old.id if e.old else None, e.new.id if e.new else None,
                e.old.text if e.old else None, e.new.text if e.new else None]
        relation = str(e.relation) if e.relation else None
        if revision:
            rows.append([str(e.change), relation, *pair])
        else:
            rows.append([relation or ("only_b" if e.old is None else "only_a"), *pair])
    a, b = ("old", "new") if revision else ("a", "b")
    labels = ["change", "relation"] if revision else ["relation"]
    return _csv([*labels, "score", "moved", "shape", f"{a}_id", f"{b}_id", f"{a}_text", f"{b}_text"], rows, guard)


def _reuse_csv(report, guard: bool) -> str:
    """One row per clause of each cluster, with the cluster's facts repeated: ready for a pivot table.
    ``start`` and ``end`` are the clause's character offsets into its document's text."""
    rows = [[c.id, c.documents, c.counties, c.first_year, round(c.boilerplate, 3), m.path, m.county, m.year,
             m.clause_id, m.page, m.start, m.end, m.text, c.canonical] for c in report.clusters for m in c.members]
    header = ["cluster", "documents", "counties", "first_year", "boilerplate", "path", "county", "year",
              "clause_id", "page", "start", "end", "text", "canonical"]
    return _csv(header, rows, guard)


def _passage_csv(report, guard: bool) -> str:
    """One row per matching clause, with the passage sentence it matches."""
    rows = [[round(m.score, 4), m.how, m.sentence + 1, report.sentences[m.sentence], m.path, m.county, m.year,
             m.clause_id, m.page, m.start, m.end, m.text] for m in report.matches]
    header = ["score", "how", "sentence", "sentence_text", "path", "county", "year", "clause_id", "page", "start",
              "end", "text"]
    return _csv(header, rows, guard)


def _matrix_csv(matrix, guard: bool) -> str:
    """The matrix as CSV (as ``SimilarityMatrix.to_csv``), labels terminal-safe and, with ``guard``,
    formula-safe: they are file names and county names, which a document's author controls."""
    from rok_compare.export.csv_guard import neutralise

    def label(text: str) -> str:
        text = terminal_safe(str(text))
        return str(neutralise(text)) if guard else text

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([label(matrix.by), *map(label, matrix.labels)])
    for name, row in zip(matrix.labels, matrix.values, strict=True):
        writer.writerow([label(name), *(f"{v:.4f}" for v in row)])
    return out.getvalue()
