"""The catalogue's part for handouts (trygg handout, PDF).

Swedish first, English second, the same keys in both; :mod:`trygg.strings` joins the parts.
"""

from __future__ import annotations

CATALOGUE: dict[str, dict[str, str]] = {
    "sv": {},
    "en": {},
}
