"""Goal, purpose and vision statements.

A statement is a goal when it stands in a section headed as goals or purpose ("Övergripande
mål", "Syfte", "Långsiktigt mål 1") and reads like one (it is a list item, or it says "ska",
"mål", "syfte"), when its wording says so anywhere ("syftar till", "målet är att",
"förhoppningen är"), or when the people it is for are its subject and it says what they shall
get ("Nyanlända kvinnor och män ska få ...").
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

from rok_compare.model import Block, BlockKind, Section, Sentence

_DATA = Path(__file__).parent / "data"
GOAL_HEADING = re.compile(
    r"^(\d+(\.\d+)*[.)]?\s+)?((gemensamma|gemensamt|gemensam|övergripande|långsiktig[at]?|regionala|strategiska|"
    r"nationella|lokala|politiska|kvalitativa|kommunens|regionens|länets|planens|strategins|programmets|"
    r"överenskommelsens|avtalets|samverkans|arbetets|projektets)\s+){0,2}"
    r"(mål(et)?|målsättning(ar)?|delmål|inriktningsmål|effektmål|syfte(t)?|vision(en)?|inriktning|ambition(er)?|"
    r"målbild)\b",
    re.I,
)
_NOT_GOAL_HEADING = re.compile(r"\b(kvantitativa mål|målgrupp)", re.I)
_EARLY_MODAL = re.compile(r"^(?:\S+\s+){0,7}?(ska|skall)\b(?!\s+kunna\b)", re.I)
_LEAD_IN = re.compile(r"(:|\bär|\bdessa är)\s*$", re.I)
_TRIGGERS = ("ska", "ges", "syft", "mål", "vision", "förhopp", "ambition", "priorit", "strategiskt val", "vilja",
             "vill", "samverkan")
"""Every goal cue and goal subject pattern contains one of these."""
_MIN_WORDS = {True: 2}
"""Goals outside a goal list need some content: "Vi vill förändra detta!" is not one."""
_DOCUMENT_SUBJECT = re.compile(
    r"^(strategin|planen|handlingsplanen|överenskommelsen|programmet|avtalet|policyn)\s+(ska|skall)\s+"
    r"(även\s+|också\s+)?(bidra|verka|stärka|skapa|främja|tydliggöra|leda|ge|underlätta|öka|utveckla)\b",
    re.I,
)
_GOAL_WORDS = re.compile(r"\b(mål(?!grupp)\w*|syfte\w*|vision\w*|inriktning\w*)\b", re.I)


def _lines(name: str) -> list[str]:
    lines = (_DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@cache
def goal_cues() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in _lines("goal_cues.txt")), re.I)


@cache
def target_group_subject() -> re.Pattern[str]:
    """A target-group noun phrase at the start, or after an inverted "ska"/"I X ska"."""
    words = "|".join(_lines("target_groups.txt"))
    no_verb = r"(?:(?!\b(?:ska|skall|är|har|måste|kan)\b)[^.])"
    noun_phrase = rf"(?:(?!ska\b|skall\b)[\wåäö,/-]+\s+){{0,2}}?(?:{words})\b{no_verb}{{0,80}}?"
    return re.compile(
        rf"^(?:{noun_phrase}\b(ska|skall|ges)\b(?!\s+kunna)|(?:[\wåäö]+\s+){{0,3}}(ska|skall)\s+"
        rf"(?:{words})\b)",
        re.I,
    )


@lru_cache(maxsize=4096)
def _is_goal_heading(heading: str | None) -> bool:
    """(Remembered: asked for every block under the same heading, by three passes.)"""
    return bool(heading and GOAL_HEADING.match(heading) and not _NOT_GOAL_HEADING.search(heading))


def is_goal_section(section: Section) -> bool:
    return _is_goal_heading(section.heading)


def is_goal_block(section: Section, block: Block) -> bool:
    """Under a goal heading, or led by a goal label ("Mål: ...")."""
    if block.label:
        return _is_goal_heading(block.label)
    return is_goal_section(section)


def is_goal_statement(sentence: Sentence, in_goal_section: bool, in_list: bool) -> bool:
    return _is_goal_text(sentence.text, in_goal_section, in_list)


@lru_cache(maxsize=8192)
def _is_goal_text(text: str, in_goal_section: bool, in_list: bool) -> bool:
    if _LEAD_IN.search(text) or len(text.split()) < _MIN_WORDS.get(in_goal_section and in_list, 6):
        return False
    if not in_goal_section and not any(trigger in text.lower() for trigger in _TRIGGERS):
        return False  # none of the cue patterns below can match: skip them
    if in_goal_section and (in_list or _EARLY_MODAL.search(text) or _GOAL_WORDS.search(text)):
        return True
    if goal_cues().search(text) or _DOCUMENT_SUBJECT.search(text):
        return True
    return bool(target_group_subject().search(text))


def goal_context_list(previous: Block | None) -> bool:
    """List items introduced by a lead-in about aims ("Dessa är", "inriktningen ...")."""
    return previous is not None and previous.kind is not BlockKind.LIST_ITEM and bool(
        _GOAL_WORDS.search(previous.text) and _LEAD_IN.search(previous.text)
    )
