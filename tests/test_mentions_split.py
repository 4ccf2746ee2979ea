"""The split of mentions.py/registry.py: moved names still import from the old modules, and the patterns
that name lookup and the mention finder share give the same answer through both."""

from rok_compare.extract import mentions, name_patterns, party_records, registry


def test_moved_names_are_re_exported() -> None:
    for name in ("PREFIXES", "SUFFIXES", "collective_match", "match_collective", "match_pattern", "resolve_pattern"):
        assert getattr(mentions, name) is getattr(name_patterns, name)
    for name in ("DATA", "CountyInfo", "Mention", "PartyMatch", "RegistryEntry", "fold", "key_of", "normalise"):
        assert getattr(registry, name) is getattr(party_records, name)


def test_pattern_names_through_lookup_and_finder() -> None:
    reg = registry.PartyRegistry.default()
    name = "Samordningsförbundet Bjurholmsdalen"  # not in the registry: only the pattern knows it
    found = name_patterns.match_pattern(reg, name)
    assert found is not None and found.entry is None and found.canonical == name
    assert reg.lookup(name) == found
    assert [(m.text, m.match) for m in reg.find_mentions(f"Avtal med {name}.")] == [(name, found)]
