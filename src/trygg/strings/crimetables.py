"""Strings of the crimetables part (issue 12: the files coordinators actually get)."""

CATALOGUE: dict[str, dict[str, str]] = {
    "sv": {
        "err.mapping_key_unknown": (
            "Mappningsfilen nämner {name!r}, som inte är en kolumn i den här importen. "
            "Möjliga namn: {accepted}."
        ),
        "err.place_unknown_close": (
            "Platsen {name!r} finns inte i kommun {kommun}. Menade du {close}?"
        ),
        "err.place_unknown_see": (
            "Platsen {name!r} finns inte i kommun {kommun}; se trygg places --kommun {kommun}."
        ),
        "row.place_unknown_see": (
            "okänd plats, ingen av kommunens {count} platser liknar den; "
            "se trygg places --kommun {kommun}"
        ),
        "err.crime_stats_year": (
            "Filen {file} har månaderna som kolumner men inget årtal i filnamnet eller i en "
            "rubrikrad. Ange året med --year, t.ex. --year 2010."
        ),
        "row.offence_missing": "brottstypen saknas",
        "warn.crime_total_differs": (
            "{column} är inte summan av perioderna (rad {rows}); perioderna sparades, totalen inte."
        ),
        "cli.opt_crime_stats_year": (
            "året för en tabell med månaderna som kolumner (annars ur filnamnet eller rubrikraden)"
        ),
    },
    "en": {
        "err.mapping_key_unknown": (
            "The mapping file names {name!r}, which is not a column of this import. "
            "Accepted names: {accepted}."
        ),
        "err.place_unknown_close": (
            "The place {name!r} is not in kommun {kommun}. Did you mean {close}?"
        ),
        "err.place_unknown_see": (
            "The place {name!r} is not in kommun {kommun}; see trygg places --kommun {kommun}."
        ),
        "row.place_unknown_see": (
            "unknown place, none of the kommun's {count} places is like it; "
            "see trygg places --kommun {kommun}"
        ),
        "err.crime_stats_year": (
            "The file {file} has the months as columns but no year in its name or in a title "
            "line. Give the year with --year, e.g. --year 2010."
        ),
        "row.offence_missing": "the offence type is missing",
        "warn.crime_total_differs": (
            "{column} is not the sum of the periods (row {rows}); "
            "the periods were stored, the total was not."
        ),
        "cli.opt_crime_stats_year": (
            "the year of a table with the months as columns (else from the file name or title)"
        ),
    },
}
