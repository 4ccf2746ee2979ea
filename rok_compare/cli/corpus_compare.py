"""Commands that compare a whole corpus: reuse (clusters, a passage's recurrences) and similarity.

Document text reaches the terminal only through :func:`terminal_safe` (text formats) or as JSON with
control characters escaped; CSV cells are guarded against spreadsheet formulas unless
``--no-csv-guard``, as in :mod:`rok_compare.cli.compare`.
"""

from __future__ import annotations

import csv
import io
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from rok_compare.cli.compare import _CSV_GUARD_HELP, _DB_HELP, DiffFormat, _csv, _dumps
from rok_compare.cli.documents import corpus_documents
from rok_compare.cli.output import Progress, fail, format_choice, json_safe, report_failures, terminal_safe


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
    rebuild: Annotated[bool, typer.Option("--rebuild", help=_REBUILD_HELP)] = False,
) -> None:
    """Clauses that recur across documents, and each document's distinctive clauses; or, with
    --query, where a given passage recurs."""
    if query is not None and exclude_within is not None:
        fail("--query and --exclude-within cannot be combined (a passage is looked for in every document)")
        raise typer.Exit(code=2)
    if rebuild:
        _rebuild(db)
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


_REBUILD_HELP = ("First cluster every clause of the store again and rebuild its reuse index (ingest and prune "
                 "update both incrementally); the store is --db, else $ROK_DB, else rok.db.")


def _rebuild(db: Path | None) -> None:
    """``--rebuild``: the full clustering pass over the store, reported on stderr."""
    import time

    from rok_compare.store import default_db_path
    from rok_compare.store.database import Store, StoreError
    from rok_compare.store.reuse import recompute_reuse_clusters

    path = db or default_db_path()
    if not path.is_file():
        fail(f"--rebuild: no store at {path} (name the store with --db)")
        raise typer.Exit(code=2)
    started = time.perf_counter()
    try:
        with Store.open(path) as store:
            summary = recompute_reuse_clusters(store, rebuild=True)
    except StoreError as error:
        fail(f"--rebuild: {error}")
        raise typer.Exit(code=2) from None
    if summary.note:
        typer.echo(f"warning: {summary.note}; clusters hold identical clauses only", err=True)
    typer.echo(f"reuse index rebuilt: {summary.clusters} clusters of {summary.clauses} clauses "
               f"({time.perf_counter() - started:.1f} s)", err=True)


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
