"""Property tests: random and mangled CSVs never crash the importer or half-write.

Every run ends one of two ways: a stored batch whose ``accepted + rejected == rows``, or a
whole refusal (TryggError) that leaves the database as it was.
"""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.survey_fixtures import add_places
from trygg import store
from trygg.auth import local_admin
from trygg.errors import TryggError
from trygg.importers import survey_answers
from trygg.store import schema

#: These tests write as the command line's local administrator.
ADMIN = local_admin()

HEADERS = [
    "Område",
    "plats",
    "År",
    "ar",
    "Trygg kväll",
    "trygg_kvall",
    "Vikt",
    "Problem klotter",
    "Oro inbrott",
    "Latitud",
    "Longitud",
    "X",
    "Y",
    "Kommentar",
    "Kön",
    "junk",
    "",
]
GOOD = {
    "Område": ["Parken", " torget ", "BYN", "Stadsparken", "Centrum"],
    "År": ["2023", "2024"],
    "Trygg kväll": ["Mycket trygg", "ganska otrygg", "3", "5", "Vet inte", ""],
    "Vikt": ["1", "0,75", "1.5", ""],
    "Problem klotter": ["Inget problem", "4", "Vet ej", ""],
}
CELLS = st.one_of(
    st.sampled_from(
        [
            "Parken",
            "torget ",
            "Byn",
            "Stadsparken",
            "Okänd",
            "2024",
            "2023",
            "1",
            "3",
            "7",
            "8",
            "0",
            "-1",
            "1,5",
            "abc",
            "Mycket trygg",
            "Vet inte",
            "Vet ej",
            "Ganska stort problem",
            "56,5",
            "13,0",
            "370500",
            "6265500",
            "",
            "..",
            "XX",
        ]
    ),
    st.text(max_size=12),
)


@st.composite
def csv_bytes(draw) -> bytes:
    header = draw(
        st.one_of(
            st.permutations(["Område", "År", "Trygg kväll", "Vikt", "Problem klotter"]),
            st.lists(st.sampled_from(HEADERS), min_size=0, max_size=7),
        )
    )
    cell = st.one_of(CELLS, *(st.sampled_from(GOOD[h]) for h in header if h in GOOD))
    plausible = st.tuples(*(st.sampled_from(GOOD[h]) if h in GOOD else CELLS for h in header))
    row = st.one_of(st.lists(cell, min_size=0, max_size=len(header) + 2), plausible.map(list))
    rows = draw(st.lists(row, max_size=12))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))
    )
    writer.writerow(header)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    data = buffer.getvalue().encode(encoding, errors="replace")
    if draw(st.integers(0, 3)) == 0:
        cut = draw(st.integers(min_value=0, max_value=len(data)))
        noise = draw(st.binary(max_size=20))
        data = data[:cut] + noise + data[cut:]
    return data


@pytest.fixture(scope="module")
def survey_engine(tmp_path_factory):
    folder = tmp_path_factory.mktemp("properties")
    engine = store.make_engine(str(folder / "p.sqlite"))
    store.upgrade(engine)
    add_places(engine, folder)
    yield engine, folder
    engine.dispose()


def counts(engine) -> tuple[int, int, int]:
    with engine.connect() as connection:
        return tuple(
            connection.execute(select(func.count()).select_from(table)).scalar()
            for table in (schema.survey_response, schema.survey_response_place, schema.import_batch)
        )


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=csv_bytes(), year=st.sampled_from([None, 2024]))
def test_random_csv_is_stored_consistently_or_refused_whole(survey_engine, data, year):
    engine, folder = survey_engine
    path = folder / "slump.csv"
    path.write_bytes(data)
    before = counts(engine)
    try:
        result = survey_answers.import_survey(engine, path, "1381", year=year, actor=ADMIN)
    except TryggError as err:
        event("refused whole")
        assert str(err) and "\n" not in str(err)
        assert counts(engine) == before
        return
    event("stored" if result["accepted"] else "stored, every row rejected")
    assert result["accepted"] + result["rejected"] == result["rows"]
    assert result["unresolved"] <= result["rejected"]
    assert len({e["row"] for e in result["errors"]}) == result["rejected"]
    responses, _links, batches = counts(engine)
    assert responses == before[0] + result["accepted"]
    assert batches == before[2] + 1
