"""The catalogue of user-facing strings: Swedish first, English second.

Every message a person reads (CLI errors, dashboard labels) is looked up here with
:func:`t`, so the interface can be translated in one place.
"""

from __future__ import annotations

CATALOGUE: dict[str, dict[str, str]] = {
    "sv": {
        # Kommun and store
        "err.kommun_code": "Kommunkoden {code!r} är ogiltig: den ska vara fyra siffror, t.ex. 0683.",
        "err.kommun_unknown": "Kommunen {code} finns inte i databasen. Kända kommuner: {known}.",
        "err.db_unreadable": "Databasen {db} kunde inte öppnas: {reason}",
        "err.unexpected": "Ett oväntat fel inträffade ({kind}): {reason}. Inget sparades.",
        "err.file_missing": "Filen {path} finns inte.",
        "err.already_imported": (
            "Filen {file} är redan importerad (batch {batch_id}, samma innehåll). Inget nytt sparades."
        ),
        # Places
        "err.places_unreadable": "Filen {file} kunde inte läsas som ett kartlager: {reason}",
        "err.places_layer": "Lagret {layer!r} finns inte i {file}. Lager i filen: {layers}.",
        "err.places_layers_many": (
            "Filen {file} har flera lager ({layers}); välj ett med --layer."
        ),
        "err.places_no_crs": (
            "Lagret i {file} saknar koordinatsystem; ange det med --crs, "
            "t.ex. --crs EPSG:3006 (SWEREF 99 TM) eller --crs EPSG:3021 (RT90 2.5 gon V)."
        ),
        "err.places_bad_crs": "Koordinatsystemet {crs!r} känns inte igen; ange t.ex. --crs EPSG:3006.",
        "err.places_empty_layer": "Lagret i {file} innehåller inga objekt.",
        "err.places_not_polygon": (
            "Objekt {feature} i {file} är av typen {geom_type}; bara ytor (Polygon eller "
            "MultiPolygon) kan vara platser."
        ),
        "err.places_empty_geom": "Objekt {feature} ({name}) i {file} saknar geometri.",
        "err.places_no_field": (
            "Fältet {field!r} finns inte i {file}. Fält i filen: {fields}."
        ),
        "err.places_missing_name": "Objekt {feature} i {file} saknar namn i fältet {field!r}.",
        "err.places_duplicate_name": (
            "Namnet {name!r} förekommer flera gånger i {file} (objekt {features}); "
            "varje plats behöver ett unikt namn."
        ),
        "err.places_exists": (
            "Kommunen {kommun} har redan platserna {names}; använd --replace för att ersätta "
            "kommunens platser med filens."
        ),
        "err.places_bad_population": (
            "Objekt {feature} ({name}): invånarantalet {value!r} i fältet {field!r} är inte ett "
            "heltal ≥ 0."
        ),
        "err.place_unknown": "Platsen {name!r} finns inte i kommun {kommun}. Kända platser: {known}.",
        "warn.places_repaired": "Objekt {feature} ({name}) hade ogiltig geometri och reparerades.",
        "warn.places_in_use": (
            "Platsen {name!r} finns inte i den nya filen men används av data och behölls."
        ),
        # Commitments
        "err.commitments_unreadable": "Filen {file} kunde inte läsas: {reason}",
        "err.commitments_format": "Filen {file}: {where}: {reason}",
        "err.commitments_format_ext": (
            "Filen {file} har okänd filändelse; använd .yaml/.yml eller .csv."
        ),
        "err.commitments_kommun_mismatch": (
            "Filen gäller kommun {file_kommun} men --kommun är {kommun}."
        ),
        "err.commitments_value": "{field} {value!r} är inte tillåtet; tillåtna värden: {allowed}.",
        "err.commitments_date": "{field} {value!r} är inte ett datum på formen ÅÅÅÅ-MM-DD.",
        "err.commitments_missing": "{field} saknas.",
        "err.commitment_unknown": "Åtagande {id} finns inte.",
    },
    "en": {
        "err.kommun_code": "The kommun code {code!r} is invalid: it must be four digits, e.g. 0683.",
        "err.unexpected": "An unexpected error occurred ({kind}): {reason}. Nothing was saved.",
    },
}

DEFAULT_LANG = "sv"


def t(key: str, lang: str = DEFAULT_LANG, **values) -> str:
    """Look up ``key`` in ``lang`` (falling back to Swedish) and fill in ``values``.

    Examples
    --------
    >>> t("err.kommun_code", code="683")
    "Kommunkoden '683' är ogiltig: den ska vara fyra siffror, t.ex. 0683."
    """
    template = CATALOGUE.get(lang, {}).get(key) or CATALOGUE[DEFAULT_LANG][key]
    return template.format(**values)
