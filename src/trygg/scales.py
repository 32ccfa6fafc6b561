"""One source of truth for the domain's fixed lists, scales and thresholds."""

from __future__ import annotations

from dataclasses import dataclass, field

from trygg.text import fold

#: The five demo kommuner, by kommunkod (a 4-character string: Värnamo is "0683").
DEMO_KOMMUNER: dict[str, str] = {
    "1381": "Laholm",
    "1278": "Båstad",
    "1380": "Halmstad",
    "0683": "Värnamo",
    "1984": "Arboga",
}
DEFAULT_KOMMUN = "1381"

PARTIES: dict[str, str] = {
    "gemensamt": "Polisen och kommunen tillsammans",
    "polisen": "Polisen",
    "kommunen": "Kommunen",
}

STATUSES: tuple[str, ...] = ("ej påbörjad", "pågår", "genomförd", "inställd")
DEFAULT_STATUS = "pågår"
#: A commitment's status when neither a follow-up nor the file says one.
NO_FOLLOW_UP_STATUS = "ej påbörjad"
#: Statuses after which no further follow-up is due.
CLOSED_STATUSES: frozenset[str] = frozenset({"genomförd", "inställd"})
#: The order of the Löften page's status summary: done, ongoing, not started, cancelled.
STATUS_SUMMARY_ORDER: tuple[str, ...] = ("genomförd", "pågår", "ej påbörjad", "inställd")
#: The colour of each status's badge on the map page (a Streamlit badge colour).
STATUS_COLOURS: dict[str, str] = {
    "ej påbörjad": "gray",
    "pågår": "blue",
    "genomförd": "green",
    "inställd": "red",
}
#: The badge colour of a status the list above does not know.
UNKNOWN_STATUS_COLOUR = "gray"

#: Follow-up cadence (uppföljning): tertial = every 4 months.
CADENCES: dict[str, int] = {"tertial": 4, "halvår": 6, "år": 12}

THEMES: dict[str, str] = {
    "unga": "Unga 12–24 år",
    "narkotika": "Narkotika",
    "trafik": "Trafik och hastighet",
    "belysning": "Belysning",
    "grannsamverkan": "Grannsamverkan",
    "kamerabevakning": "Kamerabevakning",
    "trygghetsvandring": "Trygghetsvandringar",
    "polisnarvaro": "Synlig polis",
    "naringsliv": "Näringsliv",
    "motorburen_ungdom": "Mopeder och bilar (motorburen ungdom)",
    "samverkan": "Samverkan",
    "medborgardialog": "Medborgardialog",
    "inbrott": "Inbrott",
    "fysisk_miljo": "Fysisk miljö",
    "kommunikation": "Kommunikation",
    "lagesbild": "Lägesbild",
    "uppfoljning": "Uppföljning",
    "skadegorelse": "Skadegörelse",
}

PLACE_KINDS: dict[str, str] = {
    "park": "Park",
    "centrum": "Centrum",
    "station": "Stationsområde",
    "skola": "Skola",
    "bostadsomrade": "Bostadsområde",
    "ort": "Ort",
    "handelsomrade": "Handelsområde",
    "ovrigt": "Övrigt",
}
DEFAULT_PLACE_KIND = "ovrigt"

#: Figures based on fewer answers than this are suppressed everywhere.
MIN_N = 10

#: Years a survey answer, an incident or a period may have.
FIRST_YEAR, LAST_YEAR = 1900, 2100

#: Places and their areas are stored and measured in SWEREF 99 TM.
STORE_CRS = "EPSG:3006"
WEB_CRS = "EPSG:4326"


# --- Safety survey scales (domain.md) ------------------------------------------------


@dataclass(frozen=True)
class AnswerScale:
    """An answer scale: codes with their labels, the base codes and the "hit" codes.

    A share is ``hits / base``; codes outside ``base`` (e.g. "Vet ej") are not counted.
    """

    key: str
    labels: dict[int, str]
    base: frozenset[int]
    hits: frozenset[int]
    variants: dict[str, int] = field(default_factory=dict)

    def code_for(self, answer: str) -> int | None:
        """The code of a text label or numeric code, or None when it is not on the scale."""
        folded = fold(answer)
        if folded.isascii() and folded.isdigit():  # not "²", which isdigit() takes
            code = int(folded)
            return code if code in self.labels else None
        for code, label in self.labels.items():
            if fold(label) == folded:
                return code
        return self.variants.get(folded)


#: "Hur trygg känner du dig när du går ut ensam sent en kväll i området där du bor?"
TRYGG_KVALL = AnswerScale(
    key="trygg_kvall",
    labels={
        1: "Mycket trygg",
        2: "Ganska trygg",
        3: "Ganska otrygg",
        4: "Mycket otrygg",
        5: "Går inte ut på grund av otrygghet",
        6: "Går inte ut av andra skäl",
        7: "Vet ej",
    },
    base=frozenset({1, 2, 3, 4, 5}),
    hits=frozenset({3, 4, 5}),
    variants={
        "vet inte": 7,
        "går ej ut på grund av otrygghet": 5,
        "går inte ut pga otrygghet": 5,
        "går inte ut pga. otrygghet": 5,
        "går ej ut av andra skäl": 6,
        "går inte ut av annan anledning": 6,
    },
)

#: "Problem i området": nedskräpning, klotter, buskörning …
PROBLEM = AnswerScale(
    key="problem",
    labels={
        1: "Inget problem",
        2: "Litet problem",
        3: "Ganska stort problem",
        4: "Mycket stort problem",
        5: "Vet ej",
    },
    base=frozenset({1, 2, 3, 4}),
    hits=frozenset({3, 4}),
    variants={"vet inte": 5, "inga problem": 1, "ett litet problem": 2},
)

#: Worry items (oro för inbrott, oro för att bli överfallen …).
ORO = AnswerScale(
    key="oro",
    labels={
        1: "Inte alls orolig",
        2: "Lite orolig",
        3: "Ganska orolig",
        4: "Mycket orolig",
        5: "Vet ej",
    },
    base=frozenset({1, 2, 3, 4}),
    hits=frozenset({3, 4}),
    variants={"vet inte": 5, "inte orolig": 1},
)

#: Item prefixes and their scale: ``problem_<slug>`` and ``oro_<slug>`` columns.
ITEM_SCALES: dict[str, AnswerScale] = {"problem": PROBLEM, "oro": ORO}

#: Plain-language names for the usual problem and worry items.
ITEM_LABELS: dict[str, str] = {
    "nedskrapning": "Nedskräpning",
    "klotter": "Klotter",
    "skadegorelse": "Skadegörelse",
    "buskorning": "Buskörning med bil eller moped",
    "narkotikaforsaljning": "Narkotikaförsäljning",
    "ungdomsgang": "Ungdomsgäng",
    "brak": "Bråk och slagsmål",
    "dalig_belysning": "Dålig belysning",
    "inbrott": "Inbrott i bostaden",
    "overfall": "Att bli överfallen eller misshandlad",
    "bilbrott": "Stöld ur eller av bil",
}

#: What area tables write for the whole kommun (folded), beside its code and name.
KOMMUN_LEVEL_AREAS = frozenset({"totalt", "hela kommunen", "kommunen", "total", "kommun"})

#: Markers meaning "missing" in area-level tables; never zero.
SUPPRESSION_MARKERS = frozenset({"xx", "..", "–", "-", "—", "uppgift saknas", "x", ""})

#: What area tables write for the whole country (folded).
RIKET_AREAS = frozenset({"hela riket", "riket", "sverige", "hela sverige", "hela landet"})


# --- Incidents -----------------------------------------------------------------------

#: The canonical incident categories the map colours by (domain.md), with plain labels.
INCIDENT_CATEGORIES: dict[str, str] = {
    "skadegörelse": "Skadegörelse",
    "klotter": "Klotter",
    "nedskräpning": "Nedskräpning",
    "narkotika": "Narkotika",
    "stöld": "Stöld",
    "inbrott": "Inbrott",
    "våld": "Våld",
    "hot": "Hot",
    "ordningsstörning": "Ordningsstörning",
    "trafik": "Trafik",
    "buskörning": "Buskörning",
    "övrigt": "Övrigt",
}
UNKNOWN_CATEGORY = "övrigt"

#: What sources write (folded: lower case, single spaces) → canonical category.
CATEGORY_SYNONYMS: dict[str, str] = {
    "skadegörelse": "skadegörelse",
    "vandalisering": "skadegörelse",
    "criminal damage and arson": "skadegörelse",
    "brand i papperskorg": "skadegörelse",
    "anlagd brand": "skadegörelse",
    "klotter": "klotter",
    "graffiti": "klotter",
    "nedskräpning": "nedskräpning",
    "skräp": "nedskräpning",
    "narkotika": "narkotika",
    "narkotikabrott": "narkotika",
    "narkotikahandel": "narkotika",
    "narkotika – innehav": "narkotika",
    "narkotika - innehav": "narkotika",
    "narkotikainnehav": "narkotika",
    "drogpåverkad": "narkotika",
    "drugs": "narkotika",
    "stöld": "stöld",
    "snatteri": "stöld",
    "cykelstöld": "stöld",
    "bicycle theft": "stöld",
    "other theft": "stöld",
    "shoplifting": "stöld",
    "theft from the person": "stöld",
    "vehicle crime": "stöld",
    "inbrott": "inbrott",
    "bostadsinbrott": "inbrott",
    "burglary": "inbrott",
    "våld": "våld",
    "misshandel": "våld",
    "rån": "våld",
    "robbery": "våld",
    "violence and sexual offences": "våld",
    "hot": "hot",
    "olaga hot": "hot",
    "hot mot personal": "hot",
    "ordningsstörning": "ordningsstörning",
    "bråk": "ordningsstörning",
    "störning": "ordningsstörning",
    "samling av ungdomar": "ordningsstörning",
    "otrygg plats": "ordningsstörning",
    "anti-social behaviour": "ordningsstörning",
    "public order": "ordningsstörning",
    "trafik": "trafik",
    "trafikbrott": "trafik",
    "fortkörning": "trafik",
    "rattfylleri": "trafik",
    "buskörning": "buskörning",
    "buskörning moped": "buskörning",
    "buskörning bil": "buskörning",
    "mopedbuskörning": "buskörning",
    "övrigt": "övrigt",
    "annat": "övrigt",
    "other crime": "övrigt",
    "possession of weapons": "övrigt",
    # polisen.se's event types (folded as written there, commas and slashes kept).
    "mord/dråp": "våld",
    "mord/dråp, försök": "våld",
    "mord/dråp försök": "våld",
    "rån, försök": "våld",
    "rån försök": "våld",
    "rån väpnat": "våld",
    "rån övrigt": "våld",
    "skottlossning": "våld",
    "skottlossning, misstänkt": "våld",
    "skottlossning misstänkt": "våld",
    "larm överfall": "våld",
    "misshandel, grov": "våld",
    "misshandel grov": "våld",
    "våldtäkt": "våld",
    "våldtäkt, försök": "våld",
    "våldtäkt försök": "våld",
    "våld/hot mot tjänsteman": "våld",
    "olaga frihetsberövande/människorov": "våld",
    "explosion": "våld",
    "detonation": "våld",
    "hets mot folkgrupp": "hot",
    "ofredande/förargelse": "ordningsstörning",
    "fylleri/lob": "ordningsstörning",
    "ordningslagen": "ordningsstörning",
    "alkohollagen": "ordningsstörning",
    "vapenlagen": "ordningsstörning",
    "knivlagen": "ordningsstörning",
    "stöld, försök": "stöld",
    "stöld försök": "stöld",
    "motorfordon, stöld": "stöld",
    "motorfordon stöld": "stöld",
    "motorfordon, anträffat stulet": "stöld",
    "häleri": "stöld",
    "stöld/inbrott": "inbrott",
    "inbrott, försök": "inbrott",
    "inbrott försök": "inbrott",
    "larm inbrott": "inbrott",
    "brand": "skadegörelse",
    "brand automatlarm": "övrigt",
    "sabotage mot blåljusverksamhet": "skadegörelse",
    "trafikolycka": "trafik",
    "trafikkontroll": "trafik",
    "trafikhinder": "trafik",
    "olovlig körning": "trafik",
    "sjölagen": "trafik",
}

#: polisen.se post types that are not incidents (folded prefixes): the summaries of a
#: night or a day, and updates of an event already published.
SUMMARY_POST_TYPES: tuple[str, ...] = ("sammanfattning", "uppdatering")

#: The 21 län by their two-digit code, as polisen.se names them in an event's location.
LAN_NAMES: dict[str, str] = {
    "01": "Stockholms län",
    "03": "Uppsala län",
    "04": "Södermanlands län",
    "05": "Östergötlands län",
    "06": "Jönköpings län",
    "07": "Kronobergs län",
    "08": "Kalmar län",
    "09": "Gotlands län",
    "10": "Blekinge län",
    "12": "Skåne län",
    "13": "Hallands län",
    "14": "Västra Götalands län",
    "17": "Värmlands län",
    "18": "Örebro län",
    "19": "Västmanlands län",
    "20": "Dalarnas län",
    "21": "Gävleborgs län",
    "22": "Västernorrlands län",
    "23": "Jämtlands län",
    "24": "Västerbottens län",
    "25": "Norrbottens län",
}

#: Public outputs suppress places, cells and time slots with fewer incidents than this.
MIN_INCIDENTS_PUBLIC = 3
#: The hot-spot grid's cell sizes on the map page, in metres; 250 m is quick enough to
#: compute while the page waits. The page offers only sizes drawn at least
#: :data:`MIN_CELL_PX` wide at the map's first zoom.
HOTSPOT_CELL_SIZES: tuple[int, ...] = (100, 250, 500, 1000, 2000, 5000)
DEFAULT_HOTSPOT_CELL = 250
#: A cell narrower than this on screen, at the map's first zoom, is not offered.
MIN_CELL_PX = 6
#: The map's size (width, height in px) on a 1920 × 1080 screen, for its first zoom.
MAP_VIEW_PX = (1100, 650)
#: The hot-spot study area: the bounds of the kommun's places and this margin, in metres.
#: An incident outside it (a wrong coordinate 300 km away) is not in the grid.
HOTSPOT_MARGIN_M = 2_000
#: The most cells a hot-spot grid may have; a larger one is refused with a proposal.
MAX_HOTSPOT_CELLS = 200_000
#: The time-of-day windows of the hot-spot filter: their hours (0–23).
TIME_BANDS: dict[str, tuple[int, ...]] = {
    "dag": tuple(range(6, 18)),
    "kvall": tuple(range(18, 24)),
    "natt": tuple(range(0, 6)),
}
#: The day types of the hot-spot filter: their weekdays (Monday = 0).
DAY_TYPES: dict[str, tuple[int, ...]] = {"vardag": (0, 1, 2, 3, 4), "helg": (5, 6)}

WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")

# --- What a value in an imported row may be (a value outside is a row error) ---------

#: ``antal`` of one incident row.
MAX_INCIDENT_COUNT = 100_000
#: A respondent's weight (expansion weights can stand for thousands of people).
MAX_SURVEY_WEIGHT = 100_000
#: ``n`` of an area result, a BRÅ count or rate, and a place's population.
MAX_AREA_COUNT = 20_000_000
#: An area result's value: an index 0–6 or a percentage.
MAX_RESULT_VALUE = 100
#: Where a point in SWEREF 99 TM (EPSG:3006) may lie: Sweden with a wide margin.
SWEDEN_BOUNDS = (-100_000.0, 6_000_000.0, 1_200_000.0, 7_800_000.0)
