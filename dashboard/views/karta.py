"""Karta: survey and incident figures per place on a map, hot spots, the chosen place's
figures and promises.

The URL carries the view (``?kommun=0683&plats=Stadsparken&visa=problem_klotter&ar=2023``)
so a link opens the same map; the selectors, a click on the map and the place list all
update it. Figures come from :func:`trygg.figures.place_figures` and
:mod:`trygg.analysis` and are formatted by :mod:`trygg.formatting`; this page only lays
them out.

The sidebar's public switch (on by default, for the projector) asks the core for public
figures: incident counts below k say "färre än 3" and grid cells under k are left out.
Raw incident points never reach the page, in either mode.
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import state
from markup import badge, heat_table, md, message
from trygg import formatting, maps
from trygg.commitments.listing import group_for_place
from trygg.scales import INCIDENT_CATEGORIES, ITEM_SCALES, MIN_INCIDENTS_PUBLIC, PARTIES
from trygg.stats.survey_figures import figure_of
from trygg.strings import t
from trygg.text import fold

MAP_HEIGHT = 680
#: The place list's first entry: no place chosen, the whole kommun.
WHOLE_KOMMUN = ""
RETURNED = ["last_active_drawing", "last_object_clicked", "last_object_clicked_tooltip"]
CORE = "andel_otrygga"
STATUS_COLOURS = {"ej påbörjad": "gray", "pågår": "blue", "genomförd": "green", "inställd": "red"}
#: Hot-spot cell sizes in metres; 250 m is quick enough to compute on the fly.
CELL_SIZES = (100, 250, 500)
DEFAULT_CELL = 250
#: The layer category list's first entry: every category.
ALL_CATEGORIES = ""


def main() -> None:
    db = state.require_database()
    kod, kommuner = state.choose_kommun(db)
    places = state.kommun_places(db, kod)
    plats = current_place(places, kommuner[kod])
    tiles = tile_selector()
    public = public_switch()
    st.title(f"{t('app.title')} – {md(kommuner[kod])}")
    left, right = st.columns([5, 3], gap="medium")
    with left:
        figures, indicator = figure_selectors(db, kod, public)
        layer = map_layer(db, kod, figures, indicator, public)
        overlays = layer_controls(db, kod, figures, public)
        show_map(places, plats, tiles, kod, layer, overlays)
        incident_panel(db, kod, figures, plats, kommuner[kod], public)
    with right:
        place_selector(places, plats)
        survey_panel(figures, plats, kommuner[kod])
        show_commitments(state.kommun_commitments(db, kod), plats, kommuner[kod])
    download_button(places, plats, tiles, kommuner[kod], layer, overlays)


def public_switch() -> bool:
    """The sidebar switch for the projector: on unless a coordinator turns it off.

    Only a logged-in coordinator of the chosen kommun gets the switch; for everyone
    else the view is public and no widget value is read.
    """
    k = MIN_INCIDENTS_PUBLIC
    public = True
    if state.may_change(st.session_state.get("kommun")):
        public = st.sidebar.toggle(
            t("dash.public"), value=True, key="public_view", help=t("dash.public_help", k=k)
        )
    st.sidebar.caption(t("dash.public_on" if public else "dash.public_off", k=k))
    return public


def figure_selectors(db: str, kod: str, public: bool) -> tuple[dict | None, str | None]:
    """The year and figure to colour the map by, from ``?ar=`` and ``?visa=``.

    Returns
    -------
    tuple
        The year's figures from ``place_figures`` and the chosen metric, or
        ``(None, None)`` when the kommun has neither survey answers nor incidents.
    """
    latest = state.kommun_figures(db, kod, None, public)
    if not latest["years"]:
        return None, None
    years = list(reversed(latest["years"]))
    year = _url_choice("ar", [str(y) for y in years], str(latest["year"]))
    figures = (
        latest if int(year) == latest["year"] else state.kommun_figures(db, kod, int(year), public)
    )
    options = maps.metric_options(figures)
    indicator = _url_choice("visa", list(options), CORE if CORE in options else next(iter(options)))
    metric_column, year_column = st.columns([3, 1])
    with metric_column:
        st.session_state["metric_select"] = indicator
        st.selectbox(
            t("dash.metric"),
            list(options),
            key="metric_select",
            format_func=options.get,
            on_change=_to_url,
            args=("visa", "metric_select"),
        )
    with year_column:
        st.session_state["year_select"] = year
        st.selectbox(
            t("dash.year"),
            [str(y) for y in years],
            key="year_select",
            on_change=_to_url,
            args=("ar", "year_select"),
        )
    return figures, indicator


def map_layer(db: str, kod: str, figures: dict | None, metric: str | None, public: bool):
    """The choropleth of the chosen metric: a survey share or an incident figure."""
    if figures is None:
        return None
    if not maps.is_incident_metric(metric):
        return maps.choropleth(figures, metric)
    previous = previous_figures(db, kod, figures, public)
    synthetic = state.incidents_synthetic(db, kod)
    return maps.incident_choropleth(figures, metric, previous, synthetic)


def previous_figures(db: str, kod: str, figures: dict, public: bool) -> dict | None:
    """The previous year's figures, when that year has incidents to compare with."""
    before = figures["year"] - 1
    if before not in state.kommun_incident_years(db, kod):
        return None
    return state.kommun_figures(db, kod, before, public)


def layer_controls(db: str, kod: str, figures: dict | None, public: bool) -> list:
    """The hot-spot and density switches (off by default), cell size and category."""
    st.sidebar.subheader(t("dash.layers"))
    hot = st.sidebar.toggle(t("dash.layer_hotspots"), key="layer_hotspots")
    density = st.sidebar.toggle(t("dash.layer_density"), key="layer_density")
    cell = st.sidebar.selectbox(
        t("dash.cell_size"),
        CELL_SIZES,
        index=CELL_SIZES.index(DEFAULT_CELL),
        format_func=lambda size: t("fmt.metres", value=size),
        key="hotspot_cell",
        disabled=not hot,
    )
    category = st.sidebar.selectbox(
        t("dash.layer_category"),
        [ALL_CATEGORIES, *INCIDENT_CATEGORIES],
        format_func=lambda slug: INCIDENT_CATEGORIES.get(slug) or t("dash.all_categories"),
        key="hotspot_category",
        disabled=not (hot or density),
    )
    if not (hot or density) or figures is None or "kommun_incidents" not in figures:
        return []
    found = state.hotspots(db, kod, figures["year"], cell, category or None, public)
    synthetic = state.incidents_synthetic(db, kod)
    overlays = []
    if density:
        overlays.append(maps.DensityLayer(found["density"], synthetic))
    if hot:
        label = INCIDENT_CATEGORIES.get(category)
        hotspot = maps.HotspotLayer(found["grid"], cell, label, synthetic)
        if not hotspot.features():
            st.sidebar.caption(message("dash.no_hotspots", year=figures["year"]))
        overlays.append(hotspot)
    return overlays


def _url_choice(param: str, allowed: list[str], default: str) -> str:
    """``?param=`` when it is one of ``allowed``, else ``default`` (written to the URL)."""
    wanted = st.query_params.get(param)
    if wanted in allowed:
        return wanted
    st.query_params[param] = default
    return default


def _to_url(param: str, key: str) -> None:
    st.query_params[param] = st.session_state[key]


def current_place(places, kommun_namn: str) -> str | None:
    """The place in ``?plats=`` (a name or an alias), or None for the whole kommun."""
    wanted = st.query_params.get("plats")
    if not wanted:
        return None
    lookup = {}
    for name, aliases in zip(places["name"], places["aliases"], strict=True):
        for label in [name, *(aliases or [])]:
            lookup.setdefault(fold(label), name)
    found = lookup.get(fold(wanted))
    if found is None:
        st.warning(message("dash.place_unknown_url", name=wanted, kommun=kommun_namn))
        st.query_params.pop("plats", None)
    elif found != wanted:
        st.query_params["plats"] = found
    return found


def tile_selector() -> maps.TileSource | None:
    """The basemap switch in the sidebar; says which mode is active."""
    default, source = state.tile_config()
    labels = {
        "auto": t("dash.tiles_auto"),
        "on": t("dash.tiles_on", label=source.label),
        "off": t("dash.tiles_off"),
    }
    mode = st.sidebar.radio(
        t("dash.tiles"),
        maps.TILE_MODES,
        index=maps.TILE_MODES.index(default),
        format_func=labels.get,
        key="tiles_mode",
    )
    online = mode != "auto" or state.tiles_online(source.url)
    tiles = maps.choose_tiles(mode, source, online)
    if tiles is not None:
        st.sidebar.caption(message("dash.tiles_active_on", label=tiles.label))
    elif mode == "auto":
        st.sidebar.caption(t("dash.tiles_auto_offline"))
    else:
        st.sidebar.caption(t("dash.tiles_active_off"))
    return tiles


def show_map(places, plats: str | None, tiles, kod: str, layer, overlays: list) -> None:
    """The map; a click on a place selects it (the page reruns with it in the URL)."""
    fmap = maps.place_map(places, tiles=tiles, choropleth=layer, overlays=overlays)
    result = st_folium(
        fmap,
        key=f"karta_{kod}",
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=RETURNED,
        feature_group_to_add=maps.selection_layer(places, plats),
    )
    st.caption(t("dash.map_help"))
    clicked, signature = clicked_place(result, places)
    if clicked is None or st.session_state.get("last_click") == signature:
        return
    st.session_state["last_click"] = signature
    if clicked != plats:
        st.query_params["plats"] = clicked
        st.rerun()


def clicked_place(result: dict | None, places) -> tuple[str | None, str | None]:
    """The name of the clicked place and a signature telling one click from the next."""
    if not result:
        return None, None
    drawing = result.get("last_active_drawing") or {}
    place_id = (drawing.get("properties") or {}).get("place_id")
    by_id = dict(zip(places["id"].astype(int), places["name"], strict=True))
    name = by_id.get(place_id) if place_id is not None else None
    if name is None:
        name = _name_from_tooltip(result.get("last_object_clicked_tooltip"), places)
    signature = json.dumps([place_id, name, result.get("last_object_clicked")], default=str)
    return name, signature


def _name_from_tooltip(tooltip: str | None, places) -> str | None:
    first_line = (tooltip or "").strip().splitlines()[:1]
    names = set(places["name"])
    return first_line[0].strip() if first_line and first_line[0].strip() in names else None


def place_selector(places, plats: str | None) -> None:
    names = sorted(places["name"], key=fold)
    st.session_state["plats_select"] = plats or WHOLE_KOMMUN
    st.selectbox(
        t("dash.place"),
        [WHOLE_KOMMUN, *names],
        key="plats_select",
        format_func=lambda name: name or t("dash.whole_kommun"),
        on_change=_place_changed,
    )


def _place_changed() -> None:
    chosen = st.session_state["plats_select"]
    if chosen == WHOLE_KOMMUN:
        st.query_params.pop("plats", None)
    else:
        st.query_params["plats"] = chosen


def survey_panel(figures: dict | None, plats: str | None, kommun_namn: str) -> None:
    """The chosen place's survey figures (or the kommun total), then delivered results."""
    if figures is None:
        st.info(message("dash.no_survey", kommun=kommun_namn))
        return
    if not figures["kommun_total"]:
        st.info(message("dash.no_survey_year", kommun=kommun_namn, year=figures["year"]))
        return
    place = next((p for p in figures["places"] if p["place"] == plats), None)
    indicators = [i for i in maps.metric_options(figures) if not maps.is_incident_metric(i)]
    if place is None:
        heading = t("dash.survey_heading_kommun", year=figures["year"], kommun=kommun_namn)
        found = {i: figures["kommun_total"][i] for i in indicators}
        results = figures["kommun_results"]
    else:
        heading = t("dash.survey_heading_place", year=figures["year"], place=place["place"])
        found = {i: figure_of(place["survey"], i) for i in indicators}
        results = place["results"]
    st.header(md(heading))
    _core_figure(found[CORE], figures["min_n"])
    if place is not None:
        _trend_line(place["survey"], figures)
    _items_table({i: f for i, f in found.items() if i != CORE})
    _delivered(results, place and place["place"])
    if figures["synthetic"]:
        st.caption(t("dash.synthetic_survey"))


def _core_figure(figure: dict, min_n: int) -> None:
    texts = formatting.describe(figure)
    st.metric(md(maps.indicator_label(CORE)), md(texts["value"]))
    st.markdown(md(" · ".join(text for text in (texts["n"], texts["interval"]) if text)))
    if figure.get("secondary_suppression"):
        st.caption(t("dash.total_secondary"))
    elif figure["suppressed"]:
        st.caption(message("dash.too_few", min_n=min_n))


def _trend_line(survey: dict, figures: dict) -> None:
    earlier = [y for y in figures["years"] if y < figures["year"]]
    if "trend" in survey:
        st.markdown(md(formatting.trend(survey["trend"])))
    elif earlier:
        st.caption(message("dash.no_trend", year=earlier[-1]))
    else:
        st.caption(t("dash.no_previous"))


def _items_table(items: dict[str, dict]) -> None:
    """The problem items, then the worry items: one small table each."""
    for prefix in ITEM_SCALES:
        group = {i: f for i, f in items.items() if i.startswith(prefix + "_")}
        if not group:
            continue
        st.subheader(t(f"dash.items_{prefix}"))
        st.caption(md(maps.indicator_about(prefix + "_")))
        rows = []
        for indicator, figure in group.items():
            texts = formatting.describe(figure)
            rows.append(
                {
                    t("dash.col_item"): md(maps.item_label(indicator)),
                    t("dash.col_share"): md(texts["value"]),
                    t("dash.col_n"): md(formatting.integer(figure["n"])),
                    t("dash.col_interval"): md(texts["range"]),
                }
            )
        st.table(pd.DataFrame(rows).set_index(t("dash.col_item")))


def _delivered(results: list[dict], place: str | None) -> None:
    """Area-level figures as delivered (Police index, NTU), each under its source."""
    if not results:
        return
    st.subheader(t("dash.delivered_heading"))
    for result in results:
        line = t(
            "dash.delivered_line", indicator=result["indicator"], value=formatting.delivered(result)
        )
        details = [t("dash.delivered_source", source=result["source"])]
        if result["n"] is not None:
            details.append(formatting.count(result["n"]))
        if result["area"] and fold(result["area"]) != fold(place or ""):
            details.append(t("dash.delivered_area", area=result["area"]))
        st.markdown(f"**{md(line)}**")
        st.caption(md(" · ".join(details)))


def incident_panel(
    db: str, kod: str, figures: dict | None, plats: str | None, kommun_namn: str, public: bool
) -> None:
    """The chosen place's (or the kommun's) incidents: totals, categories, when."""
    if figures is None or "kommun_incidents" not in figures:
        return
    year = figures["year"]
    place = next((p for p in figures["places"] if p["place"] == plats), None)
    if place is None:
        heading = t("dash.incidents_heading_kommun", year=year, kommun=kommun_namn)
    else:
        heading = t("dash.incidents_heading_place", year=year, place=place["place"])
    st.header(md(heading))
    if not state.kommun_incident_years(db, kod):
        st.info(message("dash.no_incidents", kommun=kommun_namn))
        return
    previous = previous_figures(db, kod, figures, public)
    _incident_totals(figures, place, previous)
    _incident_categories(figures, place, previous)
    profile = state.time_profile(db, kod, year, place and place["place"], public)
    _by_month(profile, year)
    _hour_weekday(profile, figures["k"])
    if public:
        st.caption(message("dash.fewer_public", k=figures["k"]))
    if state.incidents_synthetic(db, kod):
        st.caption(t("dash.synthetic_incidents"))


def _incidents_of(figures: dict, place: dict | None) -> dict:
    """The ``incidents`` block of ``place`` in ``figures`` (of any year), or the kommun's."""
    if place is None:
        return figures["kommun_incidents"]
    return next(p["incidents"] for p in figures["places"] if p["place_id"] == place["place_id"])


def _incident_totals(figures: dict, place: dict | None, previous: dict | None) -> None:
    texts = formatting.describe_incidents(_incidents_of(figures, place), figures["k"])
    st.metric(t("dash.incidents_total"), md(texts["total"]))
    if place is not None:
        st.markdown(md(" · ".join(text for text in (texts["per_1000"], texts["per_km2"]) if text)))
    period = figures["year"] - 1
    if previous is None:
        st.caption(message("dash.incidents_no_previous", period=period))
    else:
        st.markdown(md(t("dash.incidents_previous", period=period, value=texts["previous"])))


def _incident_categories(figures: dict, place: dict | None, previous: dict | None) -> None:
    """This period and the previous one by category, with the total last."""
    blocks = {str(figures["year"]): _incidents_of(figures, place)}
    if previous is not None:
        blocks[str(previous["year"])] = _incidents_of(previous, place)
    present = {c for block in blocks.values() for c in block["by_category"]}
    k = figures["k"]
    rows = [
        {
            t("dash.col_category"): label,
            **{
                period: formatting.incident_count(block["by_category"].get(slug, 0), k)
                for period, block in blocks.items()
            },
        }
        for slug, label in INCIDENT_CATEGORIES.items()
        if slug in present
    ]
    rows.append(
        {
            t("dash.col_category"): t("dash.all_categories_row"),
            **{
                period: formatting.incident_count(block["total"], k)
                for period, block in blocks.items()
            },
        }
    )
    st.subheader(t("dash.by_category"))
    st.table(pd.DataFrame(rows).set_index(t("dash.col_category")))


def _by_month(profile: dict, year: int) -> None:
    """A small bar chart over the year's twelve months; hidden months show no bar."""
    months = [f"{year}-{month:02d}" for month in range(1, 13)]
    counts = [profile["by_month"].get(month, 0) for month in months]
    frame = pd.DataFrame(
        {t("dash.col_month"): months, t("dash.col_count"): pd.array(counts, dtype="Int64")}
    )
    st.subheader(t("dash.by_month"))
    st.bar_chart(
        frame,
        x=t("dash.col_month"),
        y=t("dash.col_count"),
        x_label=t("dash.col_month"),
        y_label=t("dash.col_count"),
        height=220,
    )


def _hour_weekday(profile: dict, k: int) -> None:
    """The hour × weekday heat table, Monday first; suppressed cells are grey "<3"."""
    st.subheader(t("dash.hour_weekday"))
    st.caption(t("dash.hour_weekday_help"))
    st.html(heat_table(profile, k))


def show_commitments(items: list[dict], plats: str | None, kommun_namn: str) -> None:
    """Place-bound promises by party, then the kommun-wide ones."""
    grouped = group_for_place(items, plats)
    heading = t("dash.heading_place", place=plats) if plats else None
    st.header(md(heading or t("dash.heading_kommun", kommun=kommun_namn)))
    titles = sorted({item["medborgarlofte"] for item in items})
    if titles:
        st.caption(md(" · ".join(titles)))
    if any(f.get("demo") for item in items for f in item["follow_ups"]):
        st.caption(t("dash.demo_caption"))
    if not items:
        st.info(message("dash.no_commitments", kommun=kommun_namn))
        return
    bound = [(party, grouped["by_party"][party]) for party in PARTIES]
    if plats and not any(group for _party, group in bound):
        st.info(message("dash.no_place_commitments", place=plats))
    for party, group in bound:
        _commitment_group(PARTIES[party], group)
    _commitment_group(t("dash.kommun_wide"), grouped["kommun_wide"])


def _commitment_group(title: str, group: list[dict]) -> None:
    if not group:
        return
    st.subheader(md(title))
    for item in group:
        with st.container(border=True):
            _commitment(item)


def _commitment(item: dict) -> None:
    colour = STATUS_COLOURS.get(item["status"], "gray")
    st.markdown(f"**{md(item['text'])}**")
    st.markdown(badge(colour, t("dash.status", status=item["status"])))
    if item["partners"]:
        st.caption(md(t("dash.partners", partners=", ".join(item["partners"]))))
    latest = max(item["follow_ups"], key=lambda f: f["date"], default=None)
    if latest is None:
        st.caption(t("dash.no_follow_up"))
        return
    line = t("dash.latest_follow_up", date=latest["date"], status=latest["status"])
    comment = f" – {latest['comment']}" if latest.get("comment") else ""
    demo = f" ({t('dash.demo_marker')})" if latest.get("demo") else ""
    st.markdown(md(line + comment + demo))


def download_button(
    places, plats: str | None, tiles, kommun_namn: str, layer, overlays: list
) -> None:
    """The map as one HTML file that works without internet (projector laptops).

    The file (a second map with Leaflet inlined) is built only when the button is
    clicked, on Streamlit's download thread; a rerun of the page builds nothing.
    """

    def build() -> str:
        fmap = maps.place_map(places, plats, tiles=tiles, choropleth=layer, overlays=overlays)
        return maps.standalone_html(fmap, title=f"{t('app.title')} – {kommun_namn}")

    st.sidebar.download_button(
        t("dash.download_html"),
        data=build,
        file_name=f"trygghetskartan-{fold(kommun_namn)}.html",
        mime="text/html",
        help=t("dash.download_help"),
        on_click="ignore",
    )


main()
