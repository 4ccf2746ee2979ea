"""The document model shared by every pipeline stage.

Data flows one way: ``ingest`` makes a :class:`SourceDocument`, ``segment`` turns it into a
:class:`SegmentedDocument` of sections, blocks and sentences, and ``extract`` produces an
:class:`Agreement`. Every piece of text keeps a :class:`Span` pointing back into
``SourceDocument.text`` (character offsets) and the page it stands on, so that any clause, party
or commitment can be traced to its place in the source.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Span:
    """Where a piece of text stands: 1-based page, character offsets into ``SourceDocument.text``,
    and for Word and OpenDocument files the 1-based paragraph it starts in (None for PDF and text)."""

    page: int
    start: int
    end: int
    paragraph: int | None = None

    def to_dict(self) -> dict[str, int]:
        if self.paragraph is None:
            return {"page": self.page, "start": self.start, "end": self.end}
        return {"page": self.page, "start": self.start, "end": self.end, "paragraph": self.paragraph}


@dataclass(frozen=True, slots=True)
class Page:
    """One page of the source; ``start``/``end`` delimit its text in ``SourceDocument.text``.

    A text file without page marks is one page; a form feed (``\\f``) starts a new page.
    """

    number: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of a Word or OpenDocument file: its 1-based index among the document body's
    paragraphs (in document order, those in table cells included) and where its text stands in
    ``SourceDocument.text``. Word files have no pages of their own, so this is their provenance."""

    index: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TableCell:
    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Table:
    """A table as rows of cells. Its rows also stand in ``SourceDocument.text`` as lines of
    tab-separated cells, so that the segmenter reads tables from PDFs and from text alike."""

    page: int
    rows: tuple[tuple[TableCell, ...], ...]


class SourceFormat(StrEnum):
    PDF = "pdf"
    TEXT = "text"
    HTML = "html"
    DOCX = "docx"
    ODT = "odt"


@dataclass(slots=True)
class SourceDocument:
    """What the read stage hands on: the document's text with page boundaries and provenance.

    ``text`` is the decoded text of a text file (HTML tags blanked to spaces of the same length,
    so offsets still point into the original), or the reading-order text of a PDF (running
    headers, footers and page numbers removed, hyphenation repaired, pages joined by ``\\f``), or
    the paragraphs, list items and tables of a Word or OpenDocument file. It is always NFC-normalised
    ("å" one character, whatever the file wrote), and every offset points into it as stored.
    """

    path: Path
    sha256: str
    format: SourceFormat
    text: str
    pages: list[Page]
    tables: list[Table] = field(default_factory=list)
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    """Word and OpenDocument files only: each paragraph's index and place in ``text``."""
    _page_starts: list[int] | None = field(default=None, init=False, repr=False, compare=False)
    _paragraph_starts: list[int] | None = field(default=None, init=False, repr=False, compare=False)

    def page_at(self, offset: int) -> int:
        """The 1-based page number of the character at ``offset``."""
        if not self.pages:
            return 1
        if len(self.pages) == 1:
            return self.pages[0].number
        if self._page_starts is None or len(self._page_starts) != len(self.pages):
            self._page_starts = [page.start for page in self.pages]
        index = max(0, bisect.bisect_right(self._page_starts, offset) - 1)
        return self.pages[index].number

    def paragraph_at(self, offset: int) -> int | None:
        """The 1-based index of the paragraph the character at ``offset`` belongs to (the one before
        it when ``offset`` falls between paragraphs); None when the format has no paragraphs."""
        if not self.paragraphs:
            return None
        if self._paragraph_starts is None or len(self._paragraph_starts) != len(self.paragraphs):
            self._paragraph_starts = [paragraph.start for paragraph in self.paragraphs]
        index = max(0, bisect.bisect_right(self._paragraph_starts, offset) - 1)
        return self.paragraphs[index].index

    def span(self, start: int, end: int) -> Span:
        return Span(self.page_at(start), start, end, self.paragraph_at(start))


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_ROW = "table_row"


@dataclass(slots=True)
class Sentence:
    text: str
    span: Span


@dataclass(slots=True)
class Block:
    """A heading, paragraph, list item or table row, with its sentences (table rows: its cells)."""

    kind: BlockKind
    text: str
    span: Span
    sentences: list[Sentence] = field(default_factory=list)
    cells: list[TableCell] = field(default_factory=list)
    label: str | None = None
    """A run-in label before the text ("Mål" of "Mål: Etableringsplanen ska ...")."""


@dataclass(slots=True)
class Section:
    """A heading and the blocks under it; ``heading`` is None for text before the first heading."""

    heading: str | None
    heading_span: Span | None
    blocks: list[Block] = field(default_factory=list)
    parent: str | None = None


@dataclass(slots=True)
class SegmentedDocument:
    source: SourceDocument
    title: str | None
    sections: list[Section]
    furniture: list[Block] = field(default_factory=list)
    """Web-page furniture kept out of the clauses: menus, related-document lists, contact blocks."""


class PartyKind(StrEnum):
    COUNTY_ADMINISTRATIVE_BOARD = "county_administrative_board"
    STATE_AGENCY = "state_agency"
    REGIONAL_BODY = "regional_body"
    MUNICIPALITY = "municipality"
    MUNICIPAL_ASSOCIATION = "municipal_association"
    UNIVERSITY = "university"
    CIVIL_SOCIETY = "civil_society"
    FAITH_COMMUNITY = "faith_community"
    BUSINESS_ORGANISATION = "business_organisation"
    TRADE_UNION = "trade_union"
    OTHER = "other"


class DocType(StrEnum):
    REGIONAL_AGREEMENT = "regional_agreement"
    LOCAL_AGREEMENT = "local_agreement"
    ACTION_PLAN = "action_plan"
    STRATEGY = "strategy"
    NEWS = "news"
    OTHER = "other"


class ClauseKind(StrEnum):
    GOAL = "goal"
    COMMITMENT = "commitment"
    PRINCIPLE = "principle"
    BACKGROUND = "background"
    GOVERNANCE = "governance"
    STATISTICS = "statistics"
    CONTACT = "contact"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class County:
    name: str
    code: str


@dataclass(frozen=True, slots=True)
class Period:
    start: int
    end: int | None
    """None: open-ended ("gäller tills vidare från 2019")."""

    def label(self) -> str:
        return period_label(self.start, self.end)


def period_label(start: int | None, end: int | None) -> str:
    """ "2019–2025", "2009" for a single year, "2019–" open-ended, "" when the document states no period."""
    if start is None:
        return ""
    if end is None:
        return f"{start}–"
    return str(start) if end == start else f"{start}–{end}"


@dataclass(slots=True)
class Party:
    name: str
    """The name as the document writes it."""
    canonical: str
    """The registry's name for the body as named here ("Länsarbetsnämnden" → "Arbetsförmedlingen"),
    or the cleaned surface name when the registry lacks it."""
    kind: PartyKind
    span: Span
    current: str | None = None
    """Today's body when this one has since merged or become another ("Norrbottens läns landsting"
    → "Region Norrbotten"); None when ``canonical`` is today's name."""


@dataclass(slots=True)
class Goal:
    text: str
    section: str | None
    span: Span


@dataclass(slots=True)
class Commitment:
    party: str
    """A party's canonical name, or ``"*"`` for all parties jointly."""
    text: str
    strength: str
    span: Span
    section: str | None = None


@dataclass(slots=True)
class Clause:
    """The unit that alignment, reuse and search work on: a sentence, list item or table row."""

    id: str
    section: str | None
    kind: ClauseKind
    themes: list[str]
    text: str
    span: Span


@dataclass(slots=True)
class Agreement:
    """Everything extracted from one document: the JSON contract of ``rok extract``."""

    source: SourceDocument
    title: str | None
    county: County | None
    period: Period | None
    revision_date: str | None
    doc_type: DocType
    parties: list[Party]
    goals: list[Goal]
    commitments: list[Commitment]
    clauses: list[Clause]
    warnings: list[str] = field(default_factory=list)
