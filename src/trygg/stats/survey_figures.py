"""Survey figures per place, from answer frames: shares, suppression and trend.

- ``andel_otrygga``: the weighted share answering codes 3–5 of those answering 1–5;
- a problem or worry item's ``andel``: the weighted share answering 3–4 of 1–4;
- ``n``: the unweighted count in the base; hidden below ``min_n`` and wherever a
  subtraction would reveal a small group (:mod:`trygg.stats.suppression`);
- the trend compares with the previous survey year as that year was published.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from trygg.scales import ITEM_SCALES, TRYGG_KVALL, AnswerScale
from trygg.stats import nesting, suppression
from trygg.stats.shares import ShareFigure, share_figure, two_proportion_test


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
        return _published({**survey, "andel": survey["andel_otrygga"]})
    prefix, slug = indicator.split("_", 1)
    return survey.get(prefix, {}).get(slug) or ShareFigure(0).as_dict()


def _place_sums(flagged: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    joined = flagged.merge(links, on="response_id")
    return _sums(joined, ["place_id", "indicator"])


def _year_figures(flagged: pd.DataFrame, links: pd.DataFrame, place_ids, min_n: int) -> dict:
    """Every place's and the kommun's (None) figures of one year, suppression applied.

    Returns ``{(place id or None, indicator): figure}``; a figure hidden only because a
    subtraction would reveal a small group has ``secondary_suppression`` set.
    """
    if flagged.empty:  # no answers that year: no figures (and no groupby to run)
        return {}
    indicators = sorted(flagged["indicator"].unique())
    respondents = pd.Index(np.unique(flagged["response_id"]))
    links = links[links["response_id"].isin(respondents)]
    element = respondents.get_indexer(links["response_id"])
    grouped = pd.Series(element).groupby(links["place_id"].to_numpy())
    found = {int(place_id): rows.to_numpy() for place_id, rows in grouped}
    members = [found.get(place_id, np.zeros(0, np.int64)) for place_id in place_ids]
    nest = nesting.nesting([None, *place_ids], members, len(respondents))
    sums = pd.concat(
        [
            _sums(flagged, ["indicator"]).assign(place_id=-1).set_index("place_id", append=True),
            _place_sums(flagged, links).swaplevel(),
        ]
    )
    keys = [-1, *place_ids]
    rows = _rows(sums)
    position_of = {key: position for position, key in enumerate(keys)}
    number_of = {indicator: number for number, indicator in enumerate(indicators)}
    counts = np.zeros((len(keys), len(indicators)), dtype=np.int64)
    for (indicator, key), n in sums["n"].items():
        counts[position_of[key], number_of[indicator]] = n
    hidden = suppression.hide_survey_figures(nest, counts, min_n)
    figures = {}
    for position, key in enumerate(keys):
        for number, indicator in enumerate(indicators):
            figure = _figure(rows.get((indicator, key)), min_n)
            if hidden[position, number] and not figure.is_hidden:
                figure = figure.hidden()
            figures[(None if key == -1 else key, indicator)] = figure
    total = {i: rows[(i, -1)] for i in indicators if (i, -1) in rows}
    for (place_id, indicator), figure in list(figures.items()):
        if place_id is not None and indicator in total:
            row = rows.get((indicator, place_id))
            figures[(place_id, indicator)] = _with_vs_rest(figure, total[indicator], row, min_n)
    return figures


def _rows(sums: pd.DataFrame) -> dict:
    """Each (indicator, key) row of ``sums`` as {"n", "w", "hw", "w2"}: float64 values,
    as a row of the frame reads (its columns share one dtype there)."""
    names = ["n", "w", "hw", "w2"]
    values = sums[names].to_numpy(dtype=float)
    return {
        (indicator, int(key)): dict(zip(names, row, strict=True))
        for (indicator, key), row in zip(sums.index, values, strict=True)
    }


def _with_vs_rest(figure: ShareFigure, total, row, min_n: int) -> ShareFigure:
    """The place against the rest of the kommun (everyone answering minus the place).

    Only a published place is compared, and only with a rest of at least ``min_n``
    answers: a smaller rest would reveal a small group by subtraction.
    """
    if figure.is_hidden or row is None:
        return figure
    rest = share_figure(
        int(total["n"] - row["n"]),
        total["w"] - row["w"],
        total["hw"] - row["hw"],
        total["w2"] - row["w2"],
        min_n,
    )
    if rest.is_hidden or not rest.n_eff:
        return figure
    test = two_proportion_test(rest.andel, rest.n_eff, figure.andel, figure.n_eff)
    diff = figure.andel - rest.andel
    result = "no_difference"
    if test["significant"]:
        result = "higher" if diff > 0 else "lower"
    vs_rest = {
        "rest_andel": rest.andel,
        "diff": diff,
        "p_value": test["p_value"],
        "result": result,
    }
    return replace(figure, vs_rest=vs_rest)


def _figure(row, min_n: int) -> ShareFigure:
    if row is None:
        return share_figure(0, 0.0, 0.0, 0.0, min_n)
    return share_figure(int(row["n"]), row["w"], row["hw"], row["w2"], min_n)


def _lookup(figures: dict, key, indicator: str, min_n: int) -> ShareFigure:
    return figures.get((key, indicator)) or ShareFigure(0)


def _survey_block(figures: dict, place_id: int, indicators, min_n: int) -> dict:
    core = _lookup(figures, place_id, "andel_otrygga", min_n)
    block = {
        "n": core.n,
        "andel_otrygga": core.andel,
        "ki_lag": core.ki_lag,
        "ki_hog": core.ki_hog,
        "suppressed": core.is_hidden,
        "secondary_suppression": core.secondary_suppression,
        "n_eff": core.n_eff,
        "vs_rest": core.vs_rest,
    }
    for prefix in ITEM_SCALES:
        block[prefix] = {
            name.split("_", 1)[1]: _lookup(figures, place_id, name, min_n).as_dict()
            for name in indicators
            if name.startswith(prefix + "_")
        }
    return block


def _published(survey: dict) -> dict:
    """A place's core figure (its survey block) in the published form of the items."""
    return {key: survey.get(key, False) for key in ShareFigure(0).as_dict()}


def _add_trend(survey: dict, before: dict, place_id: int, previous: int, min_n: int) -> None:
    """Last year's figure as that year published it, and a two-proportion test."""
    earlier = _lookup(before, place_id, "andel_otrygga", min_n)
    if survey["suppressed"] or earlier.is_hidden:
        return
    test = two_proportion_test(
        earlier.andel, earlier.n_eff, survey["andel_otrygga"], survey["n_eff"]
    )
    survey["trend"] = {
        "previous_year": previous,
        "previous_andel_otrygga": earlier.andel,
        "previous_n": earlier.n,
        "change": survey["andel_otrygga"] - earlier.andel,
        **test,
    }


def survey_report(answers, links, places, year: int | None, min_n: int) -> dict:
    """Every place's figures and the kommun total for ``year`` (default: the latest).

    ``answers`` (long by indicator), ``links`` and ``places`` as
    :func:`trygg.store.reads.survey_answers` gives them.
    """
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
    total = {i: _lookup(current, None, i, min_n).as_dict() for i in ordered}
    return {
        "year": year,
        "years": years,
        "min_n": min_n,
        "places": output_places,
        "kommun_total": total,
    }


def area_result_figures(rows: list, min_n: int) -> dict:
    """Delivered area-level figures by place id (None = the whole kommun).

    A figure delivered with an n below ``min_n`` is suppressed like our own.
    """
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
