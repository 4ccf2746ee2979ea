"""Agreement PDFs that look like real ones, for the extraction benchmark (``scripts/bench_extract.py``).

- :func:`multiparty_agreement`: a county-wide RÖK of 64 signatories (``data/multiparty_parties.txt``):
  a party list, background and goals, a commitment section per party ("Ale kommun åtar sig att:" and a
  list, sentences naming the party and another), and a signature block per party, with a running
  header and "Sida N av M" footers, in two columns like the generated benchmark agreement of
  ``pdf_factory.py``, as long as asked (the party sections repeat as action-plan rounds).
- :func:`text_pdf`: any plain text (the real corpus documents) laid out as a PDF: blank-line
  paragraphs, short lines without a full stop as headings, "-"/"•" lines as a bulleted list.

Both use the layout engine of ``pdf_factory.py``.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from pdf_factory import BODY_PT, TITLE_PT, GeneratedPdf, Layout, new_pdf, render

DATA = Path(__file__).parent / "data"
MULTIPARTY_TITLE = "Regional överenskommelse om samverkan för nyanländas etablering i Västra Götalands län 2020–2024"
MULTIPARTY_HEADER = "Regional överenskommelse – Västra Götalands län"
FOOTER = "Sida {n} av {total}"


def multiparty_parties() -> list[str]:
    lines = (DATA / "multiparty_parties.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _sentences() -> dict[str, list[str]]:
    by_use: dict[str, list[str]] = {}
    for line in (DATA / "multiparty_sentences.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            use, sentence = line.split("\t", 1)
            by_use.setdefault(use, []).append(sentence)
    return by_use


def _signatures(layout: Layout, parties: list[str]) -> None:
    layout.heading("Underskrifter")
    layout.paragraph("Överenskommelsen har upprättats i ett exemplar per part, varav parterna tagit var sitt.")
    for party in parties:
        layout.advance(BODY_PT * 0.3528 * 1.35 * 5)
        layout.line(f"För {party}")
        layout.line("Ort och datum ..................................")
        layout.line("..................................................")
        layout.line("Namnförtydligande")
        layout.y += 3


def _party_section(layout: Layout, spec: GeneratedPdf, rng: random.Random, text: dict[str, list[str]],
                   parties: list[str], index: int, number: str) -> None:
    party = parties[index % len(parties)]
    layout.subheading(f"{number} {party}")
    spec.headings.append(f"{number} {party}")
    layout.paragraph(f"{party} åtar sig att:")
    layout.bullets(rng.sample(text["undertaking"], rng.randint(3, 5)))
    others = [p for p in parties if p != party]
    sentences = [s.format(party=party, other=rng.choice(others)) for s in rng.sample(text["party"], 3)]
    paragraph = " ".join(sentences)
    layout.paragraph(paragraph)
    spec.paragraphs.append(paragraph)


def multiparty_agreement(path: Path, pages: int = 100, seed: int = 5) -> GeneratedPdf:
    """A ``pages``-page agreement of 64 parties: party list, goals, per-party commitments (in rounds
    until the pages are full) and a signature block per party."""
    rng = random.Random(seed)
    parties, text = multiparty_parties(), _sentences()
    scratch = Layout(new_pdf(), columns=2)
    _signatures(scratch, parties)
    signature_pages = len(scratch.pages)
    pdf = new_pdf()
    layout = Layout(pdf, columns=2)
    spec = GeneratedPdf(path=path, header=MULTIPARTY_HEADER)
    layout.full_width_line(MULTIPARTY_TITLE, TITLE_PT)
    layout.heading("1. Parter i överenskommelsen")
    layout.paragraph("Överenskommelsen har träffats mellan följande parter:")
    layout.bullets(parties)
    layout.heading("2. Bakgrund")
    for _ in range(3):
        layout.paragraph(" ".join(rng.sample(text["background"], 4)))
    layout.heading("3. Syfte och mål")
    layout.paragraph(" ".join(rng.sample(text["goal"], 3)))
    layout.heading("4. Parternas åtaganden")
    index, round_number = 0, 0
    while len(layout.pages) <= pages - signature_pages or index == 0:
        if index % len(parties) == 0:
            round_number += 1
            if round_number > 1:
                layout.heading(f"{round_number + 3}. Handlingsplan {2019 + round_number}")
        _party_section(layout, spec, rng, text, parties, index, f"{round_number + 3}.{index % len(parties) + 1}")
        index += 1
    _signatures(layout, parties)
    layout.pages = layout.pages[:pages]
    render(pdf, layout.pages, MULTIPARTY_HEADER, FOOTER)
    spec.pages = len(layout.pages)
    pdf.output(str(path))
    return spec


_BULLET = re.compile(r"^\s*(?:[-•*–]|\d+[.)])\s+")
_UNSUPPORTED = re.compile(r"[^\t\n\x20-\x7e\xa0-\xff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac]")


def _heading_like(line: str) -> bool:
    return len(line) < 70 and not line.rstrip().endswith((".", ",", ":", ";")) and line[:1].isupper() \
        and "\n" not in line


def text_pdf(path: Path, text: str, title: str | None = None) -> GeneratedPdf:
    """``text`` laid out as a single-column PDF with ``title`` as its running header. Characters the
    body font may lack become spaces (the reader is measured, not the font)."""
    text = _UNSUPPORTED.sub(" ", text)
    pdf = new_pdf()
    layout = Layout(pdf)
    spec = GeneratedPdf(path=path, header=title)
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if len(lines) == 1 and _heading_like(lines[0]):
            layout.heading(lines[0])
            spec.headings.append(lines[0])
            continue
        items = [line for line in lines if _BULLET.match(line)]
        if items and len(items) == len(lines):
            layout.bullets([_BULLET.sub("", line) for line in lines])
            continue
        paragraph = " ".join(lines)
        layout.paragraph(paragraph)
        spec.paragraphs.append(paragraph)
    render(pdf, layout.pages, title, FOOTER)
    spec.pages = len(layout.pages)
    pdf.output(str(path))
    return spec
