"""The demo data: the five documents' places and commitments, loaded through the importers."""

from __future__ import annotations

from collections import Counter

import pytest

from trygg import commitments, places
from trygg.demo import demo_dir
from trygg.scales import DEMO_KOMMUNER


def test_every_demo_kommun_has_a_folder():
    codes = {folder.name[:4] for folder in demo_dir().glob("[0-9][0-9][0-9][0-9]_*")}
    assert codes == set(DEMO_KOMMUNER)


def test_stadsparken_lies_inside_laholms_centrum(demo_engine):
    frame = places.load_places(demo_engine, "1381").set_index("name")
    assert frame.geometry["Stadsparken"].within(frame.geometry["Laholms centrum"])


def test_station_area_overlaps_central_varnamo(demo_engine):
    frame = places.load_places(demo_engine, "0683").set_index("name")
    assert frame.geometry["Området runt järnvägsstationen"].intersects(
        frame.geometry["Centrala Värnamo"]
    )


@pytest.mark.parametrize("kommun", sorted(DEMO_KOMMUNER))
def test_demo_places_have_honest_sizes(demo_engine, kommun):
    frame = places.load_places(demo_engine, kommun)
    limits = {
        "park": (0.005, 0.5),
        "station": (0.02, 1.0),
        "skola": (0.02, 1.0),
        "centrum": (0.2, 5.0),
        "bostadsomrade": (0.1, 5.0),
        "ort": (0.2, 15.0),
        "handelsomrade": (0.1, 5.0),
    }
    for row in frame.itertuples():
        low, high = limits[row.kind]
        assert low <= row.area_m2 / 1e6 <= high, (row.name, row.area_m2)
        assert "Ungefärlig demoavgränsning" in row.note


def test_demo_follow_ups_are_marked_as_invented(demo_engine):
    for kommun in DEMO_KOMMUNER:
        for item in commitments.list_commitments(demo_engine, kommun):
            for follow in item["follow_ups"]:
                assert follow["demo"] is True
                assert follow["comment"].startswith("Demouppföljning (påhittad)")


def test_kommuner_have_their_documents_commitments(demo_engine):
    counts = {
        k: Counter(c["party"] for c in commitments.list_commitments(demo_engine, k))
        for k in DEMO_KOMMUNER
    }
    assert counts["1381"] == {"gemensamt": 8, "polisen": 5, "kommunen": 6}
    assert counts["1278"] == {"gemensamt": 1, "polisen": 2, "kommunen": 2}
    assert sum(counts["1380"].values()) == 6
    assert sum(counts["0683"].values()) == 4
