"""Places a coordinator adds to the presentation, after the löfte's designated ones.

The choice is stored per kommun and in order (:mod:`trygg.pages.chosen`); only a
coordinator of the kommun may change it; the presentation shows the designated places
first, then the added ones. Checked on the core, the CLI and the Importera page.
"""

from __future__ import annotations

import json
from unittest.mock import patch

import pytest
from dashboard.markup import md

from tests.conftest import run_cli
from tests.test_dashboard import COORDINATOR_PASSWORD, FakeMap, log_in, run_app, switch
from tests.test_dashboard import coordinator_env as coordinator_env
from tests.test_presentation import COMMITMENTS, open_presentation, promise, tiny_figures
from trygg.auth import Actor, users
from trygg.commitments.store import load_promises
from trygg.errors import TryggError
from trygg.pages import chosen, slides
from trygg.strings import t

IMPORTERA = "views/importera.py"
LAHOLM = Actor(name="laholm", kommuner=frozenset({"1381"}))


def test_added_places_come_after_the_designated_ones_once_each():
    shown = slides.slides(
        tiny_figures(),
        [promise(["Parken"])],
        COMMITMENTS,
        chosen=["Ån", "Parken", "Okänd", "Torget"],
    )
    assert [s.get("place") for s in shown[1:-1]] == ["Parken", "Ån", "Torget"]
    assert shown[0]["places"] == ["Parken", "Ån", "Torget"]


def test_the_choice_is_stored_per_kommun_in_order_and_replaced_whole(demo_engine):
    assert chosen.chosen_places(demo_engine, "1381") == []
    stored = chosen.set_chosen_places(demo_engine, "1381", ["Veinge", "knäred "], actor=LAHOLM)
    assert stored == ["Veinge", "Knäred"]  # the places' own names, in the order given
    assert chosen.chosen_places(demo_engine, "1381") == ["Veinge", "Knäred"]
    assert chosen.chosen_places(demo_engine, "1380") == []
    chosen.set_chosen_places(demo_engine, "1381", ["Hishult"], actor=LAHOLM)
    assert chosen.chosen_places(demo_engine, "1381") == ["Hishult"]
    chosen.set_chosen_places(demo_engine, "1381", [], actor=LAHOLM)
    assert chosen.chosen_places(demo_engine, "1381") == []


def test_a_visitor_or_another_kommuns_coordinator_cannot_change_it(demo_engine):
    chosen.set_chosen_places(demo_engine, "1381", ["Veinge"], actor=LAHOLM)
    with pytest.raises(TryggError, match=t("err.login_required")):
        chosen.set_chosen_places(demo_engine, "1381", ["Hishult"], actor=None)
    with pytest.raises(TryggError):
        chosen.set_chosen_places(demo_engine, "1380", ["Hishult"], actor=LAHOLM)
    assert chosen.chosen_places(demo_engine, "1381") == ["Veinge"]


def test_an_unknown_place_is_refused_with_nothing_changed(demo_engine):
    chosen.set_chosen_places(demo_engine, "1381", ["Veinge"], actor=LAHOLM)
    with pytest.raises(TryggError, match="Mellbystrand"):
        chosen.set_chosen_places(demo_engine, "1381", ["Hishult", "Mellbystrnd"], actor=LAHOLM)
    assert chosen.chosen_places(demo_engine, "1381") == ["Veinge"]


def test_the_cli_sets_lists_and_clears(demo_engine, tmp_path):
    db = str(tmp_path / "demo.sqlite")
    done = run_cli("--db", db, "presentation-places", "--kommun", "1381", "--set", "Hishult")
    assert done.returncode == 0, done.stderr
    listed = run_cli("--db", db, "presentation-places", "--kommun", "1381", "--json")
    assert json.loads(listed.stdout) == {"kommun": "1381", "places": ["Hishult"]}
    cleared = run_cli("--db", db, "presentation-places", "--kommun", "1381", "--clear", "--json")
    assert json.loads(cleared.stdout)["places"] == []


def test_the_coordinator_adds_places_and_the_presentation_shows_them(coordinator_env):
    # Båstad's löfte designates no place: the coordinator picks two, in their order.
    users.add_user(coordinator_env, "bastad", COORDINATOR_PASSWORD, kommuner=("1278",))
    at = switch(log_in(run_app(kommun="1278"), name="bastad"), IMPORTERA)
    picker = at.multiselect[0]
    assert picker.label == t("chosen.pick")
    assert "Torekov" in picker.options and "Grevie" in picker.options
    picker.set_value(["Torekov", "Grevie"])
    with patch("streamlit_folium.st_folium", FakeMap()):
        at.button(key=f"FormSubmitter:chosen_places_1278-{t('chosen.save')}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert md(t("chosen.saved", count=2)) in [s.value for s in at.success]
    assert chosen.chosen_places(coordinator_env, "1278") == ["Torekov", "Grevie"]
    first = open_presentation(FakeMap(), kommun="1278", bild="2")
    assert first.title[0].value == md("Torekov")
    second = open_presentation(FakeMap(), kommun="1278", bild="3")
    assert second.title[0].value == md("Grevie")


def test_the_loftes_designated_places_are_not_offered_again(coordinator_env):
    designated = load_promises(coordinator_env, "1381")[-1]["designated_places"]
    at = switch(log_in(run_app(kommun="1381")), IMPORTERA)
    assert not set(designated) & set(at.multiselect[0].options)


def test_a_visitor_sees_no_picker(coordinator_env):
    at = switch(run_app(), IMPORTERA)
    assert not at.multiselect
    assert users.list_users(coordinator_env)  # the coordinator exists; only not logged in
