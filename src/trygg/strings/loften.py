"""The catalogue's part for the Löften page: status summary, timeline, cadence, overdue.

Swedish first, English second, the same keys in both; :mod:`trygg.strings` joins the parts.
"""

from __future__ import annotations

CATALOGUE: dict[str, dict[str, str]] = {
    "sv": {
        "page.loften": "Löften",
    },
    "en": {
        "page.loften": "Promises",
    },
}
