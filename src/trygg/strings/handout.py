"""The catalogue's part for handouts (trygg handout, PDF).

Swedish first, English second, the same keys in both; :mod:`trygg.strings` joins the parts.
"""

from __future__ import annotations

CATALOGUE: dict[str, dict[str, str]] = {
    "sv": {
        "handout.title_place": "{place} – {kommun}",
        "handout.title_kommun": "Trygghet i {kommun}",
        "handout.made": "Trygghetskartan, utskrivet {date}",
        "handout.survey_heading": "Trygghetsenkäten {year}",
        "handout.places_heading": "Platserna",
        "handout.col_place": "Plats",
        "handout.col_share": "Andel otrygga (95 % KI)",
        "handout.col_vs_rest": "Mot resten av kommunen",
        "handout.too_few": "för få svar",
        "handout.no_answers": "inga svar",
        "handout.incidents_heading": "Anmälda händelser {year}, största kategorierna",
        "handout.commitments_heading": "Medborgarlöftet",
        "handout.no_commitments": "Inga åtaganden i medborgarlöftet gäller platsen.",
        "handout.sources": "Källor: {sources}.",
        "handout.method": (
            "Metod: andelen som svarat att de känner sig ganska eller mycket otrygga ute sent "
            "på kvällen eller inte går ut, med 95 % konfidensintervall; andelar från färre än {min_n} svarande och antal "
            "händelser under {k} visas inte."
        ),
        "handout.download": "Ladda ner utdelningsblad (PDF)",
        "handout.download_kommun": "Ladda ner utdelningsblad för kommunen (PDF)",
        "cli.help_handout": "skriv ett utdelningsblad (PDF, A4) för en plats eller kommunen",
        "cli.opt_place_handout": "platsens namn eller alias (utan: hela kommunen)",
        "cli.opt_year_handout": "året för enkät och händelser (standard: det senaste)",
        "cli.opt_lang": "språk, sv eller en",
        "cli.opt_out_handout": "PDF-filen att skriva",
        "cli.handout_written": "Skrev {path}.",
    },
    "en": {
        "handout.title_place": "{place} – {kommun}",
        "handout.title_kommun": "Safety in {kommun}",
        "handout.made": "Trygghetskartan, printed {date}",
        "handout.survey_heading": "Safety survey {year}",
        "handout.places_heading": "The places",
        "handout.col_place": "Place",
        "handout.col_share": "Share feeling unsafe (95 % CI)",
        "handout.col_vs_rest": "Against the rest of the municipality",
        "handout.too_few": "too few answers",
        "handout.no_answers": "no answers",
        "handout.incidents_heading": "Reported incidents {year}, largest categories",
        "handout.commitments_heading": "The citizen promise",
        "handout.no_commitments": "No commitment of the citizen promise applies to the place.",
        "handout.sources": "Sources: {sources}.",
        "handout.method": (
            "Method: the share who answered that they feel fairly or very unsafe out late in "
            "the evening or do not go out, with a 95 % confidence interval; shares from fewer than {min_n} respondents and "
            "incident counts below {k} are not shown."
        ),
        "handout.download": "Download handout (PDF)",
        "handout.download_kommun": "Download the municipality's handout (PDF)",
        "cli.help_handout": "write a handout (PDF, A4) for a place or the municipality",
        "cli.opt_place_handout": "the place's name or alias (without: the whole municipality)",
        "cli.opt_year_handout": "the year of survey and incidents (default: the latest)",
        "cli.opt_lang": "language, sv or en",
        "cli.opt_out_handout": "the PDF file to write",
        "cli.handout_written": "Wrote {path}.",
    },
}
