"""The catalogue's part for hot spots: study area, cell limit, time filter.

Swedish first, English second, the same keys in both; :mod:`trygg.strings` joins the parts.
"""

from __future__ import annotations

from trygg.scales import INCIDENT_CATEGORIES

#: The incident categories in English; the Swedish names are :data:`INCIDENT_CATEGORIES`.
CATEGORIES_EN = {
    "skadegörelse": "Criminal damage",
    "klotter": "Graffiti",
    "nedskräpning": "Littering",
    "narkotika": "Drugs",
    "stöld": "Theft",
    "inbrott": "Burglary",
    "våld": "Violence",
    "hot": "Threats",
    "ordningsstörning": "Public disorder",
    "trafik": "Traffic",
    "buskörning": "Reckless driving",
    "övrigt": "Other",
}

CATALOGUE: dict[str, dict[str, str]] = {
    "sv": {
        **{f"cat.{slug}": label for slug, label in INCIDENT_CATEGORIES.items()},
        "err.hotspot_cells": (
            "Rutnätet för heta punkter skulle få {cells} rutor med {cell} m rutor, fler än "
            "de {limit} som kan beräknas. Välj en större ruta, till exempel {larger} m."
        ),
        "err.time_band": "Tidsfönstret {value!r} finns inte; välj dag, kvall eller natt.",
        "err.day_type": "Dagtypen {value!r} finns inte; välj vardag eller helg.",
        "hot.band.dag": "Dag 06–18",
        "hot.band.kvall": "Kväll 18–24",
        "hot.band.natt": "Natt 00–06",
        "hot.days.vardag": "Vardag (mån–fre)",
        "hot.days.helg": "Helg (lör–sön)",
        "hot.any_time": "Hela dygnet",
        "hot.any_day": "Alla dagar",
        "hot.emerging.new": "Ny het punkt (prickad kant)",
        "hot.emerging.intensifying": "Förstärks (dubbelt tjock kant)",
        "hot.emerging.persistent": "Bestående (hel kant)",
        "hot.emerging.diminishing": "Avtar (streckad kant)",
        "hot.emerging.sporadic": "Sporadisk (streck och punkt)",
        "dash.hot_band": "Tid på dygnet",
        "dash.hot_days": "Dagar",
        "dash.hot_emerging": "Visa utvecklingen (framväxande heta punkter)",
        "dash.hot_cells_hidden": (
            "Rutor mindre än {smallest} m syns inte som rutor i kartans första läge och "
            "erbjuds därför inte."
        ),
        "dash.hot_window_note": (
            "Med ett tidsfönster räknas bara händelser med klockslag; rutor där någon del "
            "av dygnet har färre än {k} händelser döljs."
        ),
        "cli.opt_band": "bara händelser på dagen (06–18), kvällen (18–24) eller natten (00–06)",
        "cli.opt_days": "bara händelser på vardagar (mån–fre) eller i helger (lör–sön)",
        "cli.opt_permutations": (
            "permutationer i Gi*-rutornas permutationstest, redovisat som gi_p_sim "
            "(standard %(default)s: inget test, gi_p_sim är null)"
        ),
        "cli.not_a_count": "{value!r} är inte ett heltal ≥ 0",
        "err.permutations": "Antalet permutationer ska vara ett heltal ≥ 0, inte {value!r}.",
    },
    "en": {
        **{f"cat.{slug}": CATEGORIES_EN[slug] for slug in INCIDENT_CATEGORIES},
        "err.hotspot_cells": (
            "The hot-spot grid would have {cells} cells of {cell} m, more than the {limit} "
            "that can be computed. Choose a larger cell, for example {larger} m."
        ),
        "err.time_band": "There is no time window {value!r}; choose dag, kvall or natt.",
        "err.day_type": "There is no day type {value!r}; choose vardag or helg.",
        "hot.band.dag": "Day 06–18",
        "hot.band.kvall": "Evening 18–24",
        "hot.band.natt": "Night 00–06",
        "hot.days.vardag": "Weekdays (Mon–Fri)",
        "hot.days.helg": "Weekends (Sat–Sun)",
        "hot.any_time": "All day",
        "hot.any_day": "All days",
        "hot.emerging.new": "New hot spot (dotted edge)",
        "hot.emerging.intensifying": "Intensifying (double-thick edge)",
        "hot.emerging.persistent": "Persistent (solid edge)",
        "hot.emerging.diminishing": "Diminishing (dashed edge)",
        "hot.emerging.sporadic": "Sporadic (dash and dot)",
        "dash.hot_band": "Time of day",
        "dash.hot_days": "Days",
        "dash.hot_emerging": "Show the trend (emerging hot spots)",
        "dash.hot_cells_hidden": (
            "Cells smaller than {smallest} m are not visible as cells at the map's first "
            "zoom and are therefore not offered."
        ),
        "dash.hot_window_note": (
            "With a time window only incidents with a time of day count; cells where some "
            "part of the day has fewer than {k} incidents are hidden."
        ),
        "cli.opt_band": "only incidents in the day (06–18), evening (18–24) or night (00–06)",
        "cli.opt_days": "only incidents on weekdays (Mon–Fri) or at weekends (Sat–Sun)",
        "cli.opt_permutations": (
            "permutations of the grid cells' Gi* permutation test, reported as gi_p_sim "
            "(default %(default)s: no test, gi_p_sim is null)"
        ),
        "cli.not_a_count": "{value!r} is not a whole number ≥ 0",
        "err.permutations": "The number of permutations must be a whole number ≥ 0, not {value!r}.",
    },
}
