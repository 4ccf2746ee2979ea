"""rok-compare's language rules as spaCy pipeline components, for working with spaCy Docs.

    >>> from rok_compare.nlp import load
    >>> nlp = load()
    >>> doc = nlp("Parterna ska bl.a. följa upp arbetet. Länsstyrelsen i Norrbottens län sammankallar.")
    >>> [s.text for s in doc.sents], [(e.text, e.label_, e._.canonical) for e in doc.ents]

``load()`` is ``spacy.blank("sv")`` with the abbreviations spaCy's Swedish tokenizer splits
("enl.", "prop.", "ff.", "st.") kept whole, and two registered components: ``rok_sentences``
(the sentence boundaries of :mod:`rok_compare.segment.sentences`) and ``rok_organisations``
(organisation mentions from the party registry as entities labelled with their kind, with the
registry's name in ``ent._.canonical``). The extraction pipeline itself works on plain strings,
because spaCy's tokenizer alone costs about a third of its time budget; these components give
the same answers on a Doc.
"""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from rok_compare.segment.resources import abbreviations
from rok_compare.segment.sentences import split_sentences

if not Span.has_extension("canonical"):
    Span.set_extension("canonical", default=None)


@Language.component("rok_sentences")
def rok_sentences(doc: Doc) -> Doc:
    """Mark sentence starts where rok-compare's Swedish sentence splitter puts them."""
    starts = {start for start, _ in split_sentences(doc.text)}
    for token in doc:
        token.is_sent_start = token.i == 0 or token.idx in starts
    return doc


@Language.component("rok_organisations")
def rok_organisations(doc: Doc) -> Doc:
    """Organisation mentions as entities: label = party kind, ``_.canonical`` = registry name."""
    from rok_compare.extract.organisations import find_organisations
    from rok_compare.extract.registry import PartyRegistry

    entities = []
    for mention in find_organisations(doc.text, PartyRegistry.default()):
        span = doc.char_span(mention.start, mention.end, label=str(mention.kind), alignment_mode="expand")
        if span is not None:
            span._.canonical = mention.canonical
            entities.append(span)
    doc.ents = spacy.util.filter_spans(entities)
    return doc


def load() -> Language:
    """A blank Swedish pipeline with rok-compare's abbreviations, sentences and organisations."""
    nlp = spacy.blank("sv")
    for abbreviation in abbreviations():
        if " " not in abbreviation and abbreviation.endswith("."):
            nlp.tokenizer.add_special_case(abbreviation, [{"ORTH": abbreviation}])
    nlp.add_pipe("rok_sentences")
    nlp.add_pipe("rok_organisations")
    return nlp
