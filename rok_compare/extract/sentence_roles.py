"""The roles in a sentence that decide whether it is a commitment, and whose: its subject (a party,
the parties jointly, the municipalities as a group, an impersonal process), the agent of a
passive, the holder of a role ("Region Hallands roll är att ..."), and whether the wording binds.

:mod:`commitments` walks the document and asks these questions of each sentence.
"""

from __future__ import annotations

import re

from rok_compare.extract.listed_names import joiners_only
from rok_compare.extract.organisations import MentionIndex, OrgMention
from rok_compare.model import Party, PartyKind, Sentence
from rok_compare.segment.folding import FoldedPattern, lowered

ALL = "*"
_BINDING = re.compile(
    r"^\W*(?:[\wåäö]+\s+){0,3}?(ska|skall|kommer\s+(?:[\wåäö]+\s+){0,3}?att|åtar sig|åtog sig|"
    r"har åtagit sig|förbinder sig|avser att|vill|bidrar|medverkar|deltar|roll (är )?att|uppdrag (är )?att)\b",
    re.I,
)
"""Binding wording right after the subject ("Arbetsförmedlingen ska ...", "... bidrar Region X med")."""
_INVERTED_BINDING = re.compile(r"\b(ska|skall|kommer|vill|bidrar|medverkar)\s*$", re.I)
_BINDING_VERBS = ("ska", "skall", "kommer", "vill", "bidrar", "medverkar")
_LONGEST_VERB = 9
_ROLE_AFTER_GENITIVE = re.compile(r"\s+(roll|uppdrag)\s+(är\s+)?att\b", re.I)
_ROLE = re.compile(r"(:s|s)?\s+(roll|uppdrag)\s+(är\s+)?att\b", re.I)
NOT_BINDING = re.compile(
    r"\b(ska|skall) kunna\b|^(?:\S+\s+){0,8}?(sannolikt|troligen|kanske|eventuellt|möjligen)\b"
    r"|\b(ska|skall) vara (en|ett) [a-zåäö]+ (där|som)\b",  # a vision: "X ska vara en kommun där ..."
    re.I,
)
NOT_BINDING_FOLDED = FoldedPattern(NOT_BINDING.pattern.replace(r"\S", r"[^\s]"))
"""The same (``\\S`` written as the class it is, so that the pattern is in lower case), searched without
the flag on lower-cased text (see :class:`FoldedPattern`)."""
JOINT_SUBJECT = re.compile(
    r"(?:^|\batt\s+)(de parter|samtliga parter|alla parter|vi som kommuner|vi)\b"
    r"(?:(?!\b(?:för att|så att)\b)[^.]){0,200}?\b(ska|skall|kommer att|åtar sig|förbinder sig|avser att)\b",
    re.I,
)
JOINT_ANYWHERE = re.compile(
    r"(?:^|\batt\s+|\bmed att\s+)(?:de\s+)?parterna\s+(?:inte\s+|tillsammans\s+|gemensamt\s+|också\s+|även\s+)?"
    r"(?!i\b|och\b|med\b|för\b|som\b|att\b|av\b|till\b|på\b|inom\b|mellan\b|kring\b)[a-zåäö]+",
    re.I,
)
_PROCESS_NOUNS = (r"arbetet|samverkan|samarbetet|uppföljning(?:en)?|handlingsplaner(?:na)?|kartläggning(?:en)?|"
                  r"fördelning(?:en)?|samordning(?:en)?|utvärdering(?:en)?|rapportering(?:en)?|avtalet|överenskommelsen")
_PROCESS_SUBJECT = re.compile(
    r"^(?!(?:i|med|för|genom|inom|vid|under|efter|enligt)\s)(?:[\wåäö-]+\s+){0,2}?"
    rf"({_PROCESS_NOUNS})\b"
    r"(?:\s+(?:med|mellan|av|för|inom|kring|vid)\s+[^,.]{0,90}?)?(?:,[^,.]{0,120},)?"
    r"(?:\s+(?:ska|skall|kommer(?:\s+[\wåäö]+){0,3}?(?:\s+att)?)\s+|[^.]{0,80}?\boch\s+(?:ska|skall)\s+)",
    re.I,
)
"""An impersonal undertaking: "Det regionala arbetet ... ska bedrivas", "Samverkan ... kommer att ske"."""
_PLANNED_ACTIVITY = re.compile(
    r"^(?:[\wåäö-]+\s+){0,2}?(handlingsplaner(?:na)?|uppföljning(?:en)?|utvärdering(?:en)?|rapportering(?:en)?|"
    r"fördelning(?:en)? av [\wåäö]+|överenskommelsen|avtalet)\s+([a-zåäö]{3,}as|[a-zåäö]{2,}s\s+upp|sker)\b",
    re.I,
)
"""Present passive of planned activities: "Årliga handlingsplaner utarbetas ...", "Överenskommelsen följs upp ..."."""
_INVERTED_PROCESS = re.compile(
    rf"^(?:[\wåäö]+\s+){{0,2}}?(?:ska|skall|kommer)\s+(?:{_PROCESS_NOUNS})\s+(?:[\wåäö]+\s+){{0,3}}?[a-zåäö]{{3,}}as\b",
    re.I,
)
PROCESS_START = re.compile(rf"^(?:[\wåäö-]+\s+){{0,2}}?(?:{_PROCESS_NOUNS})\b", re.I)
_AGENT = re.compile(r"\b[a-zåäö]{3,}(?:as|s)\s+(?:och\s+[a-zåäö]+s\s+)?av\s+$", re.I)
RECEPTION = re.compile(
    r"\b(överenskommelse|avtal|avsiktsförklaring|samverkar|samarbetar)\w*\b[^.]*\b(ta emot|anvisningsbara platser)\b",
    re.I)
SIGNED = re.compile(
    r"\b(tecknat|tecknade|undertecknat|undertecknade|skrivit|skrev|ingått|ingick)\b[^.]*\b(ska|skall|ta emot|"
    r"om mottagande|anvisningsbara|platser|"
    r"asylboende\w*)\b", re.I)
"""Signing that says what is received: "har tecknat ett avtal om 60 anvisningsbara platser"."""
SIGNATURE_LINE = re.compile(r"_{4,}|^(?:för|for)\s+[A-ZÅÄÖ][^.]{0,80}$", re.I)
"""A signature: a line to sign on, or "För <organisation>" standing alone."""
PASSIVE_SIGNING = re.compile(
    r"\b(ingåtts|ingicks|undertecknats|undertecknades|tecknats|tecknades|träffats|träffades|slutits|slöts)\s+"
    r"(av|mellan|i\s+[A-ZÅÄÖ]|den\s+\d)", re.I)
_SIGNING_TRIGGERS = ("ingåtts", "ingicks", "tecknat", "tecknad", "träffa", "slutits", "slöts")
"""Every match of :data:`PASSIVE_SIGNING` holds one of these (lower case)."""
_SIGNING_TRIGGER = re.compile("|".join(_SIGNING_TRIGGERS))
"""Any of them, found in one scan."""


def signature_or_signing(text: str) -> bool:
    """A signature line, or a sentence saying who signed ("Överenskommelsen har ingåtts av X och Y")
    rather than what they undertake. Cheap substring checks guard the patterns (most sentences are neither)."""
    lowered = text.lower()
    if ("____" in text or lowered.startswith(("för ", "for "))) and SIGNATURE_LINE.search(text):
        return True
    return _SIGNING_TRIGGER.search(lowered) is not None and bool(PASSIVE_SIGNING.search(text)) \
        and not SIGNED.search(text)
_PREPOSITIONS = {"i", "på", "av", "med", "om", "till", "för", "vid", "från"}
_INVERTED_HAVE = re.compile(r"\b(har|tecknade|undertecknade|skrev)\s*$")
_HAVE_WORDS = ("har", "tecknade", "skrev")  # (also the ends of "undertecknade")
_LAST_LETTERS = ("a", "l", "r", "A", "L", "R", "e", "v", "t")
"""The last letters of every word a subject may follow (the inverted verbs in either case, "att")."""
"""A subject after an inverted verb: "I går tecknade Mora kommun och ...", "Sedan 2020 har X ..."."""
BARE_MUNICIPALITIES = re.compile(r"\W*Kommunerna\b(?!\s+i\s)")
_PROCESS_STEMS = ("arbet", "samverkan", "samarbet", "uppfölj", "handlingsplan", "kartlägg", "fördelning", "samordning",
                  "utvärder", "rapporter", "avtal", "överenskommels")
"""Every process noun of the patterns below starts with one of these."""
_PROCESS_STEM = re.compile("|".join(_PROCESS_STEMS))


def names_only(unit: Sentence, mentions) -> bool:
    """Whether a unit is nothing but organisation names: an item of a list of parties."""
    inside = mentions.within(unit.span.start, unit.span.end)
    if not inside or len(unit.text) > 200:
        return False
    rest = unit.text  # the unit's text is whitespace-normalised: remove the names, not their offsets
    for mention in inside:
        rest = rest.replace(mention.name, " ", 1)
    return joiners_only(rest)


def process_subject(text: str) -> bool:
    lowered = text.lower()
    if _PROCESS_STEM.search(lowered) is None:
        return False
    return bool(_PROCESS_SUBJECT.search(text) or _PLANNED_ACTIVITY.search(text) or _INVERTED_PROCESS.search(text))


def sole_municipality(parties: list[Party]) -> str | None:
    """The one municipality among the parties, who receives the newcomers an agreement is about."""
    municipalities = [p.canonical for p in parties if p.kind is PartyKind.MUNICIPALITY]
    return municipalities[0] if len(municipalities) == 1 else None


def municipalities_bound(unit: Sentence, subject: OrgMention | None, own: bool, in_region: bool) -> bool:
    """A binding sentence whose subject is the municipalities as a group, not a party: "Samtliga
    kommuner ska ...", "Kommunen ansvarar för ..." (no home municipality) or a bare "Kommunerna ..."
    (not an organisation mention: lower case it is too often an object, "i dialog med kommunerna")."""
    if own:
        return False
    if subject is not None:
        return subject.generic and subject.kind is PartyKind.MUNICIPALITY and (in_region or binds(unit, subject))
    bare = BARE_MUNICIPALITIES.match(unit.text)
    if not bare or NOT_BINDING_FOLDED.search(unit.text):
        return False
    return in_region or bool(_BINDING.search(unit.text[bare.end() :]))


def municipal_holder(parties: list[Party]) -> str | None:
    """Who a sentence about the municipalities commits: the group where it signed as one ("kommunerna
    i Blekinge län"), the one municipality among the parties, else all parties jointly if several
    municipalities signed; nobody if no municipality did (then it describes others' duties)."""
    municipalities = [p.canonical for p in parties if p.kind is PartyKind.MUNICIPALITY]
    if not municipalities:
        return None
    group = [name for name in municipalities if name.startswith("kommunerna")]
    if group:
        return group[0]
    return sole_municipality(parties) or ALL


def binds(unit: Sentence, subject: OrgMention) -> bool:
    """Binding wording attached to the subject, after it or (inverted) right before it."""
    offset = subject.start - unit.span.start
    after = unit.text[max(0, offset) + len(subject.name) :] if offset >= 0 else unit.text
    before = unit.text[: max(0, offset)]
    if NOT_BINDING_FOLDED.search(unit.text):
        return False
    return bool(_BINDING.search(after) or _inverted_binding(before, before.rstrip()))


def _inverted_binding(text: str, stripped: str) -> bool:
    """:data:`_INVERTED_BINDING` in ``text`` (``stripped``: it without trailing white space), searched
    only where the text ends with one of its verbs."""
    tail = lowered(stripped[-_LONGEST_VERB:])
    return (tail is None or tail.endswith(_BINDING_VERBS)) and _INVERTED_BINDING.search(text) is not None


def subject_chain_size(unit: Sentence, mentions, party_names: set[str], subject: OrgMention) -> int:
    """How many parties stand joined from the subject on: "Region Gotland, Migrationsverket och ... har",
    "I går tecknade Mora kommun och Migrationsverket ..."."""
    inside = [m for m in mentions.within(unit.span.start, unit.span.end) if m.start >= subject.start]
    count, boundary = 0, subject.start
    source = unit.text
    for mention in inside:
        gap = source[boundary - unit.span.start : mention.start - unit.span.start]
        if count and not re.fullmatch(r"\s*(,|och|samt|,\s*och)\s*", gap) or not count and gap.strip():
            break
        if mention.canonical.lower() in party_names:
            count += 1
        boundary = mention.end
    return count


def role_holder(unit: Sentence, mentions, party_names: set[str]) -> OrgMention | None:
    """ "... är Region Hallands roll att processleda samverkan": the party whose role it is."""
    for mention in mentions.within(unit.span.start, unit.span.end):
        if mention.canonical.lower() in party_names:
            rest = unit.text[mention.end - unit.span.start :]
            if _ROLE.match(rest) or (mention.name.endswith("s") and _ROLE_AFTER_GENITIVE.match(rest)):
                return mention
    return None


def agent_of(unit: Sentence, mentions, party_names: set[str]) -> OrgMention | None:
    """The party after a passive "... leds och samordnas av länsstyrelsen"."""
    for mention in mentions.within(unit.span.start, unit.span.end):
        if mention.canonical.lower() not in party_names:
            continue
        before = unit.text[: mention.start - unit.span.start]
        if _ends_with_by(before) and _AGENT.search(before):
            return mention
    return None


def _ends_with_by(text: str) -> bool:
    """Whether ``text`` ends with "av" and white space: what every match of :data:`_AGENT` ends with
    (checked before the pattern, which tries every word of the text)."""
    stripped = text.rstrip()
    return len(stripped) < len(text) and stripped[-2:].lower() == "av"


def subject_of(unit: Sentence, mentions: MentionIndex) -> OrgMention | None:
    """A party mention that is the sentence's subject: first, or right after an inverted verb."""
    for mention in mentions.within(unit.span.start, unit.span.end):
        offset = mention.start - unit.span.start
        prefix = unit.text[: max(0, offset)] if offset < len(unit.text) else ""
        if offset <= 2:
            if prefix.strip().lower() in _PREPOSITIONS:
                continue  # "I Hässleholm ska alla ...": a place, not the subject
            return mention
        stripped = prefix.rstrip()  # each pattern below ends with a word and white space: checked first
        if not stripped.endswith(_LAST_LETTERS):
            continue
        words = len(prefix.split())
        if _inverted_binding(prefix, stripped) and words <= 25 \
                or stripped.endswith(_HAVE_WORDS) and _INVERTED_HAVE.search(prefix) and words <= 6:
            return mention
        if stripped.endswith("att") and re.search(r"\batt\s*$", prefix) and words <= 25:
            return mention  # "... finns en överenskommelse ... att Herrljunga kommun ska verka för"
    return None
