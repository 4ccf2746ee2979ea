"""The spaCy components: sentences and organisation entities on a Doc."""

from __future__ import annotations

from rok_compare.nlp import load


def test_sentences_and_organisations_on_a_spacy_doc():
    nlp = load()
    doc = nlp("Landstinget erbjuder vård enl. lag (2008:344). Parterna ska bl.a. följa upp arbetet 2019–2025. "
              "Länsstyrelsen i Norrbottens län och Arbetsförmedlingen sammankallar parterna.")
    assert [s.text for s in doc.sents] == [
        "Landstinget erbjuder vård enl. lag (2008:344).",
        "Parterna ska bl.a. följa upp arbetet 2019–2025.",
        "Länsstyrelsen i Norrbottens län och Arbetsförmedlingen sammankallar parterna.",
    ]
    entities = [(e.text, e.label_, e._.canonical) for e in doc.ents]
    assert ("Länsstyrelsen i Norrbottens län", "county_administrative_board", "Länsstyrelsen") in entities
    assert ("Arbetsförmedlingen", "state_agency", "Arbetsförmedlingen") in entities
    assert [t.text for t in nlp.tokenizer("enl. prop. 2009/10:60 ff.")] == ["enl.", "prop.", "2009/10:60", "ff."]
