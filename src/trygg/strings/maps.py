"""The catalogue's part for the map: classes, legend, vs_rest marks, Leaflet controls.

Swedish first, English second, the same keys in both; :mod:`trygg.strings` joins the parts.
"""

from __future__ import annotations

from trygg.scales import ITEM_LABELS

#: The survey's problem and worry items in English; Swedish: :data:`ITEM_LABELS`.
ITEMS_EN = {
    "nedskrapning": "Litter",
    "klotter": "Graffiti",
    "skadegorelse": "Vandalism",
    "buskorning": "Reckless driving with cars or mopeds",
    "narkotikaforsaljning": "Drug dealing",
    "ungdomsgang": "Youth gangs",
    "brak": "Fights and brawls",
    "dalig_belysning": "Poor lighting",
    "inbrott": "Burglary in the home",
    "overfall": "Being assaulted",
    "bilbrott": "Theft from or of cars",
}

CATALOGUE: dict[str, dict[str, str]] = {
    "sv": {
        **{f"item.{slug}": label for slug, label in ITEM_LABELS.items()},
        "map.vs_rest_higher": "säkerställt högre än i övriga kommunen",
        "map.vs_rest_lower": "säkerställt lägre än i övriga kommunen",
        "map.vs_rest_no_difference": "ingen säkerställd skillnad mot övriga kommunen",
        "map.legend_mark_higher": "Tjock kant: säkerställt högre än i övriga kommunen",
        "map.legend_mark_lower": "Prickad kant: säkerställt lägre än i övriga kommunen",
        "map.legend_summary": "Teckenförklaring",
        "dash.class_scheme": "Klassindelning",
        "dash.class_scheme_help": (
            "Jämna steg är standard: platser vars andelar ligger inom 5 procentenheter "
            "hamnar i samma eller närliggande klass. Kvantiler och naturliga brytpunkter "
            "sprider platserna över hela skalan även när skillnaderna är små."
        ),
        "scheme.equal": "Jämna, runda steg",
        "scheme.quantiles": "Kvantiler (lika många platser per klass)",
        "scheme.natural": "Naturliga brytpunkter (Jenks)",
        "map.zoom_in": "Zooma in",
        "map.zoom_out": "Zooma ut",
        "map.show_whole_kommun": "Visa hela kommunen",
        "map.attribution_prefix": "Kartverktyg: Leaflet",
    },
    "en": {
        **{f"item.{slug}": ITEMS_EN[slug] for slug in ITEM_LABELS},
        "map.vs_rest_higher": "significantly higher than in the rest of the municipality",
        "map.vs_rest_lower": "significantly lower than in the rest of the municipality",
        "map.vs_rest_no_difference": "no significant difference from the rest of the municipality",
        "map.legend_mark_higher": "Thick outline: significantly higher than in the rest of the municipality",
        "map.legend_mark_lower": "Dotted outline: significantly lower than in the rest of the municipality",
        "map.legend_summary": "Legend",
        "dash.class_scheme": "Classes",
        "dash.class_scheme_help": (
            "Even steps are the default: places whose shares lie within 5 percentage "
            "points fall in the same or neighbouring classes. Quantiles and natural breaks "
            "spread the places over the whole scale even when the differences are small."
        ),
        "scheme.equal": "Even, round steps",
        "scheme.quantiles": "Quantiles (as many places per class)",
        "scheme.natural": "Natural breaks (Jenks)",
        "map.zoom_in": "Zoom in",
        "map.zoom_out": "Zoom out",
        "map.show_whole_kommun": "Show the whole municipality",
        "map.attribution_prefix": "Map software: Leaflet",
    },
}
