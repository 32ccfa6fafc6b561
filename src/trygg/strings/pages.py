"""The catalogue's part for the Plats and Jämför pages and the language switch.

Swedish first, English second, the same keys in both; :mod:`trygg.strings` joins the parts.
"""

from __future__ import annotations

CATALOGUE: dict[str, dict[str, str]] = {
    "sv": {
        "page.plats": "Plats",
        "page.jamfor": "Jämför",
        "dash.language": "Språk / Language",
    },
    "en": {
        "page.plats": "Place",
        "page.jamfor": "Compare",
        "dash.language": "Språk / Language",
    },
}
