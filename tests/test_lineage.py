"""Revision lineages: versions of one agreement are linked by what they share, not by county alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from rok_compare.align.lineage import Lineage, document_year, find_lineages
from rok_compare.store import Store, ingest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
SHARED = ROOT.parent / "shared" / "corpus"

# Versions of one agreement, as the shared sets' MANIFEST.csv notes and titles name them (older first).
VERSIONS = [
    ("stockholm_2017_koordination_norrort_skl_idebank.txt",
     "stockholm_2019_koordination_norrort_skr_larandeexempel.txt"),
    ("dalarna_2015-2020_regiondalarna_sa_har_jobbar_vagen_in.txt",
     "dalarna_undated_regiondalarna_vagen_in_integration.txt"),
    ("jamtland_2016-2020_ostersund_integrationsstrategi.txt",
     "jamtland_2017_ostersund_integrationsstrategi_2020_webb.txt"),
    ("vastragotaland_2002-2013_boras_handlingsprogram_slideshare.txt",
     "vastragotaland_2014_boras_program_integrerat_samhalle.txt"),
    ("blekinge_2016-2018_rok_fran_asyl_till_arbete.txt",
     "blekinge_2019-2021_rok_lansstyrelsen.txt"),
    ("kalmar_2018_vastervik_revidering_integrationsstrategi_press.txt",
     "kalmar_2023-2027_vastervik_integrationsstrategi.txt"),
    ("002_c6b08bdffcd18306.txt",
     "kronoberg_2019-2025_sok_samverkan_lansstyrelsen.txt"),
]


def _names(db: Path) -> dict[str, int]:
    with Store.open(db, readonly=True) as store:
        return {Path(path).name: int(i) for i, path in store.conn.execute("SELECT id, path FROM documents")}


def _lineage_of(lineages: list[Lineage]) -> dict[int, Lineage]:
    return {doc: lineage for lineage in lineages for doc in lineage.document_ids}


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory) -> Path:
    if not (SHARED / "dev").is_dir() or not (SHARED / "train").is_dir():
        pytest.skip(f"shared corpora not available ({SHARED})")
    db = tmp_path_factory.mktemp("lineage") / "rok.db"
    report = ingest([SEEDS, SHARED / "dev", SHARED / "train"], db, workers=2)
    assert report.failed == 0
    return db


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("lineage_seeds") / "rok.db"
    ingest([SEEDS], db)
    return db


@pytest.mark.parametrize(("old", "new"), VERSIONS, ids=[pair[1].split("_")[0] for pair in VERSIONS])
def test_versions_of_one_agreement_are_one_lineage_oldest_first(shared_store: Path, old: str, new: str) -> None:
    ids = _names(shared_store)
    lineage = _lineage_of(find_lineages(shared_store))[ids[old]]
    assert ids[new] in lineage.document_ids
    assert lineage.document_ids.index(ids[old]) < lineage.document_ids.index(ids[new])
    assert lineage.county is not None


def test_the_koordination_norrort_revision_is_linked_by_its_shared_clauses(shared_store: Path) -> None:
    ids = _names(shared_store)
    lineage = _lineage_of(find_lineages(shared_store))[ids[VERSIONS[0][0]]]
    link = next(x for x in lineage.links if {x.old_id, x.new_id} == {ids[VERSIONS[0][0]], ids[VERSIONS[0][1]]})
    assert (link.old_id, link.new_id) == (ids[VERSIONS[0][0]], ids[VERSIONS[0][1]])
    assert link.shared_clauses >= 5 and link.title_similarity > 0.5 and link.party_overlap > 0.5
    assert 0.5 <= link.score <= 1.0


def test_same_county_documents_sharing_nothing_are_apart(shared_store: Path) -> None:
    """The Kronoberg 2014 local agreement of five municipalities and the 2019-2025 regional agreement
    (with the news on it) share the county and some parties, no clause: not one agreement."""
    ids = _names(shared_store)
    of = _lineage_of(find_lineages(shared_store))
    local_2014 = ids["kronoberg_2014_alvesta_lessebo_tingsryd_uppvidinge_vaxjo_lok.txt"]
    assert of[local_2014].document_ids == (local_2014,)
    assert of[ids["002_c6b08bdffcd18306.txt"]] is not of[local_2014]
    # Jämtland's regional agreement and its 2016 action plan are two documents, not two versions
    assert of[ids["000_7d7dd3b94a00e6f5.txt"]] is not of[ids["003_ccf35b8a4e2ffd62.txt"]]


def test_a_template_shared_across_counties_makes_no_lineage(shared_store: Path) -> None:
    """Seeds 000 (Jämtland) and 001 (Norrbotten) share seven clusters of template clauses."""
    ids = _names(shared_store)
    of = _lineage_of(find_lineages(shared_store))
    assert of[ids["000_7d7dd3b94a00e6f5.txt"]] is not of[ids["001_db03df83e1636e02.txt"]]


def test_every_document_in_exactly_one_lineage_with_a_tree_of_links(shared_store: Path) -> None:
    lineages = find_lineages(shared_store)
    documents = [doc for lineage in lineages for doc in lineage.document_ids]
    assert sorted(documents) == sorted(_names(shared_store).values())
    assert [lineage.id for lineage in lineages] == list(range(1, len(lineages) + 1))
    for lineage in lineages:
        assert len(lineage.links) == len(lineage.document_ids) - 1
        linked = {doc for link in lineage.links for doc in (link.old_id, link.new_id)}
        assert linked <= set(lineage.document_ids)
        if lineage.links:
            assert linked == set(lineage.document_ids)
    assert sum(len(lineage.document_ids) > 1 for lineage in lineages) >= len(VERSIONS)


def test_seeds_are_five_lineages_of_one(seed_store: Path) -> None:
    """The five seeds are five agreements: two of them share template clauses across counties, two
    are Jämtland's regional agreement and its action plan."""
    with Store.open(seed_store, readonly=True) as store:
        lineages = find_lineages(store)
    assert [len(lineage.document_ids) for lineage in lineages] == [1] * 5
    assert all(not lineage.links for lineage in lineages)
    assert [lineage.county for lineage in lineages] == sorted(lineage.county for lineage in lineages)


def test_a_document_dates_from_its_period_else_revision_else_name_else_text() -> None:
    assert document_year(2016, "2019-03", "a/jamtland_2017_x.txt", ["2022"]) == 2016
    assert document_year(None, "2019-03", "a/jamtland_2017_x.txt", ["2022"]) == 2019
    assert document_year(None, None, "a/stockholm_2017_koordination.txt", ["2022"]) == 2017
    assert document_year(None, None, "000_7d7dd3b94a00e6f5.txt", ["sedan 2014", "lagen (2010:197)"]) == 2014
    assert document_year(None, None, "notes.txt", ["lagen (2010:197)"]) is None


def test_clusters_out_of_date_are_computed_without_writing(tmp_path: Path, seed_store: Path) -> None:
    """A store ingested without clustering (``reuse=False``) still gets its shared clauses, the ones
    ingest would store (seeds 000 and 001 share template clauses)."""
    from rok_compare.align.lineage_data import read_documents as _read

    db = tmp_path / "rok.db"
    ingest([SEEDS], db, reuse=False)

    def shared(path: Path) -> dict[str, int]:
        with Store.open(path, readonly=True) as store:
            documents = _read(store)
        first, second = (next(d for d in documents if Path(d.path).name.startswith(p)) for p in ("000", "001"))
        return {"shared": len(first.clusters & second.clusters), "clusters": len(first.clusters)}

    with Store.open(db, readonly=True) as store:
        assert store.conn.execute("SELECT COUNT(*) FROM reuse_clusters").fetchone()[0] == 0
    assert shared(db) == shared(seed_store)
    assert shared(db)["shared"] >= 3


def test_successive_periods_with_the_same_parties_link_and_a_gap_does_not(tmp_path: Path) -> None:
    """Three regional agreements of one county sharing no clause: 2016-2018 and 2019-2021 with mostly
    the same parties are versions; 2025-2027 with the very same parties, four years later, is not."""
    from rok_compare.store.reuse import recompute_reuse_clusters
    from rok_compare.store.testing import make_agreement
    from rok_compare.store.write import write_agreement

    blekinge = ("Blekinge län", "10")
    parties = ["Länsstyrelsen", "Arbetsförmedlingen", "Migrationsverket", "Region Blekinge"]
    documents = [
        make_agreement("/a/first.txt", ["Etableringen påskyndas genom tidiga insatser för nyanlända vuxna.",
                                        "Språkträning på arbetsplatser erbjuds redan under asyltiden."],
                       county=blekinge, period=(2016, 2018), parties=parties),
        make_agreement("/a/second.txt", ["Skalbara system bevarar kunskapen om mottagandet mellan åren.",
                                         "Individen står i centrum för varje insats som parterna gör."],
                       county=blekinge, period=(2019, 2021), parties=[*parties[:3], "Försäkringskassan"]),
        make_agreement("/a/later.txt", ["Ukrainska flyktingar tas emot enligt massflyktsdirektivet.",
                                        "Kommunerna planerar boenden tillsammans med civilsamhället."],
                       county=blekinge, period=(2025, 2027), parties=parties),
    ]
    with Store.open(tmp_path / "rok.db") as store:
        for agreement in documents:
            write_agreement(store, agreement)
        recompute_reuse_clusters(store)
        by_path = dict(store.conn.execute("SELECT path, id FROM documents"))
        lineages = find_lineages(store)
    ids = [by_path[str(agreement.source.path)] for agreement in documents]
    of = _lineage_of(lineages)
    assert of[ids[0]].document_ids == (ids[0], ids[1])
    (link,) = of[ids[0]].links
    assert (link.old_id, link.new_id, link.shared_clauses) == (ids[0], ids[1], 0)
    assert link.party_overlap == pytest.approx(3 / 5)
    assert of[ids[2]].document_ids == (ids[2],)


def test_only_pairs_that_can_link_are_scored_and_the_links_are_all_pairs_links(shared_store: Path) -> None:
    """The vectorised bound prunes pairs, never a link: the links equal those of scoring every pair
    of a county with :func:`_link`, and the bound is never below a pair's exact score."""
    import numpy as np

    from rok_compare.align import lineage
    from rok_compare.align.lineage_data import WeightedJaccard, read_documents

    with Store.open(shared_store) as store:
        documents = read_documents(store)
    rows = list(range(len(documents)))
    words = WeightedJaccard([d.vocabulary for d in documents], [d.vocabulary for d in documents]).block(rows, rows)
    heads = WeightedJaccard([d.vocabulary for d in documents], [d.title_stems for d in documents]).block(rows, rows)
    bound = lineage._LinkBound(documents).block(rows, rows, heads, words)
    every = []
    for a in rows:
        for b in rows[a + 1:]:
            if (documents[a].county_code or documents[a].county) != (documents[b].county_code or documents[b].county):
                continue
            old, new = sorted((documents[a], documents[b]), key=lineage._age)
            link = lineage._link(old, new, float(heads[a, b]), float(words[a, b]))
            if link is not None:
                every.append(link)
                assert bound[a, b] >= link.score - 1e-4
    assert every and sorted(lineage._links(documents), key=str) == sorted(every, key=str)
    assert np.count_nonzero(bound >= lineage.LINK_MIN) < bound.size
