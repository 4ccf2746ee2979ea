"""Test support for the store: a generated corpus and stand-in extractors.

Not used by the pipeline. The tests and ``scripts/bench_store.py`` need (a) many realistic
agreement files, or agreements built by hand, and (b) extractors whose behaviour they control,
independent of how far the real extractor has come: one that always yields clauses, one that
crashes or kills its process on chosen files, one that is slow enough to be interrupted. They
are plugged in by import reference, e.g. ``ROK_EXTRACTOR=rok_compare.store.testing:paragraph_extractor rok ingest DIR``.

Generated files start with a small front matter (``Län:``, ``Period:``, ``Part:`` lines) that
:func:`paragraph_extractor` reads; the rest is headings (``# ...``) and paragraphs.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import signal
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from rok_compare.ingest import read_document
from rok_compare.model import (
    Agreement,
    Clause,
    ClauseKind,
    Commitment,
    County,
    DocType,
    Goal,
    Page,
    Party,
    PartyKind,
    Period,
    SourceDocument,
    SourceFormat,
)

DELAY_ENV = "ROK_TEST_DELAY"
"""Seconds :func:`slow_extractor` sleeps per file."""

COUNTIES = [("Stockholms län", "01"), ("Uppsala län", "03"), ("Södermanlands län", "04"),
            ("Östergötlands län", "05"), ("Jönköpings län", "06"), ("Kronobergs län", "07"),
            ("Kalmar län", "08"), ("Gotlands län", "09"), ("Blekinge län", "10"), ("Skåne län", "12"),
            ("Hallands län", "13"), ("Västra Götalands län", "14"), ("Värmlands län", "17"),
            ("Örebro län", "18"), ("Västmanlands län", "19"), ("Dalarnas län", "20"),
            ("Gävleborgs län", "21"), ("Västernorrlands län", "22"), ("Jämtlands län", "23"),
            ("Västerbottens län", "24"), ("Norrbottens län", "25")]
PARTIES = ["Länsstyrelsen", "Arbetsförmedlingen", "Migrationsverket", "Försäkringskassan", "Region",
           "Kommunförbundet", "Skolverket", "Folkbildningsrådet", "Högskolan", "Svenska kyrkan"]
_HEADINGS = ["Bakgrund", "Syfte", "Målgrupp", "Gemensamma mål", "Parternas åtaganden", "Uppföljning",
             "Samverkan och styrning", "Hälsa", "Bostad", "Utbildning och arbete"]
_CLAUSES = [
    "Överenskommelsen ska bidra till att nyanlända kvinnor och män snabbt etablerar sig på arbetsmarknaden "
    "och i samhället.",
    "Parterna ska verka för att alla nyanlända erbjuds en hälsoundersökning inom {n} veckor efter ankomsten.",
    "{party} ansvarar för att samhällsorientering erbjuds på modersmålet i hela länet.",
    "Målgruppen är nyanlända invandrare som omfattas av lagen (2010:197) om etableringsinsatser samt "
    "ensamkommande barn som fått uppehållstillstånd.",
    "{party} åtar sig att samordna arbetet med mottagandet av ensamkommande barn och unga.",
    "Tolk ska användas vid alla kontakter där den nyanlände inte behärskar svenska språket.",
    "Uppföljning av överenskommelsen sker årligen i den regionala styrgruppen under ledning av {party}.",
    "Kommunerna ansvarar för bostad, skola och svenskundervisning för vuxna (sfi) i enlighet med "
    "gällande lag.",
    "Parterna ska gemensamt verka för att validering av utländsk utbildning sker tidigt under etableringen.",
    "Barn som får uppehållstillstånd ska snarast erbjudas förskola eller skola i den kommun där de bor.",
    "{party} ska säkerställa att information om föräldraförsäkring och barnbidrag ges inom {n} dagar.",
    "Arbetet med hälsofrämjande insatser och psykosocialt stöd ska förstärkas under perioden {start}–{end}.",
    "Civilsamhällets organisationer bidrar med språkvän, läxhjälp och fritidsaktiviteter för nyanlända.",
    "Samverkan mellan parterna ska leda till att väntetiderna i etableringsprocessen kortas.",
    "Arbetsgivare i länet ska stimuleras att erbjuda praktikplatser och arbetsplatsförlagd språkträning.",
]
_EDITS = [("ska verka för", "ska arbeta för"), ("nyanlända", "nyanlända personer"),
          ("snabbt", "så snabbt som möjligt"), ("i hela länet", "i samtliga kommuner"),
          ("årligen", "två gånger per år")]
_SUBJECTS = ["Kommunen", "Regionen", "Länsstyrelsen", "Arbetsförmedlingen", "Parterna", "Skolan",
             "Civilsamhället", "Vårdcentralen", "Folkhögskolan", "Styrgruppen", "Socialtjänsten"]
_VERBS = ["ska erbjuda", "ansvarar för", "ska utveckla", "verkar för", "ska samordna", "bidrar till",
          "ska följa upp", "ska kartlägga", "planerar", "ska informera om"]
_OBJECTS = ["språkträning", "praktikplatser", "föräldrautbildning", "bostäder för ensamkommande",
            "samhällsorientering", "validering av yrkeskompetens", "psykosocialt stöd", "tolkförmedling",
            "kompletterande utbildning", "mentorskap", "studie- och yrkesvägledning", "friskvård",
            "digitala tjänster", "snabbspår för akademiker", "kontakter med arbetsgivare"]
_QUALIFIERS = ["för nyanlända kvinnor", "under etableringstiden", "i samverkan med näringslivet",
               "på modersmålet", "i glesbygd", "för unga vuxna", "inom ramen för överenskommelsen",
               "senast {year}", "i minst {n} kommuner", "två gånger per termin", "med stöd av statsbidrag"]
_FRONT = re.compile(r"^(Län|Period|Part|Typ):\s*(.+)$", re.M)


def generate_document(rng: random.Random, index: int) -> str:
    """One agreement as text: front matter, a title, then 6-10 sections of templated clauses.

    Clauses are drawn from shared templates with party names, numbers and small edits filled in,
    so that the corpus has exact copies, edited variants and unique wording, as real ones do.
    """
    county, code = COUNTIES[index % len(COUNTIES)]
    start = rng.randint(2006, 2022)
    end = start + rng.choice([0, 1, 2, 3, 6])
    parties = ["Länsstyrelsen", *rng.sample(PARTIES[1:], rng.randint(3, 7))]
    lines = [f"Län: {county} ({code})", f"Period: {start}-{end}", *[f"Part: {p}" for p in parties],
             "", f"REGIONAL ÖVERENSKOMMELSE om samverkan kring nyanlända i {county} {start}–{end}", ""]
    for heading in rng.sample(_HEADINGS, rng.randint(6, 10)):
        lines += [f"# {heading}", ""]
        for _ in range(rng.randint(2, 4)):
            if rng.random() < 0.5:
                text = rng.choice(_CLAUSES).format(party=rng.choice(parties), n=rng.choice([4, 6, 8]),
                                                   start=start, end=end)
            else:  # composed: many distinct clauses, as in the unique parts of real agreements
                first, second = (rng.choice(_QUALIFIERS).format(year=rng.randint(start, end + 2),
                                                                n=rng.randint(2, 12)) for _ in range(2))
                text = (f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {first}"
                        f" och {rng.choice(_OBJECTS)} {second}.")
            if rng.random() < 0.3:
                old, new = rng.choice(_EDITS)
                text = text.replace(old, new)
            if rng.random() < 0.2:
                group = rng.choice(["unga", "kvinnor", "äldre", "familjer"])
                text += f" Detta gäller särskilt {group} i {county}."
            lines += [text, ""]
    return "\n".join(lines)


def generate_corpus(folder: str | Path, count: int, seed: int = 7) -> list[Path]:
    """Write ``count`` generated agreements to ``folder`` as UTF-8 text files."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for index in range(count):
        path = folder / f"rok_{index:05d}.txt"
        path.write_text(generate_document(rng, index), encoding="utf-8")
        paths.append(path)
    return paths


def paragraph_extractor(path: str | Path) -> Agreement:
    """Read a file and make one clause per paragraph; front matter gives county, period and parties."""
    return paragraph_agreement(read_document(path))


def paragraph_agreement(source: SourceDocument) -> Agreement:
    """The :func:`paragraph_extractor` for a document already read (the benchmark builds them in memory)."""
    text = source.text
    front = {}
    parties: list[Party] = []
    for match in _FRONT.finditer(text):
        key, value = match.group(1), match.group(2).strip()
        if key == "Part":
            parties.append(Party(value, value, PartyKind.OTHER, source.span(match.start(2), match.end(2))))
        else:
            front.setdefault(key, value)
    county = None
    if m := re.match(r"(.+?)\s*\((\d\d)\)$", front.get("Län", "")):
        county = County(m.group(1), m.group(2))
    period = None
    if m := re.match(r"(\d{4})(?:-(\d{4}))?", front.get("Period", "")):
        period = Period(int(m.group(1)), int(m.group(2) or m.group(1)))
    clauses, goals, commitments = [], [], []
    heading = None
    for match in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text):
        para, span = match.group(0).strip(), source.span(match.start(), match.end())
        if _FRONT.match(para) or not para:
            continue
        if para.startswith("# "):
            heading = para[2:].strip()
            continue
        kind = ClauseKind.COMMITMENT if re.search(r"\b(ska|ansvarar|åtar sig)\b", para) else ClauseKind.OTHER
        clauses.append(Clause(f"c{len(clauses) + 1}", heading, kind, [], para, span))
        if heading and "mål" in heading.casefold():
            goals.append(Goal(para, heading, span))
        if kind is ClauseKind.COMMITMENT:
            commitments.append(Commitment("*", para, "shall", span, heading))
    return Agreement(source=source, title=None, county=county, period=period, revision_date=None,
                     doc_type=DocType.REGIONAL_AGREEMENT if county else DocType.OTHER, parties=parties,
                     goals=goals, commitments=commitments, clauses=clauses, warnings=[])


def make_agreement(path: str | Path, clauses: list[str], *, county: tuple[str, str] | None = None,
                   period: tuple[int, int] | None = None, parties: Sequence[str] = (),
                   kinds: Sequence[str] = (), section: str | None = "Åtaganden") -> Agreement:
    """A small agreement built by hand, one clause per paragraph (for store and search tests)."""
    text = "\n\n".join(clauses)
    sha = hashlib.sha256(text.encode()).hexdigest()
    source = SourceDocument(Path(path), sha, SourceFormat.TEXT, text, [Page(1, 0, len(text))])
    built, offset = [], 0
    for i, clause in enumerate(clauses):
        kind = ClauseKind(kinds[i]) if i < len(kinds) else ClauseKind.COMMITMENT
        built.append(Clause(f"c{i + 1}", section, kind, ["health"], clause, source.span(offset, offset + len(clause))))
        offset += len(clause) + 2
    return Agreement(
        source=source, title="REGIONAL ÖVERENSKOMMELSE", county=County(*county) if county else None,
        period=Period(*period) if period else None, revision_date=None, doc_type=DocType.REGIONAL_AGREEMENT,
        parties=[Party(p, p, PartyKind.STATE_AGENCY, source.span(0, 1)) for p in parties],
        goals=[Goal(clauses[0], "Mål", source.span(0, 1))] if clauses else [],
        commitments=[Commitment("*", c, "shall", source.span(0, 1)) for c in clauses[:2]],
        clauses=built,
    )


def crashing_extractor(path: str | Path) -> Agreement:
    """:func:`paragraph_extractor`, except that ``*crash*`` files raise and ``*die*`` files kill
    the process."""
    name = Path(path).name
    if "die" in name:
        os._exit(13)  # no cleanup, no exception: as a segfault in native code would
    if "crash" in name:
        raise RuntimeError(f"simulated extractor bug on {name}")
    return paragraph_extractor(path)


def slow_extractor(path: str | Path) -> Agreement:
    """:func:`paragraph_extractor` after sleeping ``$ROK_TEST_DELAY`` seconds (default 0.05)."""
    time.sleep(float(os.environ.get(DELAY_ENV, "0.05")))
    return paragraph_extractor(path)


def hanging_extractor(path: str | Path) -> Agreement:
    """:func:`paragraph_extractor`, except that ``*hang*`` files never finish and ``*sleepN*`` files
    (``sleep0.8``) take N seconds.

    A hanging file first adds its process id to ``<file>.pid`` (a line per attempt) and, in a
    process's main thread, ignores SIGTERM, as some hangs in native code do: only a kill stops it.
    """
    name = Path(path).name
    if "hang" in name:
        with open(f"{path}.pid", "a") as pids:
            pids.write(f"{os.getpid()}\n")
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        time.sleep(3600)
    if match := re.search(r"sleep(\d+(?:\.\d+)?)", name):
        time.sleep(float(match.group(1)))
    return paragraph_extractor(path)


def greedy_extractor(path: str | Path) -> Agreement:
    """:func:`paragraph_extractor`, except that ``*greedy*`` files ask for 8 GB at once (a zip bomb's
    worth): under a worker memory limit that is a MemoryError, without one the allocation may succeed."""
    if "greedy" in Path(path).name:
        hog = bytearray(8 << 30)
        del hog
    return paragraph_extractor(path)


def vm_size_extractor(path: str | Path) -> Agreement:
    """:func:`paragraph_extractor` that puts its process's address space (MB) in the agreement's warnings."""
    agreement = paragraph_extractor(path)
    status = Path("/proc/self/status").read_text()
    vm = int(re.search(r"VmSize:\s+(\d+)", status).group(1)) // 1024  # type: ignore[union-attr]
    agreement.warnings.append(f"vm_mb={vm}")
    return agreement
