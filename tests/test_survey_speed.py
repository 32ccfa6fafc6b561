"""Survey answers stored as rows (migration 0012): figures are a plain scan of them.

The figures from the rows equal the weighted shares computed here by hand with pandas
and shapely from the file itself; the migration moves JSON answers into rows (and
back); rolling back one of two batches leaves exactly the other batch's figures.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from alembic import command
from shapely.geometry import Point
from sqlalchemy import inspect, select, text

from tests.survey_fixtures import ADMIN, GEOMETRIES, add_places, inner_point
from trygg import store
from trygg.errors import TryggError
from trygg.importers import survey_answers
from trygg.importers.base import location_mode, open_upload
from trygg.importers.survey_rows import parse_survey_rows
from trygg.stats import report
from trygg.store import batches, reads, schema

#: (place, trygg kväll code, problem klotter code or "", weight) per respondent. Parken
#: lies inside Torget, so its respondents count for both.
RESPONDENTS = [
    *[("Torget", code, klotter, 1.5) for code, klotter in [(1, 1), (3, 3), (4, 2), (2, "")]],
    *[("Torget", code, klotter, 0.5) for code, klotter in [(5, 4), (6, 3), (7, 5), (1, 1)]],
    *[("Parken", code, klotter, 2.0) for code, klotter in [(3, 4), (1, 1), (2, 3)]],
    *[("Parken", code, klotter, 1.0) for code, klotter in [(4, 2), (7, ""), (3, 1)]],
    *[("Byn", code, klotter, 1.25) for code, klotter in [(1, 2), (2, 3), (3, 4), (5, 1)]],
]


def _write(path, rows, year=2024, start=0):
    """A survey file of ``rows``, each at its own point inside its place (from ``start``)."""
    lines = ["x;y;ar;trygg_kvall;problem_klotter;vikt"]
    counters: dict[str, int] = {}
    for place, code, klotter, weight in rows:
        k = counters[place] = counters.get(place, start - 1) + 1
        x, y = inner_point(place, k)
        lines.append(f"{x};{y};{year};{code};{klotter};{str(weight).replace('.', ',')}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _by_hand(rows) -> dict:
    """Weighted share and n per place (and the kommun, None), straight from the rows."""
    frame = pd.DataFrame(rows, columns=["home", "code", "klotter", "weight"])
    counters: dict[str, int] = {}
    points = []
    for home in frame["home"]:
        k = counters[home] = counters.get(home, -1) + 1
        points.append(Point(inner_point(home, k)))
    figures = {}
    for place in [None, *GEOMETRIES]:
        inside = [place is None or GEOMETRIES[place].contains(p) for p in points]
        mine = frame[inside]
        for name, column, base, hits in [
            ("andel_otrygga", "code", {1, 2, 3, 4, 5}, {3, 4, 5}),
            ("problem_klotter", "klotter", {1, 2, 3, 4}, {3, 4}),
        ]:
            answered = mine[mine[column].isin(base)]
            hit = answered[column].isin(hits)
            share = (answered["weight"] * hit).sum() / answered["weight"].sum()
            figures[place, name] = (len(answered), share)
    return figures


def _computed(engine) -> dict:
    stats = report.compute_stats(engine, "1381", min_n=1)
    figures = {}
    for place in stats["places"]:
        survey = place["survey"]
        figures[place["place"], "andel_otrygga"] = (survey["n"], survey["andel_otrygga"])
        klotter = survey["problem"]["klotter"]
        figures[place["place"], "problem_klotter"] = (klotter["n"], klotter["andel"])
    for name, figure in stats["kommun_total"].items():
        figures[None, name] = (figure["n"], figure["andel"])
    return figures


def test_figures_from_answer_rows_equal_weighted_shares_by_hand(engine, tmp_path):
    add_places(engine, tmp_path)
    survey_answers.import_survey(
        engine, _write(tmp_path / "e.csv", RESPONDENTS), "1381", actor=ADMIN
    )
    expected = _by_hand(RESPONDENTS)
    found = _computed(engine)
    assert set(found) == set(expected)
    for key, (n, share) in expected.items():
        assert found[key][0] == n, key
        assert found[key][1] == pytest.approx(share, rel=1e-12), key
    # One check by eye: Parken's core question, codes 3, 1, 2 (weight 2) and 4, 7, 3 (1):
    # 7 is not in the base, so (2 + 1 + 1) / (2 + 2 + 2 + 1 + 1) = 4 / 8.
    assert found["Parken", "andel_otrygga"] == (5, 0.5)


def test_answer_rows_are_one_per_response_and_item_answered(engine, tmp_path):
    add_places(engine, tmp_path)
    survey_answers.import_survey(
        engine, _write(tmp_path / "e.csv", RESPONDENTS), "1381", actor=ADMIN
    )
    with engine.connect() as connection:
        rows = connection.execute(
            select(schema.survey_answer.c.item, schema.survey_answer.c.code).join(
                schema.survey_response,
                schema.survey_response.c.id == schema.survey_answer.c.response_id,
            )
        ).all()
        columns = {c["name"] for c in inspect(connection).get_columns("survey_response")}
    assert sorted(code for _item, code in rows) == sorted(
        k for _p, _c, k, _w in RESPONDENTS if k != ""
    )
    assert {item for item, _code in rows} == {"problem_klotter"}
    assert "answers" not in columns


def _at_revision(engine, revision: str) -> None:
    config = store._alembic_config()
    with store.write_transaction(engine) as connection:
        config.attributes["connection"] = connection
        if revision < (store.current_revision(engine) or ""):
            command.downgrade(config, revision)
        else:
            command.upgrade(config, revision)


OLD_ANSWERS = [
    (3, {"problem_klotter": 3, "oro_inbrott": 1}),
    (1, {}),
    (None, {"problem_klotter": 4}),
]


def test_migration_moves_json_answers_into_rows_and_back(tmp_path):
    engine = store.make_engine(str(tmp_path / "old.sqlite"))
    _at_revision(engine, "0011")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO kommun (kod, namn) VALUES ('1381', 'Laholm')"))
        connection.execute(
            text(
                "INSERT INTO import_batch (id, kommun_kod, kind, file_name, sha256, original, "
                "uploaded_at, uploaded_by, rows_total, rows_accepted, rows_rejected, status) "
                "VALUES (1, '1381', 'survey', 'e.csv', 'x', x'00', '2024-01-01 00:00:00', "
                "'test', 3, 3, 0, 'active')"
            )
        )
        for number, (code, answers) in enumerate(OLD_ANSWERS, start=1):
            connection.execute(
                text(
                    "INSERT INTO survey_response (id, batch_id, kommun_kod, row_number, year, "
                    "weight, trygg_kvall, answers) VALUES (:id, 1, '1381', :row, 2024, 1.0, "
                    ":code, :answers)"
                ),
                {"id": number, "row": number + 1, "code": code, "answers": json.dumps(answers)},
            )
    store.upgrade(engine)
    with engine.connect() as connection:
        moved = connection.execute(
            text("SELECT response_id, item, code FROM survey_answer ORDER BY response_id, item")
        ).all()
    assert [tuple(row) for row in moved] == [
        (1, "oro_inbrott", 1),
        (1, "problem_klotter", 3),
        (3, "problem_klotter", 4),
    ]
    answers, _links, _places = reads.survey_answers(engine, "1381")
    long = sorted(
        (int(r.response_id), r.indicator, int(r.code)) for r in answers.itertuples(index=False)
    )
    assert long == [
        (1, "andel_otrygga", 3),
        (1, "oro_inbrott", 1),
        (1, "problem_klotter", 3),
        (2, "andel_otrygga", 1),
        (3, "problem_klotter", 4),
    ]
    _at_revision(engine, "0011")
    with engine.connect() as connection:
        back = connection.execute(text("SELECT id, answers FROM survey_response ORDER BY id")).all()
    assert [json.loads(answers) for _id, answers in back] == [a for _c, a in OLD_ANSWERS]
    engine.dispose()


def _survey_figures(engine) -> dict:
    stats = report.compute_stats(engine, "1381")
    return {
        "places": {p["place"]: p["survey"] for p in stats["places"]},
        "total": stats["kommun_total"],
        "years": stats["years"],
    }


#: Two files of the same year: pooled while both are active.
FIRST = [("Torget", 1 + k % 5, 1 + k % 4, 1.0) for k in range(14)] + [
    ("Byn", 1 + (k * 2) % 5, 1 + k % 3, 1.0) for k in range(12)
]
SECOND = [("Torget", 3 + k % 3, 2 + k % 3, 1.5) for k in range(16)]


def test_rollback_of_one_batch_leaves_the_other_batchs_figures(engine, tmp_path):
    add_places(engine, tmp_path)
    survey_answers.import_survey(engine, _write(tmp_path / "a.csv", FIRST), "1381", actor=ADMIN)
    later = survey_answers.import_survey(
        engine, _write(tmp_path / "b.csv", SECOND, start=20), "1381", actor=ADMIN
    )
    alone = store.make_engine(str(tmp_path / "alone.sqlite"))
    store.upgrade(alone)
    (tmp_path / "alone").mkdir()
    add_places(alone, tmp_path / "alone")
    survey_answers.import_survey(alone, tmp_path / "a.csv", "1381", actor=ADMIN)
    both = _survey_figures(engine)
    assert both["places"]["Torget"]["n"] == 14 + 16
    assert both != _survey_figures(alone)
    batches.set_status(engine, later["batch_id"], batches.ROLLED_BACK, actor=ADMIN)
    assert _survey_figures(engine) == _survey_figures(alone)
    batches.set_status(engine, later["batch_id"], batches.ACTIVE, actor=ADMIN)
    assert _survey_figures(engine) == both
    alone.dispose()


def test_the_same_rows_in_another_layout_are_held_back_as_duplicates(engine, tmp_path):
    """Stored rows are matched once each, by what they say (year, point, codes)."""
    add_places(engine, tmp_path)
    first = survey_answers.import_survey(
        engine, _write(tmp_path / "e.csv", RESPONDENTS), "1381", actor=ADMIN
    )
    lines = ["Vikt;Problem klotter;År;Trygg kväll;Y;X"]
    counters: dict[str, int] = {}
    for place, code, klotter, weight in RESPONDENTS:
        k = counters[place] = counters.get(place, -1) + 1
        x, y = inner_point(place, k)
        lines.append(f"{weight};{klotter};2024;{code};{y:.3f};{x:.3f}")
    lines.append(f"1;1;2024;1;{inner_point('Byn', 40)[1]};{inner_point('Byn', 40)[0]}")
    again = tmp_path / "igen.csv"
    again.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(survey_answers.DuplicateRespondents) as held:
        survey_answers.import_survey(engine, again, "1381", actor=ADMIN)
    expected = {"count": len(RESPONDENTS), "batch_ids": [first["batch_id"]], "by": "row"}
    assert held.value.duplicates == expected
    forced = survey_answers.import_survey(engine, again, "1381", actor=ADMIN, allow_duplicates=True)
    assert forced["duplicates"] == expected
    # Now every row is stored twice and the extra one once: a third copy matches each once.
    third = tmp_path / "tredje.csv"
    third.write_text("\n".join(lines + lines[1:]) + "\n", encoding="utf-8")
    with pytest.raises(survey_answers.DuplicateRespondents) as twice:
        survey_answers.import_survey(engine, third, "1381", actor=ADMIN)
    assert twice.value.duplicates["count"] == 2 * len(RESPONDENTS) + 1
    assert twice.value.duplicates["batch_ids"] == [first["batch_id"], forced["batch_id"]]


def test_a_place_removed_before_the_write_refuses_the_survey(engine, tmp_path):
    """The file is read and placed outside the write lock, and SQLite does not check
    the links row by row: a place removed meanwhile refuses the file, nothing kept; a
    plain import leaves every reference whole."""
    add_places(engine, tmp_path)
    path = _write(tmp_path / "a.csv", FIRST)
    upload = open_upload(engine, path, "1381")
    mode = location_mode(upload.table.columns)
    outcome = parse_survey_rows(upload.table, upload.locator, mode, None, None, False, False)
    byn = next(i for i, name in upload.locator.names.items() if name == "Byn")
    with store.write_transaction(engine) as connection:
        connection.execute(schema.place.delete().where(schema.place.c.id == byn))
    writer = survey_answers._response_writer(
        "1381", path.name, outcome, False, upload.locator.read_shapes
    )
    with pytest.raises(TryggError, match=r"^Platserna i .+ ändrades medan filen a\.csv"):
        upload.store(
            engine,
            outcome,
            writer,
            kind=survey_answers.BATCH_KIND,
            uploaded_by=ADMIN.name,
            source=None,
            foreign_keys=False,
        )
    with engine.connect() as connection:
        assert connection.execute(select(schema.survey_response.c.id)).all() == []
    survey_answers.import_survey(engine, path, "1381", actor=ADMIN)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert len(connection.execute(select(schema.survey_response_place)).all()) > 0
