"""Figures per place: weighted shares with Wilson intervals, suppression and trend.

Definitions (domain.md):
- ``andel_otrygga``: the weighted share answering codes 3–5 of those answering 1–5;
- a problem or worry item's ``andel``: the weighted share answering 3–4 of 1–4;
- ``n``: the unweighted count in the base; below ``min_n`` value and interval are null;
- the 95 % interval is Wilson's, with Kish's effective n when there are weights.
"""

from __future__ import annotations

import io
import json
import math

import numpy as np
import pandas as pd
from scipy.stats import norm
from sqlalchemy import Engine, Text, select, type_coerce

from trygg import exports, suppression
from trygg.batches import ACTIVE, is_synthetic
from trygg.scales import ITEM_SCALES, MIN_N, TRYGG_KVALL, AnswerScale
from trygg.store import require_kommun, schema
from trygg.strings import t

Z95 = float(norm.ppf(0.975))
SIGNIFICANCE = 0.05


def kish_effective_n(weights) -> float:
    """Kish's effective sample size, (Σw)² / Σw²; equals n for equal weights."""
    weights = np.asarray(weights, dtype=float)
    return float(weights.sum() ** 2 / (weights**2).sum()) if len(weights) else 0.0


def wilson_interval(p: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson's score interval for a proportion ``p`` observed on ``n`` (may be fractional)."""
    denominator = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def two_proportion_test(p1: float, n1: float, p2: float, n2: float) -> dict:
    """Two-sided z test of p1 = p2 with a pooled standard error."""
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return {"z": 0.0, "p_value": 1.0, "significant": False}
    z = (p2 - p1) / se
    p_value = float(2 * norm.sf(abs(z)))
    return {"z": z, "p_value": p_value, "significant": p_value < SIGNIFICANCE}


def share_figure(
    n: int, weight_sum: float, hit_sum: float, weight_sq_sum: float, min_n: int
) -> dict:
    """A share from its sufficient sums; value and interval are null when ``n < min_n``."""
    if n < min_n or weight_sum <= 0:
        return {
            "n": int(n),
            "andel": None,
            "ki_lag": None,
            "ki_hog": None,
            "suppressed": True,
            "n_eff": None,
        }
    p = hit_sum / weight_sum
    n_eff = weight_sum**2 / weight_sq_sum
    low, high = wilson_interval(p, n_eff)
    return {
        "n": int(n),
        "andel": p,
        "ki_lag": low,
        "ki_hog": high,
        "suppressed": False,
        "n_eff": n_eff,
    }


def share_of(codes, weights, scale: AnswerScale, min_n: int = MIN_N) -> dict:
    """The weighted share of ``scale.hits`` among ``scale.base`` in ``codes``."""
    codes = np.asarray(codes, dtype=float)
    weights = np.asarray(weights, dtype=float)
    base = np.isin(codes, list(scale.base))
    hits = np.isin(codes, list(scale.hits))
    return share_figure(
        int(base.sum()),
        float(weights[base].sum()),
        float(weights[hits].sum()),
        float((weights[base] ** 2).sum()),
        min_n,
    )


# --- Loading answers -----------------------------------------------------------------


def _load(engine: Engine, kommun: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Active responses (long by indicator), their place links, and the kommun's places."""
    response = schema.survey_response
    batch = schema.import_batch
    with engine.connect() as connection:
        require_kommun(connection, kommun)
        rows = connection.execute(
            select(
                response.c.id,
                response.c.year,
                response.c.weight,
                response.c.trygg_kvall,
                type_coerce(response.c.answers, Text),
            )
            .join(batch, batch.c.id == response.c.batch_id)
            .where(response.c.kommun_kod == kommun, batch.c.status == ACTIVE)
        ).all()
        links = pd.DataFrame.from_records(
            map(
                tuple,
                connection.execute(
                    select(
                        schema.survey_response_place.c.response_id,
                        schema.survey_response_place.c.place_id,
                    )
                    .join(response, response.c.id == schema.survey_response_place.c.response_id)
                    .join(batch, batch.c.id == response.c.batch_id)
                    .where(response.c.kommun_kod == kommun, batch.c.status == ACTIVE)
                ).all(),
            ),
            columns=["response_id", "place_id"],
        )
        places = pd.DataFrame(
            connection.execute(
                select(
                    schema.place.c.id,
                    schema.place.c.name,
                    schema.place.c.kind,
                    schema.place.c.population,
                )
                .where(schema.place.c.kommun_kod == kommun)
                .order_by(schema.place.c.name)
            ).all(),
            columns=["place_id", "place", "kind", "population"],
        )
    long = [(r[0], r[1], r[2], "andel_otrygga", r[3]) for r in rows if r[3] is not None] + [
        (r[0], r[1], r[2], item, code)
        for r, items in zip(rows, _decode_all([r[4] for r in rows]), strict=True)
        for item, code in items.items()
    ]
    answers = pd.DataFrame(long, columns=["response_id", "year", "weight", "indicator", "code"])
    return answers, links, places


def _decode_all(values: list) -> list[dict]:
    """Decode many JSON texts in one parse (a driver may already return dicts)."""
    if not values or not isinstance(values[0], str):
        return [value or {} for value in values]
    return json.loads("[" + ",".join(value or "{}" for value in values) + "]")


def _scale(indicator: str) -> AnswerScale:
    return TRYGG_KVALL if indicator == "andel_otrygga" else ITEM_SCALES[indicator.split("_")[0]]


def _with_flags(answers: pd.DataFrame) -> pd.DataFrame:
    """Keep answers in their scale's base and add the sums a share needs."""
    base = np.zeros(len(answers), dtype=bool)
    hit = np.zeros(len(answers), dtype=bool)
    for indicator in answers["indicator"].unique():
        scale = _scale(indicator)
        mask = (answers["indicator"] == indicator).to_numpy()
        codes = answers["code"].to_numpy()
        base |= mask & np.isin(codes, list(scale.base))
        hit |= mask & np.isin(codes, list(scale.hits))
    flagged = answers.assign(hit_w=answers["weight"] * hit, w2=answers["weight"] ** 2)[base]
    return flagged


def _sums(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return frame.groupby(keys).agg(
        n=("weight", "size"), w=("weight", "sum"), hw=("hit_w", "sum"), w2=("w2", "sum")
    )


# --- The figures ---------------------------------------------------------------------


def compute_stats(engine: Engine, kommun: str, year: int | None = None, min_n: int = MIN_N) -> dict:
    """Survey figures for every place of ``kommun`` in ``year`` (default: the latest).

    Returns
    -------
    dict
        ``{"kommun", "year", "years", "min_n", "places": [{"place", "place_id", "survey":
        {"n", "andel_otrygga", "ki_lag", "ki_hog", "suppressed", "problem": {...},
        "oro": {...}, "trend": {...}}}], "kommun_total": {...}, "sources": [...],
        "synthetic"}``. ``sources`` are the active batches behind the year's figures,
        each with a ``synthetic`` flag; top-level ``synthetic`` is true when any is.
    """
    answers, links, places = _load(engine, kommun)
    years = sorted(int(y) for y in answers["year"].unique())
    if year is None and years:
        year = years[-1]
    previous = max((y for y in years if year is not None and y < year), default=None)
    flagged = _with_flags(answers)
    place_ids = [int(i) for i in places["place_id"]]
    current = _year_figures(flagged[flagged["year"] == year], links, place_ids, min_n)
    before = _year_figures(flagged[flagged["year"] == previous], links, place_ids, min_n)
    indicators = sorted(flagged.loc[flagged["year"] == year, "indicator"].unique())
    output_places = []
    for place in places.itertuples():
        survey = _survey_block(current, int(place.place_id), indicators, min_n)
        if previous is not None:
            _add_trend(survey, before, int(place.place_id), previous, min_n)
        output_places.append(
            {
                "place": place.place,
                "place_id": int(place.place_id),
                "kind": place.kind,
                "population": None if pd.isna(place.population) else int(place.population),
                "survey": survey,
            }
        )
    ordered = ["andel_otrygga", *[i for i in indicators if i != "andel_otrygga"]]
    total = {i: _item(_lookup(current, None, i, min_n)) for i in ordered}
    results = area_results(engine, kommun, year, min_n)
    for place in output_places:
        place["results"] = results.get(place["place_id"], [])
    sources = figure_sources(engine, kommun, year)
    return {
        "kommun": kommun,
        "year": year,
        "years": years,
        "min_n": min_n,
        "places": output_places,
        "kommun_total": total,
        "kommun_results": results.get(None, []),
        "sources": sources,
        "synthetic": any(source["synthetic"] for source in sources),
    }


def figure_sources(engine: Engine, kommun: str, year: int | None) -> list[dict]:
    """The active batches holding answers or delivered results of ``year``, oldest first.

    Returns
    -------
    list of dict
        ``{"batch_id", "kind", "file_name", "source", "synthetic"}`` each.
    """
    batch = schema.import_batch
    response, result = schema.survey_response, schema.survey_result
    ids = (
        select(response.c.batch_id)
        .where(response.c.kommun_kod == kommun, response.c.year == year)
        .union(
            select(result.c.batch_id).where(result.c.kommun_kod == kommun, result.c.year == year)
        )
    )
    with engine.connect() as connection:
        rows = connection.execute(
            select(batch.c.id, batch.c.kind, batch.c.file_name, batch.c.source, batch.c.uploaded_by)
            .where(batch.c.id.in_(ids), batch.c.status == ACTIVE)
            .order_by(batch.c.id)
        ).mappings()
        return [
            {
                "batch_id": row["id"],
                "kind": row["kind"],
                "file_name": row["file_name"],
                "source": row["source"],
                "synthetic": is_synthetic(row),
            }
            for row in rows
        ]


def figure_of(survey: dict, indicator: str) -> dict:
    """One indicator's figure from a place's ``survey`` block.

    ``kommun_total`` is already keyed by indicator and needs no lookup.

    Returns
    -------
    dict
        ``{"n", "andel", "ki_lag", "ki_hog", "suppressed"}``; an item nobody answered
        is a suppressed figure with n = 0.
    """
    if indicator == "andel_otrygga":
        return _item({**survey, "andel": survey["andel_otrygga"]})
    prefix, slug = indicator.split("_", 1)
    return survey.get(prefix, {}).get(slug) or _item(share_figure(0, 0.0, 0.0, 0.0, 1))


def area_results(engine: Engine, kommun: str, year: int | None, min_n: int) -> dict:
    """Delivered area-level figures of ``year`` by place id (None = the whole kommun).

    A figure delivered with an n below ``min_n`` is suppressed like our own.
    """
    result = schema.survey_result
    batch = schema.import_batch
    with engine.connect() as connection:
        rows = (
            connection.execute(
                select(result, batch.c.source, batch.c.file_name)
                .join(batch, batch.c.id == result.c.batch_id)
                .where(
                    result.c.kommun_kod == kommun,
                    batch.c.status == ACTIVE,
                    result.c.year == year,
                )
                .order_by(result.c.id)
            )
            .mappings()
            .all()
        )
    by_place: dict = {}
    for row in rows:
        small = row["n"] is not None and row["n"] < min_n
        by_place.setdefault(row["place_id"], []).append(
            {
                "indicator": row["indicator"],
                "value": None if small else row["value"],
                "unit": row["unit"],
                "n": row["n"],
                "ki_lag": None if small else row["ki_lag"],
                "ki_hog": None if small else row["ki_hog"],
                "missing": row["value"] is None,
                "suppressed": small or row["value"] is None,
                "source": row["source"] or row["file_name"],
                "area": row["area"],
            }
        )
    return by_place


def _place_sums(flagged: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    joined = flagged.merge(links, on="response_id")
    return _sums(joined, ["place_id", "indicator"])


def _year_figures(flagged: pd.DataFrame, links: pd.DataFrame, place_ids, min_n: int) -> dict:
    """Every place's and the kommun's (None) figures of one year, suppression applied.

    Returns ``{(place id or None, indicator): figure}``; a figure hidden only because a
    subtraction would reveal a small group has ``secondary_suppression`` set.
    """
    indicators = sorted(flagged["indicator"].unique())
    respondents = pd.Index(np.unique(flagged["response_id"]))
    links = links[links["response_id"].isin(respondents)]
    element = respondents.get_indexer(links["response_id"])
    grouped = pd.Series(element).groupby(links["place_id"].to_numpy())
    found = {int(place_id): rows.to_numpy() for place_id, rows in grouped}
    members = [found.get(place_id, np.zeros(0, np.int64)) for place_id in place_ids]
    nest = suppression.nesting([None, *place_ids], members, len(respondents))
    sums = pd.concat(
        [
            _sums(flagged, ["indicator"]).assign(place_id=-1).set_index("place_id", append=True),
            _place_sums(flagged, links).swaplevel(),
        ]
    )
    keys = [-1, *place_ids]
    counts = np.zeros((len(keys), len(indicators)), dtype=np.int64)
    for (indicator, key), n in sums["n"].items():
        counts[keys.index(key), indicators.index(indicator)] = n
    hidden = suppression.hide_survey_figures(nest, counts, min_n)
    figures = {}
    for position, key in enumerate(keys):
        for number, indicator in enumerate(indicators):
            row = sums.loc[(indicator, key)] if (indicator, key) in sums.index else None
            figure = _figure(row, min_n)
            if hidden[position, number] and not figure["suppressed"]:
                figure = {**share_figure(figure["n"], 0, 0, 0, figure["n"] + 1)}
                figure["secondary_suppression"] = True
            figures[(None if key == -1 else key, indicator)] = figure
    return figures


def _figure(row, min_n: int) -> dict:
    if row is None:
        return share_figure(0, 0.0, 0.0, 0.0, min_n)
    return share_figure(int(row["n"]), row["w"], row["hw"], row["w2"], min_n)


def _lookup(figures: dict, key, indicator: str, min_n: int) -> dict:
    return figures.get((key, indicator)) or share_figure(0, 0.0, 0.0, 0.0, min_n)


def _survey_block(figures: dict, place_id: int, indicators, min_n: int) -> dict:
    core = _lookup(figures, place_id, "andel_otrygga", min_n)
    block = {
        "n": core["n"],
        "andel_otrygga": core["andel"],
        "ki_lag": core["ki_lag"],
        "ki_hog": core["ki_hog"],
        "suppressed": core["suppressed"],
        "secondary_suppression": core.get("secondary_suppression", False),
        "n_eff": core["n_eff"],
    }
    for prefix in ITEM_SCALES:
        block[prefix] = {
            name.split("_", 1)[1]: _item(_lookup(figures, place_id, name, min_n))
            for name in indicators
            if name.startswith(prefix + "_")
        }
    return block


ITEM_KEYS = ("n", "andel", "ki_lag", "ki_hog", "suppressed")


def _item(figure: dict) -> dict:
    return {k: figure[k] for k in ITEM_KEYS} | {
        "secondary_suppression": figure.get("secondary_suppression", False)
    }


def _add_trend(survey: dict, before: dict, place_id: int, previous: int, min_n: int) -> None:
    """Last year's figure as that year published it, and a two-proportion test."""
    earlier = _lookup(before, place_id, "andel_otrygga", min_n)
    if survey["suppressed"] or earlier["suppressed"]:
        return
    test = two_proportion_test(
        earlier["andel"], earlier["n_eff"], survey["andel_otrygga"], survey["n_eff"]
    )
    survey["trend"] = {
        "previous_year": previous,
        "previous_andel_otrygga": earlier["andel"],
        "previous_n": earlier["n"],
        "change": survey["andel_otrygga"] - earlier["andel"],
        **test,
    }


CSV_COLUMNS = (
    "kommun",
    "year",
    "place",
    "place_id",
    "indicator",
    "n",
    "andel",
    "ki_lag",
    "ki_hog",
    "suppressed",
)


def table_rows(figures: dict) -> list[list]:
    """One row per place and indicator (see ``CSV_COLUMNS``); shares as floats 0–1."""
    rows = []
    for place in figures["places"]:
        survey = place["survey"]
        items = [("andel_otrygga", {**survey, "andel": survey["andel_otrygga"]})]
        for prefix in ITEM_SCALES:
            items += [(f"{prefix}_{slug}", item) for slug, item in survey[prefix].items()]
        rows += [
            [
                figures["kommun"],
                figures["year"],
                place["place"],
                place["place_id"],
                indicator,
                item["n"],
                *(_rounded(item[key]) for key in ("andel", "ki_lag", "ki_hog")),
                "true" if item["suppressed"] else "false",
            ]
            for indicator, item in items
        ]
    return rows


def to_csv(figures: dict) -> str:
    """The rows of :func:`table_rows` as CSV: plain machine formats (decimal point).

    Text cells go through :func:`trygg.exports.safe_cell`, so no place name becomes a
    spreadsheet formula.
    """
    buffer = io.StringIO()
    exports.write_csv(buffer, CSV_COLUMNS, table_rows(figures), float_format=".6f")
    return buffer.getvalue()


def to_xlsx(figures: dict) -> bytes:
    """The rows of :func:`table_rows` as an Excel workbook; numbers stored as numbers."""
    buffer = io.BytesIO()
    exports.write_xlsx(buffer, CSV_COLUMNS, table_rows(figures), sheet=t("exports.sheet_stats"))
    return buffer.getvalue()


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), 6)
