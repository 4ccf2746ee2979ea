"""Normalised text for comparing clauses.

Two clauses are compared on what they say, not on how a county spells its own name: the text
is NFC-normalised and lowercased, place names (counties, municipalities: "Jämtlands län",
"Västerviks kommun", "värmländska", and the bare municipality names that the party registry
knows, "Umeå") are replaced by a placeholder, also inside party names ("Länsstyrelsen i
Värmlands län" -> "länsstyrelsen i _ort_"), and every word is reduced to its Swedish Snowball stem
(PyStemmer). "Parterna marknadsför Jämtlands län som ett attraktivt län" and "... Norrbottens
län ..." therefore normalise to the same string, and the alignment labels them *edited* (the
surface texts still differ) instead of leaving them apart.

``surface_key`` is the identity used for the *identical* label: the same words in the same order,
with spacing, punctuation, case and list bullets evened out (a clause split into two sentences
without a word changed is still identical; any changed word or name makes it edited).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

import Stemmer

PLACE = "_ort_"
"""Placeholder for a county, region or municipality name."""
MIN_UNMASKED = 3
"""Names are masked only when this many other words remain: "Region Värmland" or "Danderyds
kommun" (a list of parties) are compared by their names, which are all they say."""

_TOKEN = re.compile(r"_\w+_|\w+(?:[-–]\w+)*", re.UNICODE)
_SURFACE_WORD = re.compile(r"\w+", re.UNICODE)
_BULLET = re.compile(r"^\s*(?:[-–•*·▪●◦]|\d{1,2}[.)]|[a-zA-Z][.)])\s+")
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\ufeff]")


def _read_list(name: str) -> list[str]:
    text = resources.files("rok_compare.align").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@dataclass(frozen=True, slots=True)
class _Places:
    """Place word lists, lowercased: names (one or two words), adjective stems, words like "län"."""

    names: frozenset[str]
    pairs: frozenset[tuple[str, str]]
    pair_words: frozenset[str]
    adjectives: tuple[str, ...]
    adjective_heads: frozenset[str]
    adjective_max: int
    markers: frozenset[str]
    not_names: frozenset[str]
    triggers: frozenset[str]
    adjective_pattern: re.Pattern[str]


@cache
def _places() -> _Places:
    entries = _read_list("places.txt")
    names = [n.lower() for n in entries if n[0].isupper()]
    pairs = frozenset(tuple(n.split()) for n in names if n.count(" ") == 1)
    adjectives = tuple(n for n in entries if n[0].islower())
    return _Places(
        names=frozenset(n for n in names if " " not in n),
        pairs=pairs, pair_words=frozenset(w for pair in pairs for w in pair),
        adjectives=adjectives, adjective_heads=frozenset(a[:4] for a in adjectives),
        adjective_max=max(map(len, adjectives)) + 1,
        markers=frozenset(_read_list("placewords.txt")),
        not_names=frozenset(_read_list("notnames.txt")),
        triggers=frozenset(w + s for w in names + [w for pair in pairs for w in pair] for s in ("", "s"))
        | frozenset(_read_list("placewords.txt")),
        adjective_pattern=re.compile(r"\b(?:" + "|".join(map(re.escape, adjectives)) + ")"),
    )


def _mask_places(tokens: list[str]) -> list[str]:
    """Lowercased tokens with place mentions replaced by ``PLACE``: listed names (also genitive),
    one or two capitalised words before "län"/"kommun"/"stad", and regional adjectives."""
    p = _places()
    lower = [t.lower() for t in tokens]
    if p.triggers.isdisjoint(lower) and not p.adjective_pattern.search(" ".join(lower)):
        return lower  # the common case: no place word at all
    out: list[str] = []
    for k, word in enumerate(lower):
        if word in p.markers and k > 0 and tokens[k - 1][:1].isupper() and lower[k - 1] not in p.not_names:
            while out and out[-1] == PLACE:
                out.pop()
            if out and k >= 2 and tokens[k - 2][:1].isupper() and out[-1] == lower[k - 1]:
                out.pop()  # "Västra Götalands län": both capitalised words go
            if out and out[-1] == lower[k - 1]:
                out.pop()
            out.append(PLACE)
        elif word in p.names or (word[-1:] == "s" and word[:-1] in p.names):
            out.append(PLACE)
        elif word in p.pair_words or word[:-1] in p.pair_words:
            stem = word.rstrip("s")
            if k + 1 < len(lower) and (word, lower[k + 1].rstrip("s")) in p.pairs:
                out.append(PLACE)
            elif not (k > 0 and out and out[-1] == PLACE and (lower[k - 1], stem) in p.pairs):
                out.append(word)
        elif word[:4] in p.adjective_heads and word.startswith(p.adjectives) and len(word) <= p.adjective_max:
            out.append(PLACE)
        else:
            out.append(word)
    return _squeeze(out)


def _squeeze(tokens: list[str]) -> list[str]:
    """One placeholder for a run of placeholders."""
    return [t for k, t in enumerate(tokens) if not (t == PLACE and k > 0 and tokens[k - 1] == PLACE)]


@cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("swedish")


_STEM_CACHE: dict[str, str] = {}


@cache
def _registry_finder():  # noqa: ANN202 - optional dependency on a concurrent module
    """The party registry's ``find_mentions`` when that module is available, else None."""
    try:
        from rok_compare.extract.registry import PartyRegistry
    except ImportError:
        return None
    try:
        return PartyRegistry.default().find_mentions
    except Exception:  # a broken registry must not break comparison
        return None


def clean(text: str) -> str:
    """NFC, no soft hyphens or zero-width characters, single spaces."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return " ".join(text.split())


def surface_key(text: str) -> str:
    """The words of the text, casefolded: spacing, punctuation and list bullets evened out."""
    return " ".join(_SURFACE_WORD.findall(_BULLET.sub("", clean(text)).casefold()))


def mask_names(text: str, use_registry: bool = True) -> str:
    """The lowercased words of ``text`` with place and county-bound party names as placeholders."""
    return " ".join(_masked_tokens(clean(text), use_registry))


def _masked_tokens(text: str, use_registry: bool) -> list[str]:
    finder = _registry_finder() if use_registry else None
    if finder is not None:
        text = _mask_mentions(text, finder)
    return _mask_places(_TOKEN.findall(text))


def _mask_mentions(text: str, finder) -> str:  # noqa: ANN001
    """Mask the bare place names the registry knows ("Umeå", "Tingsryds"). Party names keep
    their words (only the place in them is masked, by the word lists): with whole names masked,
    "Region Värmland" and "Landstinget i Värmland" would read the same and party lists would
    pair at random."""
    try:
        mentions = sorted(finder(text), key=lambda m: m.start)
    except Exception:
        return text
    out, last = [], 0
    for m in mentions:
        if m.start < last or not getattr(m, "bare_place", False):
            continue
        out.append(text[last:m.start])
        out.append(f" {PLACE} ")
        last = m.end
    out.append(text[last:])
    return "".join(out)


def stem_words(tokens: list[str]) -> list[str]:
    """Swedish Snowball stems (cached); placeholders and numbers are kept as they are."""
    cache_ = _STEM_CACHE
    out = []
    for token in tokens:
        stem = cache_.get(token)
        if stem is None:
            token = token.replace("–", "-")
            stem = token if token.startswith("_") or token.isdigit() else _stemmer().stemWord(token)
            if len(cache_) < 2_000_000:
                cache_[token] = stem
        out.append(stem)
    return out


@dataclass(frozen=True, slots=True)
class NormText:
    """The comparison views of one clause text."""

    masked: str
    """Lowercased text with names masked, stems not applied: input of character n-grams."""
    stems: str
    """Space-joined stems of the masked text: input of word TF-IDF, hashing and rapidfuzz."""


def normalize(text: str, use_registry: bool = True) -> NormText:
    """All comparison views of ``text``."""
    text = clean(text)
    tokens = _masked_tokens(text, use_registry)
    if sum(1 for t in tokens if not t.startswith("_")) < MIN_UNMASKED and PLACE in tokens:
        tokens = [t.lower() for t in _TOKEN.findall(text)]  # the name is the content: keep it
    return NormText(masked=" ".join(tokens), stems=" ".join(stem_words(tokens)))


def normalize_many(texts: list[str], use_registry: bool = True) -> list[NormText]:
    """``normalize`` for many texts, caching repeats (boilerplate recurs a lot)."""
    seen: dict[str, NormText] = {}
    out = []
    for text in texts:
        norm = seen.get(text)
        if norm is None:
            norm = seen[text] = normalize(text, use_registry)
        out.append(norm)
    return out


RECURRING_TEXTS = 100_000
"""Clause texts whose views :func:`views_of_recurring` keeps between calls (some tens of MB)."""
_RECURRING: dict[str, tuple[NormText, str]] = {}


def views_of_recurring(texts: list[str]) -> tuple[list[NormText], list[str]]:
    """``normalize`` and ``surface_key`` of each text, remembered across calls: a report aligns
    each document with several others, and agreements repeat each other's clauses, so most
    texts an aligner sees were seen before. The views depend on the text alone (the party
    registry is read once per process), so a remembered one is the one computed now. When full,
    the memory is emptied and starts again."""
    memory = _RECURRING
    out: list[tuple[NormText, str]] = []
    for text in texts:
        views = memory.get(text)
        if views is None:
            if len(memory) >= RECURRING_TEXTS:
                memory.clear()
            views = memory[text] = (normalize(text), surface_key(text))
        out.append(views)
    return [v[0] for v in out], [v[1] for v in out]
