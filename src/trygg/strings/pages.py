"""The catalogue's part for the Plats and Jämför pages and the language switch.

Swedish first, English second, the same keys in both; :mod:`trygg.strings` joins the parts.
"""

from __future__ import annotations

_MONTHS_SV = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS_SV = ("mån", "tis", "ons", "tor", "fre", "lör", "sön")
_DAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _numbered(prefix: str, names: tuple[str, ...], first: int) -> dict[str, str]:
    return {f"{prefix}{number}": name for number, name in enumerate(names, start=first)}


CATALOGUE: dict[str, dict[str, str]] = {
    "sv": {
        "page.plats": "Plats",
        "page.jamfor": "Jämför",
        "dash.language": "Språk / Language",
        # Plats
        "plats.title": "{place} – {kommun}",
        "plats.choose_heading": "Välj en plats",
        "plats.choose_label": "Plats",
        "plats.choose_placeholder": "Välj en plats i {kommun}",
        "plats.choose_help": "Varje plats har en egen sida: enkätsvar med trend, händelser "
        "och vad medborgarlöftet lovar där. Länka direkt med ?plats=NAMN.",
        "plats.open": "Öppna {place}",
        "plats.map_caption": "Kartan visar {place} (markerad) och platserna omkring.",
        "plats.survey_heading": "Enkätsvar {year}",
        "plats.headline": "{value} ({range}) av {n} svarande känner sig otrygga ute sent "
        "på kvällen.",
        "plats.headline_no_answers": "Inga enkätsvar från platsen det här året.",
        "plats.headline_protected": "Andelen som känner sig otrygga är dold för att skydda "
        "en liten grupp ({n} svarande).",
        "plats.headline_too_few": "Andelen som känner sig otrygga visas inte: {n} svarande "
        "är färre än {min_n}, så att ingen kan pekas ut.",
        "plats.interval_note": "Inom parentes: 95 % konfidensintervall.",
        "plats.vs_rest_sentence": "Jämfört med resten av kommunen ({rest}): {words}.",
        "plats.trend_heading": "Andel otrygga år för år",
        "plats.trend_hidden": "Utelämnade år (siffran dold för att skydda små grupper): {years}.",
        "plats.trend_none": "Inget år med en publicerad andel för platsen.",
        "plats.trend_alt": "Linjediagram: andelen otrygga i {place} per år med 95 % "
        "konfidensintervall som band.",
        "plats.chart_share": "Andel otrygga",
        "plats.chart_low": "KI nedre",
        "plats.chart_high": "KI övre",
        "plats.col_vs_rest": "Jämfört med övriga kommunen",
        "plats.col_value": "Värde",
        "plats.col_source": "Källa",
        "plats.col_change": "Förändring",
        "plats.incidents_heading": "Händelser {year}",
        "plats.month_alt": "Stapeldiagram: händelser i {place} per månad {year}.",
        "plats.heat_caption": "Händelser med klockslag per veckodag och timme. Talen står i "
        "rutorna; mörkare = fler. ”<{k}” = färre än {k}, dolt.",
        "plats.commitments_heading": "Medborgarlöftet för {place}",
        **_numbered("plats.month_", _MONTHS_SV, 1),
        **_numbered("plats.day_", _DAYS_SV, 0),
        # Jämför
        "jamfor.title": "Jämför platserna i {kommun}",
        "jamfor.intro": "Alla platser rangordnade efter det valda måttet, högst först.",
        "jamfor.metric": "Mått",
        "jamfor.chart_alt": "Diagram: platserna i {kommun} rangordnade efter {metric}.",
        "jamfor.whiskers": "Punkten är platsens andel, strecket dess 95 % konfidensintervall.",
        "jamfor.kommun_line": "Den streckade röda linjen är hela {kommun}: {value}.",
        "jamfor.kommun_hidden": "Värdet för hela {kommun} visas inte.",
        "jamfor.kommun_none_count": "Antal jämförs inte med hela {kommun} (kommunens antal "
        "är summan av alla platser).",
        "jamfor.hidden_heading": "Platser som inte rangordnas",
        "jamfor.hidden_line": "{place}: {reason}",
        "jamfor.no_answers": "inga svar",
        "jamfor.table_heading": "Som tabell",
        "jamfor.table_help": "Klicka på en kolumnrubrik för att sortera.",
        "jamfor.download": "Ladda ner tabellen (CSV)",
        "jamfor.file_name": "jamfor-{kommun}-{metric}-{year}.csv",
        "jamfor.links_heading": "Platsernas sidor",
        "jamfor.nothing": "{kommun} har inga enkätsvar eller händelser att jämföra.",
        "jamfor.col_rank": "Placering",
        "jamfor.col_place": "Plats",
        "jamfor.col_value": "Värde ({unit})",
        "jamfor.col_low": "95 % KI nedre",
        "jamfor.col_high": "95 % KI övre",
        "jamfor.col_note": "Jämfört med övriga kommunen / varför dold",
        "jamfor.unit_share": "%",
        "jamfor.unit_rate": "per 1 000 invånare",
        "jamfor.unit_count": "antal",
    },
    "en": {
        "page.plats": "Place",
        "page.jamfor": "Compare",
        "dash.language": "Språk / Language",
        # Plats
        "plats.title": "{place} – {kommun}",
        "plats.choose_heading": "Choose a place",
        "plats.choose_label": "Place",
        "plats.choose_placeholder": "Choose a place in {kommun}",
        "plats.choose_help": "Every place has its own page: survey answers with their trend, "
        "incidents, and what the citizen promise says about it. Link to it with ?plats=NAME.",
        "plats.open": "Open {place}",
        "plats.map_caption": "The map shows {place} (outlined) and the places around it.",
        "plats.survey_heading": "Survey answers {year}",
        "plats.headline": "{value} ({range}) of {n} respondents feel unsafe out late in the "
        "evening.",
        "plats.headline_no_answers": "No survey answers from this place this year.",
        "plats.headline_protected": "The share who feel unsafe is hidden to protect a small "
        "group ({n} respondents).",
        "plats.headline_too_few": "The share who feel unsafe is not shown: {n} respondents "
        "are fewer than {min_n}, so that no one can be singled out.",
        "plats.interval_note": "In brackets: 95% confidence interval.",
        "plats.vs_rest_sentence": "Compared with the rest of the municipality ({rest}): {words}.",
        "plats.trend_heading": "Share feeling unsafe, year by year",
        "plats.trend_hidden": "Years left out (figure hidden to protect small groups): {years}.",
        "plats.trend_none": "No year with a published share for this place.",
        "plats.trend_alt": "Line chart: the share feeling unsafe in {place} by year, with the "
        "95% confidence interval as a band.",
        "plats.chart_share": "Share unsafe",
        "plats.chart_low": "CI lower",
        "plats.chart_high": "CI upper",
        "plats.col_vs_rest": "Compared with the rest of the municipality",
        "plats.col_value": "Value",
        "plats.col_source": "Source",
        "plats.col_change": "Change",
        "plats.incidents_heading": "Incidents {year}",
        "plats.month_alt": "Bar chart: incidents in {place} by month, {year}.",
        "plats.heat_caption": "Incidents with a time of day by weekday and hour. The numbers "
        "are in the cells; darker = more. “<{k}” = fewer than {k}, hidden.",
        "plats.commitments_heading": "The citizen promise for {place}",
        **_numbered("plats.month_", _MONTHS_EN, 1),
        **_numbered("plats.day_", _DAYS_EN, 0),
        # Jämför
        "jamfor.title": "Compare the places in {kommun}",
        "jamfor.intro": "Every place ranked by the chosen measure, highest first.",
        "jamfor.metric": "Measure",
        "jamfor.chart_alt": "Chart: the places in {kommun} ranked by {metric}.",
        "jamfor.whiskers": "The dot is the place's share, the line its 95% confidence interval.",
        "jamfor.kommun_line": "The dashed red line is all of {kommun}: {value}.",
        "jamfor.kommun_hidden": "The value for all of {kommun} is not shown.",
        "jamfor.kommun_none_count": "Counts are not compared with all of {kommun} (its count "
        "is the sum of every place).",
        "jamfor.hidden_heading": "Places not ranked",
        "jamfor.hidden_line": "{place}: {reason}",
        "jamfor.no_answers": "no answers",
        "jamfor.table_heading": "As a table",
        "jamfor.table_help": "Click a column heading to sort.",
        "jamfor.download": "Download the table (CSV)",
        "jamfor.file_name": "compare-{kommun}-{metric}-{year}.csv",
        "jamfor.links_heading": "The places' pages",
        "jamfor.nothing": "{kommun} has no survey answers or incidents to compare.",
        "jamfor.col_rank": "Rank",
        "jamfor.col_place": "Place",
        "jamfor.col_value": "Value ({unit})",
        "jamfor.col_low": "95% CI lower",
        "jamfor.col_high": "95% CI upper",
        "jamfor.col_note": "Compared with the rest of the municipality / why hidden",
        "jamfor.unit_share": "%",
        "jamfor.unit_rate": "per 1,000 inhabitants",
        "jamfor.unit_count": "count",
    },
}
