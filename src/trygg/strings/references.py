"""Strings of the references part (issue 12: the files coordinators actually get)."""

CATALOGUE: dict[str, dict[str, str]] = {
    "sv": {
        "references.err_no_year": (
            "Filen {file} säger inte vilket år resultaten gäller (ingen kolumn År och inget "
            "år i en rubrikrad). Ange året med --year, t.ex. --year 2010."
        ),
        "references.err_nothing_for_kommun": (
            "Filen {file} har ingen rad för {kommun}, dess län eller hela riket: bara andra "
            "län och kommuner. Inget har lästs in."
        ),
        "references.opt_year": (
            "året resultaten gäller (standard: året i filens rubrikrad, annars kolumnen År)"
        ),
        "references.part": "{area} {value}",
        "references.riket": "riket",
        "references.sentence": "{indicator} {year}: {parts}.",
        "references.separator": ", ",
    },
    "en": {
        "references.err_no_year": (
            "The file {file} does not say which year its results are for (no År column and "
            "no year in a title line). Give the year with --year, e.g. --year 2010."
        ),
        "references.err_nothing_for_kommun": (
            "The file {file} has no row for {kommun}, its county or the whole country: only "
            "other counties and municipalities. Nothing was imported."
        ),
        "references.opt_year": (
            "the year of the results (default: the year in the file's title line, else "
            "the År column)"
        ),
        "references.part": "{area} {value}",
        "references.riket": "Sweden",
        "references.sentence": "{indicator} {year}: {parts}.",
        "references.separator": ", ",
    },
}
