"""The ways a document states years and periods, shared by the period rules
(:mod:`.metadata`) and the period decider's candidates (:mod:`.period_candidates`)."""

from __future__ import annotations

import re

YEAR = r"(?:19[89]\d|20[0-4]\d)"
MONTH_NAMES = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
# A pattern that opens with a look-behind is tried at every character; the look-ahead before it
# restates the first character the pattern needs, so that the engine skips to where it may match.
SPAN = re.compile(
    rf"(?=[12])(?<![\d/:-])({YEAR})\s*(?:[-–—]|till|t\.o\.m\.)\s*({YEAR}|\d\d(?!\.?\s+(?:{MONTH_NAMES})))(?![\d/:]|-\d)",
    re.I,
)
"""A span of years, "2019–2021", "2019-21"; not "2020 – 31 december 2022" (a day, not a year), nor
the ISO date "2001-03-29"."""
DATE_SPAN = re.compile(
    rf"(?=[fm])\b(?:från|fr\.o\.m\.?|from|mellan)\s+(?:den\s+)?[^.]{{0,25}}?({YEAR})(?:-\d\d-\d\d)?\s*"
    rf"(?:till|t\.o\.m\.?|och|–|-)\s+(?:och med\s+)?(?:den\s+)?[^.]{{0,25}}?({YEAR})\b",
    re.I,
)
"""A validity written with dates: "gäller från den 1 januari 2020 till den 31 december 2023"."""
ISO_DATE_SPAN = re.compile(rf"(?=[12])(?<![\d/])({YEAR})-\d\d-\d\d\s*(?:[-–—]|till|t\.o\.m\.?)\s*({YEAR})-\d\d-\d\d\b")
"""A validity written with ISO dates: "2020-01-01 – 2022-12-31"."""
NAMED_DATE_SPAN = re.compile(
    rf"({YEAR})\s*(?:[-–—]|till(?:\s+och\s+med)?|t\.o\.m\.?)\s*(?:den\s+)?\d{{1,2}}\s+(?:{MONTH_NAMES})\s+({YEAR})\b",
    re.I,
)
"""A validity written with named months: "1 januari 2020 – 31 december 2022"."""
OPEN_VALIDITY = re.compile(
    rf"\b(?:gäller|giltig\w*)\b[^.]{{0,40}}?\b(?:(från|fr\.o\.m\.?)|(till och med|t\.o\.m\.?|till))(?::\s*|\s+)"
    rf"(?:och med\s+)?(?:den\s+)?(?:\d{{1,2}}\s+[a-zåäö]+\s+)?({YEAR})\b",
    re.I,
)
"""A validity with one end: "gäller tills vidare från 2019", "gäller till och med 2023", and the
field of a municipal document's header, "Dokumentet gäller till och med: 2023"."""
DOCUMENT_NAMES = (r"överenskommelse\w*|(?-i:RÖK|SÖK|LÖK)\w*|avtal\w*|avsiktsförklaring\w*|strategi\w*|"
                   r"handlingsplan\w*|plan(?:en)?|program(?:met)?|policy\w*")
"""What agreements and plans call themselves."""
THIS_DOCUMENT = re.compile(rf"\b({DOCUMENT_NAMES}|dokumentet)\b", re.I)
"""The document speaking of itself, as a validity statement does ("Dokumentet gäller till ...")."""
LAW = re.compile(r"\b(lag(en|ar|arna)?|förordning\w*|\(\d{4}:\d+\))", re.I)
SINGLE_YEAR = re.compile(rf"(?<![\d/:.-])({YEAR})(?![\d/:-])")
DOCUMENT_WORDS = re.compile(rf"\b({DOCUMENT_NAMES}|gäller|giltig\w*|period\w*)\b", re.I)
"""A document's name or its validity: a sentence that may state the period."""
NOT_VALIDITY = re.compile(r"\b(under åren|(?<!för )åren|mellan åren|prognos|statistik|sedan|födda|antal)\b", re.I)
"""Years of statistics or history ("under åren 1996-2007"), not of validity ("för åren 2004-2005" is)."""
ADOPTED = re.compile(rf"\b(antagen|antaget|antagits|antogs|fastställd|fastställt|fastställts|fastställdes|beslutad|"
                      rf"beslutat|beslutats|beslutades|undertecknad|undertecknades|undertecknats|tecknad|tecknades|"
                      rf"tecknats)\b[^.\n]{{0,60}}?({YEAR})",
                      re.I)

SPAN_PATTERNS = (ISO_DATE_SPAN, NAMED_DATE_SPAN, SPAN, DATE_SPAN)
"""Every way a span of years is written, most specific first."""
MAX_SPAN_YEARS = 12
"""A longer "span" is two unrelated years ("1994–2019"), not a period of validity."""


def span_years(match: re.Match[str]) -> tuple[int, int] | None:
    """The first and last year of a span match ("2019-21" ends 2021), or None when it is no period."""
    start = int(match.group(1))
    end_text = match.group(2)
    end = int(end_text) if len(end_text) == 4 else (start // 100) * 100 + int(end_text)
    return (start, end) if start <= end <= start + MAX_SPAN_YEARS else None
