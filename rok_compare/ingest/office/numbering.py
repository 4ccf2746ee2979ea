"""Word list numbering: which marker a numbered paragraph shows ("•", "3.", "2.1", "b)").

Word keeps no marker in the text: a paragraph points at a list (``numId``) and a level, the list
at an abstract definition whose level says the format ("decimal", "bullet", ...), the pattern
("%1.%2") and the start. Counters run per list; a level's counter restarts when a higher level
moves on, as Word numbers them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rok_compare.ingest.office.builder import to_int

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VAL = f"{W}val"
_PLACEHOLDER = re.compile(r"%(\d)")
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


@dataclass(frozen=True, slots=True)
class Level:
    style: str
    """Word's numFmt: decimal, bullet, lowerLetter, upperLetter, lowerRoman, upperRoman, none, ..."""
    text: str
    start: int


@dataclass(frozen=True, slots=True)
class Label:
    numbered: bool
    number: int
    style: str
    rendered: str
    """The marker as Word shows it ("2.1", "b)"); empty for bullets."""


class Numbering:
    def __init__(self, lists: dict[str, dict[int, Level]]) -> None:
        self.lists = lists
        self.counters: dict[str, list[int | None]] = {}

    @classmethod
    def from_docx(cls, document: Any) -> Numbering:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        try:
            root = document.part.part_related_by(RT.NUMBERING).element
        except (KeyError, AttributeError):
            return cls({})
        abstract: dict[str, dict[int, Level]] = {}
        for definition in root.iterchildren(f"{W}abstractNum"):
            abstract[definition.get(f"{W}abstractNumId") or ""] = {
                to_int(level.get(f"{W}ilvl"), 0): _level(level) for level in definition.iterchildren(f"{W}lvl")}
        lists: dict[str, dict[int, Level]] = {}
        for instance in root.iterchildren(f"{W}num"):
            reference = instance.find(f"{W}abstractNumId")
            levels = dict(abstract.get(reference.get(_VAL) if reference is not None else "", {}))
            for override in instance.iterchildren(f"{W}lvlOverride"):
                ilvl = to_int(override.get(f"{W}ilvl"), 0)
                level = override.find(f"{W}lvl")
                start = override.find(f"{W}startOverride")
                if level is not None:
                    levels[ilvl] = _level(level)
                elif start is not None and ilvl in levels:
                    old = levels[ilvl]
                    levels[ilvl] = Level(old.style, old.text, to_int(start.get(_VAL), old.start))
            lists[instance.get(f"{W}numId") or ""] = levels
        return cls(lists)

    def next(self, num_id: str | None, ilvl: int) -> Label | None:
        """Count a paragraph of list ``num_id`` at level ``ilvl`` and give its marker."""
        if num_id is None:
            return None
        levels = self.lists.get(num_id)
        if not levels:
            return Label(False, 0, "bullet", "")  # numbering we cannot resolve: still a list item
        ilvl = max(0, min(8, ilvl))
        counters = self.counters.setdefault(num_id, [None] * 9)
        level = levels.get(ilvl, Level("bullet", "", 1))
        counters[ilvl] = level.start if counters[ilvl] is None else (counters[ilvl] or 0) + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = None
        if level.style in ("bullet", "none"):
            return Label(False, 0, level.style, "")

        def placeholder(match: re.Match[str]) -> str:
            at = int(match.group(1)) - 1
            value = counters[at] if 0 <= at < 9 and counters[at] is not None else levels.get(at, level).start
            return _format(value or 0, levels.get(at, level).style)

        return Label(True, counters[ilvl] or 0, level.style, _PLACEHOLDER.sub(placeholder, level.text).strip())


def _level(element: Any) -> Level:
    style = element.find(f"{W}numFmt")
    text = element.find(f"{W}lvlText")
    start = element.find(f"{W}start")
    return Level(style.get(_VAL) if style is not None else "decimal", text.get(_VAL) or "" if text is not None else "",
                 to_int(start.get(_VAL) if start is not None else None, 1))


def _format(number: int, style: str) -> str:
    if style in ("lowerLetter", "upperLetter") and 0 < number <= 26 * 4:
        letter = chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)
        return letter.upper() if style == "upperLetter" else letter
    if style in ("lowerRoman", "upperRoman") and 0 < number < 4000:
        roman, rest = "", number
        for value, numeral in _ROMAN:
            while rest >= value:
                roman, rest = roman + numeral, rest - value
        return roman.upper() if style == "upperRoman" else roman
    return str(number)
