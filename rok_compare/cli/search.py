"""``rok search``: parse the options, call :func:`rok_compare.search.search`, print the hits.

The query language is documented on that function (``help(rok_compare.search.search)``); the
report's search runs the same function, so both find the same clauses.
"""

from __future__ import annotations

import json
import re
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from rok_compare.cli.corpus import _FORMAT, OutputFormat, _db, _db_option, _errors
from rok_compare.cli.output import color_enabled, fail, json_safe, terminal_safe

if TYPE_CHECKING:
    from rok_compare.search import HitCount

PLACES_SHOWN = 5
VARIANTS_SHOWN = 4
WIDTH = 100
QUERY_HELP = ('Words (found in all their forms and in compounds: bostad finds bostäder and '
              'bostadsförsörjning), "an exact phrase", prefix*, OR, -word. Empty: list what the filters '
              "select. A query that starts with - goes after --: rok search -- -tolk")


def register(app: typer.Typer) -> None:
    app.command("search")(search_command)


def search_command(
    query: str = typer.Argument("", help=QUERY_HELP, show_default=False),
    db: Path | None = _db_option(),  # noqa: B008
    county: str | None = typer.Option(None, "--county", help="County name (part of it) or code."),
    year: str | None = typer.Option(None, "--year", help="Documents valid in this year or range: 2019, 2017-2019."),
    kind: str | None = typer.Option(None, "--kind", help="Clause kind: goal, commitment, principle, ..."),
    theme: str | None = typer.Option(None, "--theme", help="Clause theme: health, labour_market, ..."),
    party: str | None = typer.Option(None, "--party", help="Documents this party signed (part of its name)."),
    doc_type: str | None = typer.Option(None, "--type", help="Document type: regional_agreement, "
                                                              "local_agreement, action_plan, strategy, news, other."),
    document: int | None = typer.Option(None, "--document", help="Only this document (its id in the store)."),
    similar_to: str | None = typer.Option(None, "--similar-to", help="A clause text, or a file holding one."),
    limit: int = typer.Option(20, "--limit", min=1, help="Number of hits."),
    offset: int = typer.Option(0, "--offset", min=0, help="Hits to skip (the next page)."),
    format: OutputFormat = typer.Option(OutputFormat.TEXT, "--format", "-f", **_FORMAT),  # noqa: A002, B008
) -> None:
    """Find clauses, best first (or list those the filters select); copies of one clause are shown
    once with their variants. Each hit names its document and the clause's anchor in the report."""
    from rok_compare.search import HitCount, check_names, count_hits, search

    db = _db(db)
    _check_year(year)
    reference = _reference_text(similar_to) if similar_to else None
    options = dict(county=county, year=year, kind=kind, party=party, theme=theme, doc_type=doc_type,
                   document=document, similar_to=reference)
    with _errors(db):
        check_names(db, county=county, party=party)  # a misspelt name is an error here, not "no matches"
        hits = search(db, query, limit=limit, offset=offset, **options)  # type: ignore[arg-type]
        total = count_hits(db, query, **options) if format is OutputFormat.TEXT else HitCount(len(hits))
    if format is OutputFormat.JSON:
        typer.echo(json_safe(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2)))
        return
    if not hits:
        typer.echo("no matching clauses" + (f" after the first {offset}" if offset and total.n else ""))
        return
    bold = color_enabled(_is_terminal())
    for hit in hits:
        _print_hit(hit, bold)
    shown = f"{hits[0].rank}–{hits[-1].rank}" if len(hits) > 1 else str(hits[0].rank)
    more = f"; --offset {offset + len(hits)} shows the next" if offset + len(hits) < total.n or total.more else ""
    typer.echo(f"{shown} of {counted(total)}{more}")


def counted(total: HitCount) -> str:
    """"12 matching clause(s) (copies counted once)", or for a query matching very many clauses
    "more than 10,000 matching clauses (copies counted apart)"."""
    if total.families:
        return f"{total.n} matching clause(s) (copies counted once)"
    return f"{'more than ' if total.more else ''}{total.n:,} matching clauses (copies counted apart)"


def _is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):  # replaced or closed
        return False


def _check_year(value: str | None) -> None:
    """``--year`` is named in its error (the library's message names no option)."""
    from rok_compare.search import SearchQueryError
    from rok_compare.search.filters import year_range

    try:
        year_range(value)
    except SearchQueryError:
        shown = value if value is None or len(value) <= 20 else value[:20] + "..."
        fail(f"--year must be a year or a range such as 2019 or 2017-2019, not {shown!r}")
        raise typer.Exit(code=2) from None


def _print_hit(hit, bold: bool) -> None:
    o = hit.occurrence
    score = f"[{hit.score:.2f}] " if hit.score else ""
    typer.echo(f"{hit.rank:>2}. {score}{terminal_safe(o.label)}")
    where = " · ".join(x for x in (f"§ {o.section}" if o.section else "", f"p. {o.page}" if o.page else "",
                                   o.anchor) if x)
    typer.echo(f"    {terminal_safe(where)}  (document {o.document_id}, clause {o.clause_id}, {hit.kind})")
    text = textwrap.fill(terminal_safe(hit.text), width=WIDTH, initial_indent="    ", subsequent_indent="    ",
                         max_lines=8, placeholder=" …")
    typer.echo(_marked(text, hit.highlights) if bold else text)
    if hit.n_documents > 1 or hit.n_variants > 1:
        typer.echo(f"    reused in {hit.n_documents} documents, {hit.n_variants} wording(s):")
        for variant in hit.variants[:VARIANTS_SHOWN]:
            shown = [terminal_safe(f"{v.county or '?'} {v.year}".strip()) for v in variant.occurrences[:PLACES_SHOWN]]
            more = variant.n_documents - len(shown)
            places = ", ".join(shown) + (f" and {more} more" if more > 0 else "")
            typer.echo(f"      - {variant.n_documents} doc(s): {places}")
            if variant.text != hit.text:
                typer.echo(textwrap.fill(f"“{terminal_safe(variant.text)}”", width=WIDTH, initial_indent="          ",
                                         subsequent_indent="          ", max_lines=3, placeholder=" …"))
        if hit.n_variants > VARIANTS_SHOWN:
            typer.echo(f"      … and {hit.n_variants - VARIANTS_SHOWN} more wording(s) "
                       f"(--format json lists up to {len(hit.variants)})")
    typer.echo("")


def _marked(text: str, words: tuple[str, ...]) -> str:
    """The found words in bold (ANSI), whole words only, any case."""
    if not words:
        return text
    pattern = re.compile(r"(?<![^\W_])(" + "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
                         + r")(?![^\W_])", re.IGNORECASE)
    return pattern.sub(lambda m: f"\x1b[1m{m.group()}\x1b[0m", text)


def _reference_text(value: str) -> str:
    """``--similar-to``: the text of a file when it names one, else the value itself."""
    path = Path(value)
    if len(value) < 4096 and path.is_file():
        from rok_compare.errors import InputError
        from rok_compare.ingest import read_document

        try:
            return read_document(path).text
        except InputError as error:
            fail(str(error))
            raise typer.Exit(code=2) from None
    return value
