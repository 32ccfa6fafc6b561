"""Strings of the sources part (issue 12: the files coordinators actually get)."""

CATALOGUE: dict[str, dict[str, str]] = {
    "sv": {
        "cli.incidents_counted": (
            "{counted} händelser räknas för kommunen. Filens läge: {punkt} med en punkt, "
            "{kommun} kända bara till en kommun, {län} bara till ett län. Inte sparade: "
            "länshändelserna, {sammanfattning} sammanfattningar, {dubblett} redan inlästa, "
            "{annan_kommun} i andra kommuner."
        ),
        "src.json_too_deep": (
            "Filen {file} är JSON som är nästlad djupare än {max} nivåer; en händelsefil "
            "från polisen.se är en lista med händelser, var och en med ett location-objekt."
        ),
        "src.json_no_events": (
            "Filen {file} är JSON men håller ingen lista med händelser (som polisen.se:s "
            "händelse-API) och är inte GeoJSON."
        ),
        "src.json_event_not_object": (
            "Filen {file}: händelse på rad {row} är inte ett objekt med fält "
            "(id, datetime, type, location …)."
        ),
        "src.shared_point": (
            "Koordinaten {pair} ({columns}) delas av {count} rader ({share} % av filen): "
            "den är troligen en publicerad mittpunkt för en kommun eller ett län, "
            "inte där händelserna skedde."
        ),
        "row.precision": "okänd lägesprecision; förväntade punkt, kommun eller län",
    },
    "en": {
        "cli.incidents_counted": (
            "{counted} incidents count for the municipality. Located in the file: {punkt} "
            "with a point, {kommun} known only to a municipality, {län} only to a county. "
            "Not stored: the county events, {sammanfattning} summaries, {dubblett} already "
            "imported, {annan_kommun} in other municipalities."
        ),
        "src.json_too_deep": (
            "The file {file} is JSON nested deeper than {max} levels; a polisen.se events "
            "file is a list of events, each with a location object."
        ),
        "src.json_no_events": (
            "The file {file} is JSON but holds no list of events (like the polisen.se "
            "events API) and is not GeoJSON."
        ),
        "src.json_event_not_object": (
            "The file {file}: the event on row {row} is not an object with fields "
            "(id, datetime, type, location …)."
        ),
        "src.shared_point": (
            "The coordinate {pair} ({columns}) is shared by {count} rows ({share} % of the "
            "file): it is probably the published centre point of a kommun or län, not "
            "where the events happened."
        ),
        "row.precision": "unknown location precision; expected punkt, kommun or län",
    },
}
