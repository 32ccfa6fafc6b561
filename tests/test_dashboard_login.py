"""The dashboard's login, driven through Streamlit's AppTest on a real demo database.

Without a login the map is public and nothing that changes data is on any page; a
coordinator sees the import page and the public switch for their own kommuner only,
and the page's actions are refused by the core for anything else.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from tests import test_dashboard
from tests.test_dashboard import (
    COORDINATOR,
    COORDINATOR_PASSWORD,
    REPO,
    log_in,
    run_app,
    switch,
)
from trygg import auth
from trygg.auth import users
from trygg.store import batches
from trygg.strings import t

#: The demo database with the coordinator of Laholm and Värnamo (shared fixture).
coordinator_env = test_dashboard.coordinator_env

KARTA, IMPORTERA, LOGGA_IN = "views/karta.py", "views/importera.py", "views/logga_in.py"
OIDC_SECRETS = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-hemlighet",
    "client_id": "trygg",
    "client_secret": "test",
    "server_metadata_url": "https://idp.example/.well-known/openid-configuration",
}


def can_import(at: AppTest) -> bool:
    """Whether the import page offers its upload form (it asks for a login otherwise).

    Whether the page is in the menu at all is checked in tests/test_browser_login.py.
    """
    switch(at, IMPORTERA)
    return bool(at.get("file_uploader"))


def write_controls(at: AppTest) -> dict[str, list]:
    """Everything on the page that would change data."""
    return {
        "upload": list(at.get("file_uploader")),
        "batch buttons": [b.key for b in at.button if (b.key or "").startswith("batch_")],
        "public switch": [x.key for x in at.sidebar.toggle if x.key == "public_view"],
    }


NO_CONTROLS = {"upload": [], "batch buttons": [], "public switch": []}


def sidebar_texts(at: AppTest) -> list[str]:
    return [c.value for c in at.sidebar.caption] + [i.value for i in at.sidebar.info]


def test_without_login_there_is_nothing_that_changes_data(coordinator_env):
    at = run_app()
    assert write_controls(at) == NO_CONTROLS
    switch(at, IMPORTERA)
    assert at.title[0].value == "Importera enkät – Laholm"
    assert [i.value for i in at.info] == [
        "Logga in som samordnare för att importera filer för Laholm."
    ]
    assert write_controls(at) == NO_CONTROLS
    assert not at.get("download_button")
    switch(at, LOGGA_IN)
    assert at.title[0].value == "Logga in som samordnare"
    assert write_controls(at) == NO_CONTROLS
    assert not [b for b in at.button if b.key == "oidc_login"]


def test_a_wrong_password_gives_no_access(coordinator_env):
    at = log_in(run_app(), password="fel-lösenord-helt")
    assert [e.value for e in at.error] == ["Fel användarnamn eller lösenord."]
    assert not can_import(at)
    assert write_controls(switch(at, KARTA)) == NO_CONTROLS
    assert not any(COORDINATOR in text for text in sidebar_texts(at))


def test_the_tenth_try_is_refused_even_with_the_right_password(coordinator_env):
    at = run_app()
    for _ in range(9):
        log_in(at, password="fel-lösenord-helt")
    log_in(at)
    assert [e.value for e in at.error] == [t("auth.rate_limited", seconds=60)]
    assert not can_import(at)


def test_a_coordinator_sees_the_controls_for_their_own_kommun_only(coordinator_env):
    at = log_in(run_app())
    assert at.success[0].value == "Inloggad som samordnare (kommun 0683, 1381)."
    assert "Inloggad: samordnare" in sidebar_texts(at)
    switch(at, IMPORTERA)
    laholm = write_controls(at)
    assert len(laholm["upload"]) == 1
    assert laholm["batch buttons"] == [
        f"batch_{b['id']}"
        for b in batches.list_batches(coordinator_env, "1381")
        if b["kind"] in batches.ROLLBACK_KINDS
    ]
    assert write_controls(switch(at, KARTA))["public switch"] == ["public_view"]

    at.query_params["kommun"] = "1984"
    switch(at, IMPORTERA)
    assert at.title[0].value == "Importera enkät – Arboga"
    assert write_controls(at) == NO_CONTROLS
    assert at.warning[0].value.startswith("samordnare är inte samordnare för Arboga")
    assert write_controls(switch(at, KARTA)) == NO_CONTROLS


def test_a_forged_rollback_of_another_kommuns_batch_is_refused(coordinator_env):
    arboga = next(
        b["id"] for b in batches.list_batches(coordinator_env, "1984") if b["kind"] == "survey"
    )
    laholm = next(
        b["id"] for b in batches.list_batches(coordinator_env, "1381") if b["kind"] == "survey"
    )

    def forge(dashboard: str, name: str, password: str, targets: list[int]) -> None:
        import sys

        import streamlit as st

        sys.path.insert(0, dashboard)
        import session

        refusal = session.log_in(name, password)
        st.session_state["answers"] = [refusal] + [session.roll_back(target) for target in targets]

    args = (str(REPO / "dashboard"), COORDINATOR, COORDINATOR_PASSWORD, [arboga, laholm])
    at = AppTest.from_function(forge, args=args, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["answers"] == [
        None,
        ("error", t("err.not_your_kommun", user=COORDINATOR, kommun="1984")),
        ("success", t("upload.rolled_back", id=laholm)),
    ]
    status = {b["id"]: b["status"] for b in batches.list_batches(coordinator_env, "1984")}
    assert status[arboga] == batches.ACTIVE


def test_an_anonymous_rollback_through_the_callback_is_refused(coordinator_env):
    laholm = next(
        b["id"] for b in batches.list_batches(coordinator_env, "1381") if b["kind"] == "survey"
    )

    def forge(dashboard: str, target: int) -> None:
        import sys

        import streamlit as st

        sys.path.insert(0, dashboard)
        import session

        st.session_state["answer"] = session.roll_back(target)

    at = AppTest.from_function(forge, args=(str(REPO / "dashboard"), laholm)).run()
    assert at.session_state["answer"] == ("error", t("err.login_required"))
    status = {b["id"]: b["status"] for b in batches.list_batches(coordinator_env, "1381")}
    assert status[laholm] == batches.ACTIVE


@pytest.mark.parametrize(
    "age, notice",
    [
        ({"idle": timedelta(minutes=61)}, "Du har loggats ut efter 60 minuter utan aktivitet"),
        ({"total": timedelta(hours=13)}, "Du har loggats ut efter 12 timmar"),
    ],
)
def test_an_expired_session_is_dropped_with_a_notice(coordinator_env, age, notice):
    at = log_in(run_app())
    session = at.session_state["trygg_login"]
    now = users.utc_now()
    started = now - age.get("total", timedelta(minutes=5))
    at.session_state["trygg_login"] = auth.Session(
        session.name, started, now - age.get("idle", timedelta(minutes=1))
    )
    switch(at, KARTA)
    assert any(text.startswith(notice) for text in sidebar_texts(at))
    assert write_controls(at) == NO_CONTROLS
    assert "trygg_login" not in at.session_state
    assert not can_import(at)


def test_a_new_password_ends_the_sessions_begun_before_it(coordinator_env):
    at = log_in(run_app())
    auth.set_password(coordinator_env, COORDINATOR, "ett-helt-nytt-lösenord")
    switch(at, KARTA)
    assert any("kontot har ändrats" in text for text in sidebar_texts(at))
    assert write_controls(at) == NO_CONTROLS


def test_logging_out_removes_the_controls(coordinator_env):
    at = switch(log_in(run_app()), KARTA)
    assert write_controls(at)["public switch"] == ["public_view"]
    at.sidebar.button(key="logout").click().run()
    assert "Du är utloggad." in sidebar_texts(at)
    assert write_controls(switch(at, KARTA)) == NO_CONTROLS
    assert not can_import(at)


def test_oidc_is_offered_only_when_configured_and_maps_the_email(coordinator_env):
    auth.add_user(coordinator_env, "olle", "ollesgodalösen", kommuner=["1984"], email="olle@a.se")
    plain = switch(run_app(), LOGGA_IN)
    assert not [b for b in plain.button if b.key == "oidc_login"]

    at = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=60)
    at.secrets["auth"] = OIDC_SECRETS
    at.user = {"is_logged_in": False}
    at.run()
    switch(at, LOGGA_IN)
    assert [b.label for b in at.button if b.key == "oidc_login"] == [
        "Logga in med organisationens konto"
    ]

    at.user = {"is_logged_in": True, "email": "Olle@A.se", "email_verified": True}
    switch(at, LOGGA_IN)
    assert at.success[0].value == "Inloggad som olle (kommun 1984)."
    at.query_params["kommun"] = "1984"
    assert can_import(at)


def test_an_oidc_email_without_a_user_has_no_access(coordinator_env):
    at = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=60)
    at.secrets["auth"] = OIDC_SECRETS
    at.user = {"is_logged_in": True, "email": "okand@example.se"}
    at.run()
    assert any("ingen behörighet" in text for text in sidebar_texts(at))
    assert write_controls(at) == NO_CONTROLS
    assert not can_import(at)


def test_the_coordinator_downloads_the_lagesbild_and_a_visitor_does_not(coordinator_env):
    def lagesbild_buttons(at: AppTest) -> list:
        return [b for b in at.get("download_button") if b.proto.label == t("lagesbild.download")]

    assert lagesbild_buttons(switch(run_app(), IMPORTERA)) == []
    at = switch(log_in(run_app()), IMPORTERA)
    assert at.selectbox(key="lagesbild_year").options[0] == "2024"  # the latest year first
    assert len(lagesbild_buttons(at)) == 1
