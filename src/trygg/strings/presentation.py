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
        "err.chosen_unknown_close": "Platsen {name!r} finns inte i kommunen; menade du {close}?",
        "err.chosen_unknown": "Platsen {name!r} finns inte i kommunen; se trygg places --kommun KOD.",
        "err.chosen_too_many": "Högst {max} platser kan läggas till i presentationen (du valde {count}).",
        "chosen.section": "Platser i presentationen",
        "chosen.help": (
            "Presentationen visar först löftets utpekade platser i dokumentets ordning. "
            "Här kan du lägga till fler platser efter dem, i den ordning du väljer."
        ),
        "chosen.designated": "Löftets utpekade platser: {names}.",
        "chosen.no_designated": "Löftet pekar inte ut några platser.",
        "chosen.pick": "Fler platser, i ordning",
        "chosen.save": "Spara platserna",
        "chosen.saved": "Presentationen har nu {count} tillagda platser.",
        "chosen.open": "Öppna presentationen",
        "cli.chosen_list": "Tillagda platser i presentationen: {names}",
        "cli.chosen_none": "Inga tillagda platser; presentationen visar löftets utpekade platser.",
        "cli.opt_chosen_set": "ersätt de tillagda platserna med dessa (namn, i ordning)",
        "cli.opt_chosen_clear": "ta bort alla tillagda platser",
        "cli.cmd_presentation_places": "lista eller ändra platserna som läggs till i presentationen",
        "presentation.title": "Trygghet i {kommun}",
        "presentation.no_promise": "Inget medborgarlöfte är inläst för kommunen.",
        "presentation.synthetic": "Talen är syntetiska demodata, inte verkliga svar.",
        "presentation.place_count": "{count} platser",
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
        "err.chosen_unknown_close": "The place {name!r} is not in the municipality; did you mean {close}?",
        "err.chosen_unknown": "The place {name!r} is not in the municipality; see trygg places --kommun CODE.",
        "err.chosen_too_many": "At most {max} places can be added to the presentation (you chose {count}).",
        "chosen.section": "Places in the presentation",
        "chosen.help": (
            "The presentation first shows the promise's designated places in the document's "
            "order. Here you can add more places after them, in the order you choose."
        ),
        "chosen.designated": "The promise's designated places: {names}.",
        "chosen.no_designated": "The promise designates no places.",
        "chosen.pick": "More places, in order",
        "chosen.save": "Save the places",
        "chosen.saved": "The presentation now has {count} added places.",
        "chosen.open": "Open the presentation",
        "cli.chosen_list": "Places added to the presentation: {names}",
        "cli.chosen_none": "No added places; the presentation shows the promise's designated places.",
        "cli.opt_chosen_set": "replace the added places with these (names, in order)",
        "cli.opt_chosen_clear": "remove every added place",
        "cli.cmd_presentation_places": "list or change the places added to the presentation",
        "presentation.title": "Safety in {kommun}",
        "presentation.no_promise": "No citizen promise has been loaded for the municipality.",
        "presentation.synthetic": "The figures are synthetic demo data, not real answers.",
        "presentation.place_count": "{count} places",
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
