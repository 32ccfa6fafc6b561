"""The medborgarlöfte format: validation, place ties, round trips and follow-up."""

from __future__ import annotations

import json
import textwrap
from collections import Counter

import pytest
import yaml
from sqlalchemy import func, select

from tests.conftest import REPO
from tests.test_places import layer
from trygg import commitments, places
from trygg.auth import local_admin
from trygg.errors import TryggError
from trygg.store import schema

#: These tests write as the command line's local administrator.
ADMIN = local_admin()

PROMISE = textwrap.dedent(
    """
    format: trygg-medborgarlofte/1
    kommun: "1381"
    medborgarloften:
      - title: Testlöftet 2024
        period: {from: 2024-01-01, to: 2024-12-31}
        signed: 2024-01-12
        signatories:
          - {name: Anna Polis, role: Lokalpolisområdeschef}
        follow_up_cadence: tertial
        source: Handskrivet testfall
        designated_places: [Centrum]
        commitments:
          - party: polisen
            text: synas med prioritering på de utpekade områdena
            designated: true
            themes: [polisnarvaro]
          - party: kommunen
            text: byta armaturer till LED i parken
            places: [Parken]
            themes: [belysning]
            status: genomförd
            follow_ups:
              - {date: 2024-05-01, status: genomförd, comment: Klart, demo: true}
          - party: gemensamt
            text: följa upp arbetet
    """
)


@pytest.fixture
def kommun(engine, tmp_path):
    path = tmp_path / "places.gpkg"
    layer().to_file(path, driver="GPKG")
    places.import_places(engine, path, "1381", name_field="namn", alias_field="alias", actor=ADMIN)
    return engine


def write(tmp_path, text: str, name: str = "lofte.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_listing_resolves_direct_and_designated_places(kommun, tmp_path):
    commitments.import_commitments(kommun, write(tmp_path, PROMISE), "1381", actor=ADMIN)
    listed = commitments.list_commitments(kommun, "1381")
    assert [(c["party"], c["places"], c["status"]) for c in listed] == [
        ("polisen", ["Centrum"], "pågår"),
        ("kommunen", ["Parken"], "genomförd"),
        ("gemensamt", [], "pågår"),
    ]
    assert {c["medborgarlofte"] for c in listed} == {"Testlöftet 2024"}
    assert set(listed[0]) >= {"party", "text", "places", "themes", "status", "medborgarlofte"}


def test_place_filter_by_name_or_alias(kommun, tmp_path):
    commitments.import_commitments(kommun, write(tmp_path, PROMISE), "1381", actor=ADMIN)
    by_alias = commitments.list_commitments(kommun, "1381", place=" centrala STAN ")
    assert [c["party"] for c in by_alias] == ["polisen"]
    assert [c["party"] for c in commitments.list_commitments(kommun, "1381", "Parken")] == [
        "kommunen"
    ]


def test_group_for_place_puts_kommun_wide_ones_last(kommun, tmp_path):
    commitments.import_commitments(kommun, write(tmp_path, PROMISE), "1381", actor=ADMIN)
    grouped = commitments.group_for_place(commitments.list_commitments(kommun, "1381"), "Parken")
    assert [c["text"] for c in grouped["by_party"]["kommunen"]] == [
        "byta armaturer till LED i parken"
    ]
    assert grouped["by_party"]["polisen"] == []
    assert [c["party"] for c in grouped["kommun_wide"]] == ["gemensamt"]


def test_unknown_place_lists_the_known_names(kommun, tmp_path):
    bad = PROMISE.replace("places: [Parken]", "places: [Torget]")
    with pytest.raises(TryggError, match=r"'Torget' finns inte.*Kända platser: Centrum, Parken"):
        commitments.import_commitments(kommun, write(tmp_path, bad), "1381", actor=ADMIN)
    with kommun.connect() as connection:
        assert connection.execute(select(func.count()).select_from(schema.commitment)).scalar() == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("party: polisen", "party: polis"), "party 'polis' är inte tillåtet"),
        (("themes: [belysning]", "themes: [lampor]"), "theme 'lampor' är inte tillåtet"),
        (("status: genomförd\n", "status: klar\n"), "status 'klar' är inte tillåtet"),
        (("signed: 2024-01-12", "signed: 12/1 2024"), "signed '12/1 2024' är inte ett datum"),
        (("follow_up_cadence: tertial", "follow_up_cadence: varje vecka"), "follow_up_cadence"),
        (("    text: följa upp arbetet", "    text: ''"), "åtagande 3: text saknas"),
    ],
)
def test_invalid_values_are_refused_with_their_place_in_the_file(kommun, tmp_path, change, message):
    bad = PROMISE.replace(*change)
    assert bad != PROMISE
    with pytest.raises(TryggError, match=message):
        commitments.import_commitments(kommun, write(tmp_path, bad), "1381", actor=ADMIN)


def test_kommun_in_file_must_match(kommun, tmp_path):
    with pytest.raises(TryggError, match="kommun 1381 men --kommun är 0683"):
        commitments.import_commitments(kommun, write(tmp_path, PROMISE), "0683", actor=ADMIN)


def test_yaml_round_trip_is_stable(kommun, tmp_path):
    commitments.import_commitments(kommun, write(tmp_path, PROMISE), "1381", actor=ADMIN)
    first = tmp_path / "first.yaml"
    commitments.export_commitments(kommun, "1381", first)
    _kommun, original = commitments.read_file(write(tmp_path, PROMISE, "again.yaml"))
    _kommun, exported = commitments.read_file(first)
    assert exported == original
    assert yaml.safe_load(first.read_text())["format"] == "trygg-medborgarlofte/1"


def test_reimporting_an_export_changes_nothing(demo_engine, tmp_path):
    before = commitments.list_commitments(demo_engine, "1381")
    out = tmp_path / "laholm.yaml"
    commitments.export_commitments(demo_engine, "1381", out)
    result = commitments.import_commitments(demo_engine, out, "1381", actor=ADMIN)
    assert result["unchanged"] is False
    assert commitments.list_commitments(demo_engine, "1381") == before
    again = tmp_path / "again.yaml"
    commitments.export_commitments(demo_engine, "1381", again)
    assert again.read_text() == out.read_text()


def test_csv_round_trip_carries_everything_but_follow_ups(demo_engine, tmp_path, engine):
    out = tmp_path / "laholm.csv"
    commitments.export_commitments(demo_engine, "1381", out)
    places_file = tmp_path / "places.geojson"
    places_file.write_text(json.dumps(places.export_geojson(demo_engine, "1381")))
    places.import_places(engine, places_file, "1381", alias_field="aliases", actor=ADMIN)
    commitments.import_commitments(engine, out, "1381", actor=ADMIN)

    derived = {"status", "latest_follow_up", "next_follow_up", "overdue"}  # from follow-ups

    def strip(rows):
        dropped = {"id", "follow_ups", *derived}
        return [{k: v for k, v in r.items() if k not in dropped} for r in rows]

    assert strip(commitments.list_commitments(engine, "1381")) == strip(
        commitments.list_commitments(demo_engine, "1381")
    )


def test_csv_with_semicolons_and_windows_1252(kommun, tmp_path):
    rows = [
        "medborgarlofte;party;text;places;designated;themes;status",
        "Löfte;kommunen;belysa gångvägen;Parken;nej;belysning;pågår",
        "Löfte;polisen;synas i utpekade områden;;ja;polisnarvaro;",
    ]
    path = tmp_path / "lofte.csv"
    path.write_bytes("\r\n".join(rows).encode("cp1252"))
    commitments.import_commitments(kommun, path, "1381", actor=ADMIN)
    listed = commitments.list_commitments(kommun, "1381")
    assert [(c["text"], c["places"], c["designated"]) for c in listed] == [
        ("belysa gångvägen", ["Parken"], False),
        ("synas i utpekade områden", [], True),
    ]


def test_update_keeps_commitment_ids_and_recorded_follow_ups(kommun, tmp_path):
    commitments.import_commitments(kommun, write(tmp_path, PROMISE), "1381", actor=ADMIN)
    first = {c["text"]: c["id"] for c in commitments.list_commitments(kommun, "1381")}
    police_id = first["synas med prioritering på de utpekade områdena"]
    commitments.record_follow_up(
        kommun, police_id, status="genomförd", comment="Klart i juni", actor=ADMIN
    )
    edited = PROMISE.replace("text: följa upp arbetet", "text: följa upp arbetet varje tertial")
    commitments.import_commitments(
        kommun, write(tmp_path, edited, "edited.yaml"), "1381", actor=ADMIN
    )
    after = {c["text"]: c for c in commitments.list_commitments(kommun, "1381")}
    police = after["synas med prioritering på de utpekade områdena"]
    assert police["id"] == police_id
    assert [f["comment"] for f in police["follow_ups"]] == ["Klart i juni"]
    assert police["recorded_status"] == "pågår"  # the file's status is stored on import
    assert police["status"] == "genomförd"  # but the latest follow-up decides the status
    assert "följa upp arbetet" not in after
    assert "följa upp arbetet varje tertial" in after


def test_follow_up_sets_the_status_and_refuses_unknown_status(kommun, tmp_path):
    commitments.import_commitments(kommun, write(tmp_path, PROMISE), "1381", actor=ADMIN)
    target = commitments.list_commitments(kommun, "1381")[2]
    commitments.record_follow_up(
        kommun, target["id"], status="Inställd", comment="Ersatt", actor=ADMIN
    )
    updated = commitments.list_commitments(kommun, "1381")[2]
    assert updated["status"] == "inställd"
    assert updated["follow_ups"][-1]["comment"] == "Ersatt"
    with pytest.raises(TryggError, match="status 'klar'"):
        commitments.record_follow_up(kommun, target["id"], status="klar", actor=ADMIN)
    with pytest.raises(TryggError, match="Åtagande 999 finns inte"):
        commitments.record_follow_up(kommun, 999, status="pågår", actor=ADMIN)


def test_laholm_document_counts(demo_engine):
    listed = commitments.list_commitments(demo_engine, "1381")
    assert Counter(c["party"] for c in listed) == {"gemensamt": 8, "polisen": 5, "kommunen": 6}
    in_park = commitments.list_commitments(demo_engine, "1381", place="Stadsparken")
    assert "synas i hela kommunen med prioritering på de utpekade områdena" in [
        c["text"] for c in in_park if c["party"] == "polisen"
    ]


def test_designated_places_keep_the_documents_order(demo_db):
    import yaml

    from trygg import store
    from trygg.commitments.store import load_promises

    source = yaml.safe_load((REPO / "geodata" / "1381_laholm" / "medborgarlofte.yaml").read_text())
    documents = [p["designated_places"] for p in source["medborgarloften"]]
    (promise,) = load_promises(store.make_engine(str(demo_db)), "1381")
    assert promise["designated_places"] == documents[0]
    assert promise["designated_places"][0] == "Laholms centrum"  # not alphabetical
