"""One source of truth for the domain's fixed lists, scales and thresholds."""

from __future__ import annotations

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

#: Places and their areas are stored and measured in SWEREF 99 TM.
STORE_CRS = "EPSG:3006"
WEB_CRS = "EPSG:4326"
