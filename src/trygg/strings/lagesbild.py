"""The catalogue's part for the lägesbild document (trygg lagesbild, Word).

Swedish first, English second, the same keys in both; :mod:`trygg.strings` joins the parts.
"""

from __future__ import annotations

CATALOGUE: dict[str, dict[str, str]] = {
    "sv": {
        "cli.help_lagesbild": "skriv lägesbilden som ett redigerbart Word-dokument (.docx)",
        "cli.opt_lagesbild_year": "enkät- och händelseåret som lägesbilden gäller",
        "cli.opt_lagesbild_lang": "dokumentets språk (standard: sv)",
        "cli.opt_lagesbild_out": "Word-filen att skriva (.docx)",
        "lagesbild.written": "Lägesbilden skrevs till {path}.",
        "lagesbild.section": "Lägesbild",
        "lagesbild.section_help": (
            "En redigerbar Word-fil med kommunens publika tal: trygghet, brottslighet och "
            "medborgarlöftet, med sammanfattningen kvar att skriva."
        ),
        "lagesbild.year": "År",
        "lagesbild.download": "Ladda ner lägesbilden (Word)",
        "lagesbild.title": "Lägesbild {kommun} {year}",
        "lagesbild.made": "Framtagen {date} ur Trygghetskartans publika tal.",
        "lagesbild.synthetic": (
            "Enkätsvaren, händelserna och uppföljningarna i det här underlaget är "
            "syntetiska demodata."
        ),
        "lagesbild.no_data": (
            "{kommun} har inga enkätsvar eller händelser år {year}; år med data: {years}."
        ),
        "lagesbild.h_summary": "Sammanfattning",
        "lagesbild.h_safety": "Trygghet",
        "lagesbild.h_crime": "Brottslighet",
        "lagesbild.h_promise": "Medborgarlöftet",
        "lagesbild.h_sources": "Källor och metod",
        "lagesbild.summary_placeholder": (
            "[Skriv sammanfattningen här: de viktigaste slutsatserna och vad kommunen och "
            "polisen ska prioritera.]"
        ),
        "lagesbild.key_figures": "Nyckeltal:",
        "lagesbild.key_share": (
            "Andel som känner sig otrygga ute sent på kvällen, hela kommunen: {value} "
            "({interval}; {n})"
        ),
        "lagesbild.key_share_hidden": (
            "Andel som känner sig otrygga ute sent på kvällen, hela kommunen: {value} ({n})"
        ),
        "lagesbild.key_incidents": "Händelser i kommunen: {total} (föregående period: {previous})",
        "lagesbild.key_places": "Platser med publicerad andel otrygga: {shown} av {total}",
        "lagesbild.key_commitments": "Åtaganden i medborgarlöftet: {n} ({statuses})",
        "lagesbild.safety_intro": (
            "Andelen som känner sig otrygga ute sent på kvällen per plats, enkätåret {year}, "
            "med 95 % konfidensintervall och antal svarande. En plats med färre än {min_n} "
            "svar visar ingen andel."
        ),
        "lagesbild.col_place": "Plats",
        "lagesbild.col_share": "Andel otrygga",
        "lagesbild.col_interval": "95 % konfidensintervall",
        "lagesbild.col_n": "Antal svar (n)",
        "lagesbild.col_trend": "Trend mot föregående år",
        "lagesbild.col_vs_rest": "Jämfört med övriga kommunen",
        "lagesbild.no_answers": "inga svar",
        "lagesbild.col_incidents": "Händelser",
        "lagesbild.col_previous": "Föregående period",
        "lagesbild.col_cats": "Per kategori",
        "lagesbild.no_incidents": "Inga händelser finns registrerade år {year}.",
        "lagesbild.gi_bin_3": "het punkt (99 % säkerhet)",
        "lagesbild.gi_bin_2": "het punkt (95 % säkerhet)",
        "lagesbild.gi_bin_1": "het punkt (90 % säkerhet)",
        "lagesbild.gi_bin_m1": "kall punkt (90 % säkerhet)",
        "lagesbild.gi_bin_m2": "kall punkt (95 % säkerhet)",
        "lagesbild.gi_bin_m3": "kall punkt (99 % säkerhet)",
        "lagesbild.hotspot_caption": (
            "Heta punkter {year} (Getis-Ord Gi*, rutor om {cell} m) över platserna; rutor med "
            "för få händelser visas inte."
        ),
        "lagesbild.time_intro": "När händelserna sker: {timed} av {total} händelser har klockslag.",
        "lagesbild.time_caption": (
            "Händelser per timme och veckodag {year}; rutor märkta {hidden} har för få "
            "händelser för att visas som tal."
        ),
        "lagesbild.no_commitments": "Inget medborgarlöfte är inläst för kommunen.",
        "lagesbild.col_party": "Part",
        "lagesbild.col_commitment": "Åtagande",
        "lagesbild.col_places": "Platser",
        "lagesbild.col_status": "Status",
        "lagesbild.period": "Period: {start} – {end}",
        "lagesbild.kommun_wide": "hela kommunen",
        "lagesbild.follow_ups": "Uppföljningar:",
        "lagesbild.follow_up_line": "{text}: {line}",
        "lagesbild.sources_intro": "Underlaget bygger på kommunens aktiva importer:",
        "lagesbild.source_line": "{file} ({kind}, {rows} rader; källa: {source})",
        "lagesbild.method": (
            "Enkätandelarna bygger på {n} svarande i hela kommunen. En andel med färre än "
            '{min_n} svar döljs ("för få svar"), liksom en andel som annars skulle kunna '
            'räknas fram ur andra tal; antal händelser under {k} visas som "färre än {k}". '
            "Fritextsvar och enskilda händelsepunkter ingår aldrig."
        ),
    },
    "en": {
        "cli.help_lagesbild": "write the lägesbild as an editable Word document (.docx)",
        "cli.opt_lagesbild_year": "the survey and incident year of the lägesbild",
        "cli.opt_lagesbild_lang": "the document's language (default: sv)",
        "cli.opt_lagesbild_out": "the Word file to write (.docx)",
        "lagesbild.written": "The lägesbild was written to {path}.",
        "lagesbild.section": "Situation report",
        "lagesbild.section_help": (
            "An editable Word file with the municipality's public figures: safety, crime "
            "and the citizen promise, with the summary left for you to write."
        ),
        "lagesbild.year": "Year",
        "lagesbild.download": "Download the situation report (Word)",
        "lagesbild.title": "Lägesbild (situation picture) {kommun} {year}",
        "lagesbild.made": "Made on {date} from Trygghetskartan's public figures.",
        "lagesbild.synthetic": (
            "The survey answers, incidents and follow-ups in this document are synthetic demo data."
        ),
        "lagesbild.no_data": (
            "{kommun} has no survey answers or incidents in {year}; years with data: {years}."
        ),
        "lagesbild.h_summary": "Summary",
        "lagesbild.h_safety": "Safety",
        "lagesbild.h_crime": "Crime",
        "lagesbild.h_promise": "The citizen promise",
        "lagesbild.h_sources": "Sources and method",
        "lagesbild.summary_placeholder": (
            "[Write the summary here: the main conclusions and what the municipality and the "
            "police will prioritise.]"
        ),
        "lagesbild.key_figures": "Key figures:",
        "lagesbild.key_share": (
            "Share who feel unsafe outdoors late in the evening, whole municipality: {value} "
            "({interval}; {n})"
        ),
        "lagesbild.key_share_hidden": (
            "Share who feel unsafe outdoors late in the evening, whole municipality: {value} ({n})"
        ),
        "lagesbild.key_incidents": "Incidents in the municipality: {total} (previous period: {previous})",
        "lagesbild.key_places": "Places with a published share feeling unsafe: {shown} of {total}",
        "lagesbild.key_commitments": "Commitments in the citizen promise: {n} ({statuses})",
        "lagesbild.safety_intro": (
            "The share who feel unsafe outdoors late in the evening per place, survey year "
            "{year}, with 95 % confidence interval and number of respondents. A place with "
            "fewer than {min_n} answers shows no share."
        ),
        "lagesbild.col_place": "Place",
        "lagesbild.col_share": "Share feeling unsafe",
        "lagesbild.col_interval": "95 % confidence interval",
        "lagesbild.col_n": "Answers (n)",
        "lagesbild.col_trend": "Trend since the previous year",
        "lagesbild.col_vs_rest": "Compared with the rest of the municipality",
        "lagesbild.no_answers": "no answers",
        "lagesbild.col_incidents": "Incidents",
        "lagesbild.col_previous": "Previous period",
        "lagesbild.col_cats": "By category",
        "lagesbild.no_incidents": "No incidents are recorded in {year}.",
        "lagesbild.gi_bin_3": "hot spot (99 % confidence)",
        "lagesbild.gi_bin_2": "hot spot (95 % confidence)",
        "lagesbild.gi_bin_1": "hot spot (90 % confidence)",
        "lagesbild.gi_bin_m1": "cold spot (90 % confidence)",
        "lagesbild.gi_bin_m2": "cold spot (95 % confidence)",
        "lagesbild.gi_bin_m3": "cold spot (99 % confidence)",
        "lagesbild.hotspot_caption": (
            "Hot spots {year} (Getis-Ord Gi*, {cell} m cells) over the places; cells with too "
            "few incidents are not shown."
        ),
        "lagesbild.time_intro": "When incidents happen: {timed} of {total} incidents have a time of day.",
        "lagesbild.time_caption": (
            "Incidents per hour and weekday {year}; cells marked {hidden} have too few "
            "incidents to be shown as numbers."
        ),
        "lagesbild.no_commitments": "No citizen promise has been imported for the municipality.",
        "lagesbild.col_party": "Party",
        "lagesbild.col_commitment": "Commitment",
        "lagesbild.col_places": "Places",
        "lagesbild.col_status": "Status",
        "lagesbild.period": "Period: {start} – {end}",
        "lagesbild.kommun_wide": "the whole municipality",
        "lagesbild.follow_ups": "Follow-ups:",
        "lagesbild.follow_up_line": "{text}: {line}",
        "lagesbild.sources_intro": "The figures rest on the municipality's active imports:",
        "lagesbild.source_line": "{file} ({kind}, {rows} rows; source: {source})",
        "lagesbild.method": (
            "The survey shares rest on {n} respondents in the whole municipality. A share with "
            'fewer than {min_n} answers is hidden ("too few answers"), as is a share that '
            "could otherwise be worked out from other figures; incident counts below {k} are "
            'shown as "fewer than {k}". Free-text answers and single incident points are '
            "never included."
        ),
    },
}
