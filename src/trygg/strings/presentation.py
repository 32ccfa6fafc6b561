"""The catalogue's part for the presentation page (/presentation).

Swedish first, English second, the same keys in both; :mod:`trygg.strings` joins the parts.
"""

from __future__ import annotations

CATALOGUE: dict[str, dict[str, str]] = {
    "sv": {
        "dash.print_kommun_wide": (
            "Dessutom {n} åtaganden som gäller hela kommunen: se sidan Löften."
        ),
        "page.presentation": "Presentation",
        "presentation.title": "Trygghet i {kommun}",
        "presentation.no_promise": "Inget medborgarlöfte är inläst för kommunen.",
        "presentation.synthetic": "Talen är syntetiska demodata, inte verkliga svar.",
        "presentation.place_count": "{count} utpekade platser",
        "presentation.incidents": "{count} anmälda händelser på platsen under {year}.",
        "presentation.no_commitments": "Inga åtaganden gäller just den här platsen.",
        "presentation.commitments": "Åtaganden för platsen",
        "presentation.closing": "Så går det med löftena",
        "presentation.summary_item": "{label}: {count}",
        "presentation.commitment_item": "{status} – {text}",
        "presentation.slide_of": "Bild {number} av {total}",
        "presentation.previous": "Föregående",
        "presentation.next": "Nästa",
        "presentation.keys_help": "Tangenter: → eller PageDown nästa, ← eller PageUp föregående, "
        "Home första, End sista.",
        "presentation.public": "Publik visning: små antal visas inte.",
        "presentation.keys_frame": "Tangenterna för bildspelet",
        "presentation.no_kommun": "Kommunen {kommun} finns inte; visar {shown}.",
    },
    "en": {
        "dash.print_kommun_wide": (
            "Also {n} commitments for the whole municipality: see the Promises page."
        ),
        "page.presentation": "Presentation",
        "presentation.title": "Safety in {kommun}",
        "presentation.no_promise": "No citizen promise has been loaded for the municipality.",
        "presentation.synthetic": "The figures are synthetic demo data, not real answers.",
        "presentation.place_count": "{count} designated places",
        "presentation.incidents": "{count} reported incidents at the place in {year}.",
        "presentation.no_commitments": "No commitment concerns this place in particular.",
        "presentation.commitments": "Commitments for the place",
        "presentation.closing": "How the promises are going",
        "presentation.summary_item": "{label}: {count}",
        "presentation.commitment_item": "{status} – {text}",
        "presentation.slide_of": "Slide {number} of {total}",
        "presentation.previous": "Previous",
        "presentation.next": "Next",
        "presentation.keys_help": "Keys: → or PageDown next, ← or PageUp previous, "
        "Home first, End last.",
        "presentation.public": "Public view: small counts are not shown.",
        "presentation.keys_frame": "The slide show's keys",
        "presentation.no_kommun": "The municipality {kommun} does not exist; showing {shown}.",
    },
}
