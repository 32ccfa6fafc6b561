"""Coordinator login: users, argon2 hashes, rate limits, sessions, and writes checked in the core.

Everything runs against a real database file; the command line runs as a subprocess
with the password on standard input, as a script would give it.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import textwrap
import time
from datetime import timedelta

import geopandas as gpd
import pytest
from argon2 import PasswordHasher
from shapely.geometry import box
from sqlalchemy import func, select

from tests.conftest import REPO, assert_clean_refusal, run_cli
from trygg import auth, commitments, places, settings
from trygg.auth import Actor, LoginRefused, login, users
from trygg.errors import TryggError
from trygg.importers import crime_stats, incidents, survey_answers, survey_results
from trygg.store import batches, schema
from trygg.strings import t

PASSWORD = "rätt-lösenord-för-anna"
OTHER = "helt-fel-lösenord"
POLICY = settings.LoginPolicy()
ANNA = Actor("anna", frozenset({"1381"}))
ARBOGA = Actor("bo", frozenset({"1984"}))


@pytest.fixture
def anna(engine):
    """The store with one coordinator, anna of Laholm (1381)."""
    auth.add_user(engine, "anna", PASSWORD, kommuner=["1381"], email="Anna@Laholm.se")
    return engine


def stored_hash(engine, name: str = "anna") -> str:
    with engine.connect() as connection:
        return connection.execute(
            select(schema.users.c.password_hash).where(schema.users.c.name == name)
        ).scalar_one()


def attempt(engine, password: str, *, name="anna", client="ip:203.0.113.9", at=None):
    """One login; the Actor, or the refusal's message."""
    try:
        return auth.authenticate(engine, name, password, client, policy=POLICY, now=at)
    except LoginRefused as err:
        return str(err)


# --- passwords and users --------------------------------------------------------------


def test_stored_password_is_an_argon2_hash_that_verifies(anna):
    hashed = stored_hash(anna)
    assert hashed.startswith("$argon2id$") and PASSWORD not in hashed
    assert PasswordHasher().verify(hashed, PASSWORD)
    assert auth.list_users(anna) == [
        {
            "name": "anna",
            "email": "anna@laholm.se",
            "admin": False,
            "kommuner": ["1381"],
            "created_at": auth.list_users(anna)[0]["created_at"],
            "changed_at": auth.list_users(anna)[0]["created_at"],
        }
    ]


def test_right_password_gives_the_actor_and_a_wrong_one_is_refused(anna):
    assert attempt(anna, PASSWORD) == ANNA
    assert attempt(anna, OTHER) == "Fel användarnamn eller lösenord."
    assert attempt(anna, PASSWORD, name="okänd") == "Fel användarnamn eller lösenord."
    assert attempt(anna, "") == "Fel användarnamn eller lösenord."


def test_an_unknown_name_takes_as_long_as_a_wrong_password(anna):
    def fastest(name: str) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            attempt(anna, OTHER, name=name, client=f"ip:{name}")
            times.append(time.perf_counter() - start)
        return min(times)

    assert fastest("okänd") > 0.5 * fastest("anna")


@pytest.mark.parametrize(
    "name, message",
    [
        ("x", "ogiltigt"),
        ("anna svensson", "ogiltigt"),
        (batches.DEMO_USER, "reserverat"),
        (settings.CLI_USER_DEFAULT, "reserverat"),
        ("anna", "finns redan"),
    ],
)
def test_bad_or_taken_names_are_refused(anna, name, message):
    with pytest.raises(TryggError, match=message):
        auth.add_user(anna, name, PASSWORD, kommuner=["1381"])
    assert [u["name"] for u in auth.list_users(anna)] == ["anna"]


@pytest.mark.parametrize(
    "password, message",
    [("", "minst 10 tecken"), ("123456789", "minst 10 tecken"), ("x" * 1025, "högst 1024")],
)
def test_short_or_absurd_passwords_are_refused(engine, password, message):
    with pytest.raises(TryggError, match=message) as refused:
        auth.add_user(engine, "bo", password, kommuner=["1381"])
    if password:
        assert password not in str(refused.value)
    assert auth.list_users(engine) == []


def test_a_coordinator_needs_a_kommun_and_an_email_is_unique(anna):
    with pytest.raises(TryggError, match="minst en kommun"):
        auth.add_user(anna, "bo", PASSWORD)
    with pytest.raises(TryggError, match="hör redan till"):
        auth.add_user(anna, "bo", PASSWORD, kommuner=["1984"], email="anna@laholm.se")
    with pytest.raises(TryggError, match="fyra siffror"):
        auth.add_user(anna, "bo", PASSWORD, kommuner=["138"])
    admin = auth.add_user(anna, "bo", PASSWORD, admin=True)
    assert (admin["admin"], admin["kommuner"]) == (True, [])


def test_a_hash_with_old_parameters_is_replaced_at_login(anna):
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    with anna.begin() as connection:
        connection.execute(schema.users.update().values(password_hash=weak))
    assert attempt(anna, PASSWORD) == ANNA
    renewed = stored_hash(anna)
    assert renewed != weak and not users.HASHER.check_needs_rehash(renewed)
    assert PasswordHasher().verify(renewed, PASSWORD)


def test_set_password_and_remove_user(anna):
    before = stored_hash(anna)
    auth.set_password(anna, "anna", "ett-nytt-lösenord")
    assert stored_hash(anna) != before
    assert attempt(anna, PASSWORD) == "Fel användarnamn eller lösenord."
    assert attempt(anna, "ett-nytt-lösenord") == ANNA
    auth.remove_user(anna, "anna")
    assert auth.list_users(anna) == [] and auth.load_actor(anna, "anna") is None
    with anna.connect() as connection:
        assert (
            connection.execute(select(func.count()).select_from(schema.user_kommun)).scalar() == 0
        )
    for change in (auth.remove_user, lambda e, n: auth.set_password(e, n, PASSWORD)):
        with pytest.raises(TryggError, match="finns inte"):
            change(anna, "anna")


# --- rate limits ---------------------------------------------------------------------


def test_the_tenth_attempt_in_a_minute_is_refused_even_if_right(anna):
    start = users.utc_now()
    for second in range(POLICY.max_failures):
        assert attempt(anna, OTHER, at=start + timedelta(seconds=second)).startswith("Fel")
    tenth = attempt(anna, PASSWORD, at=start + timedelta(seconds=20))
    assert tenth == t("auth.rate_limited", seconds=POLICY.window_s)
    after_the_window = start + timedelta(seconds=POLICY.window_s + POLICY.max_failures + 1)
    assert attempt(anna, PASSWORD, at=after_the_window) == ANNA


def test_failures_for_one_name_from_many_clients_lock_the_name(anna):
    for number in range(POLICY.max_failures):
        attempt(anna, OTHER, client=f"ip:198.51.100.{number}")
    assert attempt(anna, PASSWORD, client="ip:192.0.2.1").startswith("För många")


def test_failures_from_one_client_on_many_names_lock_the_client(anna):
    for number in range(POLICY.max_failures):
        attempt(anna, OTHER, name=f"gissning{number}", client="ip:203.0.113.66")
    assert attempt(anna, PASSWORD, client="ip:203.0.113.66").startswith("För många")
    assert attempt(anna, PASSWORD, client="ip:192.0.2.1") == ANNA


def test_the_limit_holds_across_processes(anna):
    script = textwrap.dedent(
        f"""
        from trygg import auth, store
        engine = store.make_engine({str(anna.url.database)!r})
        for _ in range({POLICY.max_failures}):
            try:
                auth.authenticate(engine, "anna", {OTHER!r}, "ip:203.0.113.9")
            except auth.LoginRefused:
                pass
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=REPO, timeout=120)
    assert attempt(anna, PASSWORD).startswith("För många")


def test_client_key_prefers_the_connection_then_the_proxy_then_the_session():
    forwarded = {"X-Forwarded-For": "10.0.0.1, 203.0.113.9"}
    assert auth.client_key("198.51.100.4", forwarded, "s") == "ip:198.51.100.4"
    assert auth.client_key(None, forwarded, "s") == "ip:203.0.113.9"
    assert auth.client_key(None, {"x-real-ip": "203.0.113.7"}, "s") == "ip:203.0.113.7"
    assert auth.client_key(None, {}, "abc") == "session:abc"
    assert len(auth.client_key(None, {"X-Real-IP": "9" * 5000}, "s")) == login.MAX_CLIENT_KEY


# --- sessions and OIDC ---------------------------------------------------------------


def test_sessions_end_when_idle_too_old_or_revoked(anna):
    begun = auth.Session.begin("anna")
    later = begun.started + timedelta(minutes=POLICY.idle_minutes - 1)
    assert auth.resume_session(anna, begun, policy=POLICY, now=later) == ANNA
    idle = begun.started + timedelta(minutes=POLICY.idle_minutes + 1)
    with pytest.raises(LoginRefused, match="60 minuter utan aktivitet"):
        auth.resume_session(anna, begun, policy=POLICY, now=idle)
    long_day = begun.started + timedelta(hours=POLICY.max_hours - 1)
    busy = auth.Session("anna", begun.started, long_day - timedelta(minutes=5))
    assert auth.resume_session(anna, busy, policy=POLICY, now=long_day) == ANNA
    too_long = begun.started + timedelta(hours=POLICY.max_hours, minutes=1)
    with pytest.raises(LoginRefused, match="efter 12 timmar"):
        auth.resume_session(anna, busy.seen(too_long), policy=POLICY, now=too_long)
    auth.set_password(anna, "anna", "ett-nytt-lösenord")
    with pytest.raises(LoginRefused, match="kontot har ändrats"):
        auth.resume_session(anna, begun.seen(), policy=POLICY)
    fresh = auth.Session.begin("anna")
    assert auth.resume_session(anna, fresh, policy=POLICY) == ANNA
    auth.remove_user(anna, "anna")
    with pytest.raises(LoginRefused, match="tagits bort"):
        auth.resume_session(anna, fresh, policy=POLICY)


def test_an_oidc_email_maps_to_its_user_or_to_no_access(anna):
    assert auth.actor_for_email(anna, " ANNA@laholm.se ", verified=True) == ANNA
    assert auth.actor_for_email(anna, "anna@laholm.se") == ANNA
    for email, verified in (("bo@laholm.se", True), ("anna@laholm.se", False), (None, None)):
        with pytest.raises(LoginRefused, match="ingen behörighet"):
            auth.actor_for_email(anna, email, verified=verified)


# --- every write checks its actor in the core ----------------------------------------

SURVEY = "Område;År;Trygg kväll\r\nStadsparken;2024;2\r\n"
RESULTS = "Område;År;Indikator;Värde;Antal svar\nStadsparken;2024;Nedskräpning (index);2,4;120\n"
INCIDENTS = "Datum;Kategori;Plats\n2024-03-15;Klotter;Stadsparken\n"
CRIME = "Område;Period;Brottstyp;Antal\nLaholm;2024;Skadegörelse;412\n"
PROMISE = """\
format: trygg-medborgarlofte/1
kommun: "1381"
medborgarloften:
  - title: "Testlöfte 2025"
    period: {from: 2025-01-01, to: 2025-12-31}
    signed: 2025-01-10
    signatories: []
    follow_up_cadence: null
    source: "test"
    designated_places: []
    commitments:
      - party: kommunen
        text: "städa Stadsparken varje vecka"
        places: [Stadsparken]
        themes: []
        partners: []
        status: pågår
        follow_ups: []
"""


def _file(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _places_file(tmp_path):
    path = tmp_path / "torget.geojson"
    frame = gpd.GeoDataFrame(
        {"namn": ["Testtorget"]}, geometry=[box(370_000, 6_265_000, 370_200, 6_265_200)], crs=3006
    )
    frame.to_file(path, driver="GeoJSON")
    return path


def _batch_of(engine, kommun: str, kind: str) -> int:
    return next(b["id"] for b in batches.list_batches(engine, kommun) if b["kind"] == kind)


def _commitment_of(engine, kommun: str) -> int:
    return commitments.list_commitments(engine, kommun)[0]["id"]


#: Each write as the dashboard would make it for kommun 1381, given an actor.
WRITES = {
    "import_survey": lambda e, p, actor: survey_answers.import_survey(
        e, _file(p, "enkat.csv", SURVEY), "1381", actor=actor
    ),
    "import_survey_results": lambda e, p, actor: survey_results.import_survey_results(
        e, _file(p, "polisen.csv", RESULTS), "1381", actor=actor
    ),
    "import_incidents": lambda e, p, actor: incidents.import_incidents(
        e, _file(p, "est.csv", INCIDENTS), "1381", actor=actor
    ),
    "import_crime_stats": lambda e, p, actor: crime_stats.import_crime_stats(
        e, _file(p, "bra.csv", CRIME), "1381", actor=actor
    ),
    "import_places": lambda e, p, actor: places.import_places(
        e, _places_file(p), "1381", name_field="namn", actor=actor
    ),
    "import_commitments": lambda e, p, actor: commitments.import_commitments(
        e, _file(p, "lofte.yaml", PROMISE), "1381", actor=actor
    ),
    "record_follow_up": lambda e, _p, actor: commitments.record_follow_up(
        e, _commitment_of(e, "1381"), status="genomförd", comment="Klart", actor=actor
    ),
    "set_status": lambda e, _p, actor: batches.set_status(
        e, _batch_of(e, "1381", "survey"), batches.ROLLED_BACK, actor=actor
    ),
}


def store_state(engine) -> dict:
    """Everything the writes could change: batches with their status, places, follow-ups."""
    with engine.connect() as connection:
        batch_rows = connection.execute(
            select(schema.import_batch.c.id, schema.import_batch.c.status)
        ).all()
        counted = {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar()
            for table in (schema.place, schema.follow_up, schema.commitment, schema.survey_result)
        }
    return {"batches": sorted(batch_rows), **counted}


@pytest.mark.parametrize("write", list(WRITES))
def test_every_write_refuses_no_login_and_another_kommun(demo_engine, tmp_path, write):
    before = store_state(demo_engine)
    for actor, message in (
        (None, t("err.login_required")),
        (ARBOGA, t("err.not_your_kommun", user="bo", kommun="1381")),
    ):
        with pytest.raises(TryggError) as refused:
            WRITES[write](demo_engine, tmp_path, actor)
        assert str(refused.value) == message
        assert store_state(demo_engine) == before
    WRITES[write](demo_engine, tmp_path, ANNA)
    assert store_state(demo_engine) != before


def test_require_write_refuses_none_and_other_kommuner():
    with pytest.raises(TryggError, match="Logga in som samordnare"):
        auth.require_write(None, "1381")
    with pytest.raises(TryggError, match="bo är inte samordnare för kommun 1381"):
        auth.require_write(ARBOGA, "1381")
    assert auth.require_write(ANNA, "1381") is ANNA
    assert auth.require_write(Actor("admin", admin=True), "1984").admin


def test_a_1381_coordinator_cannot_roll_back_a_1984_batch_by_id(demo_engine):
    arboga = _batch_of(demo_engine, "1984", "survey")
    with pytest.raises(TryggError, match="anna är inte samordnare för kommun 1984"):
        batches.set_status(demo_engine, arboga, batches.ROLLED_BACK, actor=ANNA)
    status = {b["id"]: b["status"] for b in batches.list_batches(demo_engine, "1984")}
    assert status[arboga] == batches.ACTIVE


def test_batches_and_follow_ups_record_the_actor(demo_engine, tmp_path):
    summary = WRITES["import_survey"](demo_engine, tmp_path, ANNA)
    newest = batches.list_batches(demo_engine, "1381")[0]
    assert (newest["id"], newest["uploaded_by"]) == (summary["batch_id"], "anna")
    WRITES["record_follow_up"](demo_engine, tmp_path, ANNA)
    with demo_engine.connect() as connection:
        authors = connection.execute(
            select(schema.follow_up.c.recorded_by).order_by(schema.follow_up.c.id.desc())
        ).scalars()
        assert next(authors) == "anna"


# --- the command line ----------------------------------------------------------------


def cli(db, *args: str, password: str | None = None) -> subprocess.CompletedProcess:
    """``trygg --db DB ARGS`` with ``password`` (and a new line) on standard input."""
    command = [sys.executable, "-m", "trygg", "--db", str(db), *args]
    return subprocess.run(
        command,
        input=None if password is None else password + "\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )


def test_cli_manages_users_without_ever_showing_a_password_or_hash(engine, tmp_path):
    db = engine.url.database
    outputs = []
    added = cli(db, "add-user", "anna", "--kommun", "1381", "--kommun", "1384", password=PASSWORD)
    outputs.append(added)
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "Användaren anna är skapad (samordnare för 1381, 1384)."
    first_hash = stored_hash(engine)
    assert PasswordHasher().verify(first_hash, PASSWORD)

    listed = cli(db, "users", "--format", "json")
    outputs += [listed, cli(db, "users")]
    assert [(u["name"], u["kommuner"], u["admin"]) for u in json.loads(listed.stdout)] == [
        ("anna", ["1381", "1384"], False)
    ]
    changed = cli(db, "passwd", "anna", password="ett-nytt-lösenord")
    outputs.append(changed)
    assert changed.returncode == 0 and "bytt" in changed.stdout
    assert PasswordHasher().verify(stored_hash(engine), "ett-nytt-lösenord")
    for output in outputs:
        text = output.stdout + output.stderr
        for secret in (PASSWORD, "ett-nytt-lösenord", first_hash, stored_hash(engine), "$argon2"):
            assert secret not in text
    removed = cli(db, "remove-user", "anna")
    assert removed.returncode == 0 and auth.list_users(engine) == []


@pytest.mark.parametrize(
    "args, password, message",
    [
        (["add-user", "bo", "--kommun", "1381"], "kort", "minst 10 tecken"),
        (["add-user", "bo", "--kommun", "1381"], None, "Inget lösenord"),
        (["add-user", "bo"], PASSWORD, "minst en kommun"),
        (["add-user", "demo", "--admin"], PASSWORD, "reserverat"),
        (["add-user", "anna", "--kommun", "1381"], PASSWORD, "finns redan"),
        (["passwd", "okänd"], PASSWORD, "finns inte"),
        (["passwd", "anna"], "kort", "minst 10 tecken"),
        (["remove-user", "okänd"], None, "finns inte"),
    ],
)
def test_cli_refusals_are_one_sentence(anna, args, password, message):
    before = stored_hash(anna)
    result = cli(anna.url.database, *args, password=password)
    refusal = assert_clean_refusal(result)
    assert message in refusal and result.returncode == 1
    if password and password != "kort":
        assert password not in refusal
    assert [u["name"] for u in auth.list_users(anna)] == ["anna"]
    assert stored_hash(anna) == before


def test_cli_imports_as_the_local_administrator(demo_engine, tmp_path):
    path = _file(tmp_path, "enkat.csv", SURVEY)
    result = run_cli(
        "--db",
        str(demo_engine.url.database),
        "import-survey",
        str(path),
        "--kommun",
        "1381",
        "--json",
        env={"TRYGG_USER": "samordnaren"},
    )
    assert result.returncode == 0, result.stderr
    batch_id = json.loads(result.stdout)["batch_id"]
    assert batches.list_batches(demo_engine, "1381")[0]["id"] == batch_id
    assert batches.list_batches(demo_engine, "1381")[0]["uploaded_by"] == "samordnaren"


def test_no_log_line_or_message_holds_a_password_or_hash(engine, caplog):
    caplog.set_level(logging.DEBUG)
    messages = []
    auth.add_user(engine, "anna", PASSWORD, kommuner=["1381"])
    for password in [PASSWORD] + [OTHER] * POLICY.max_failures + [PASSWORD]:
        messages.append(str(attempt(engine, password)))
    auth.set_password(engine, "anna", "ett-nytt-lösenord")
    for refused in (
        lambda: auth.add_user(engine, "anna", PASSWORD, kommuner=["1381"]),
        lambda: auth.set_password(engine, "anna", "kort"),
    ):
        try:
            refused()
        except TryggError as err:
            messages.append(str(err))
    assert "Inloggning misslyckades för anna" in caplog.text
    assert "Inloggning spärrad för anna" in caplog.text
    assert "anna loggade in" in caplog.text
    logged = caplog.text + "\n".join(messages)
    for secret in (PASSWORD, OTHER, "ett-nytt-lösenord", stored_hash(engine), "$argon2"):
        assert secret not in logged
