"""Strings of the outcomes part (issue 12: the files coordinators actually get)."""

CATALOGUE: dict[str, dict[str, str]] = {
    "sv": {
        "outcomes.refused_rows": "Filen {file} importerades inte, ingen rad kunde sparas: {groups}",
        "outcomes.refused_empty": "Filen {file} har inga datarader; inget sparades.",
        "outcomes.group_one": "1 rad: {message} (kolumn {column}), rad {rows}",
        "outcomes.group_all": "{count} rader: {message} (kolumn {column}), rad {rows}",
        "outcomes.group_some": "{count} rader: {message} (kolumn {column}), t.ex. rad {rows} …",
        "outcomes.more_groups": "och {count} andra fel",
        "outcomes.group_separator": "; ",
        "outcomes.cli_warning": "Varning: {warning}",
        "cli.opt_force_incidents": (
            "importera även om koordinaterna ser ut att vara i ett annat koordinatsystem "
            "(då bara en varning)"
        ),
        "outcomes.coordinate_missing": "koordinat saknas",
        "outcomes.coordinate_missing_kept": (
            "koordinat saknas; räknas i kommunens total men inte i någon plats"
        ),
        "outcomes.crs_guess": "Koordinaterna ser ut som {name}; ange --crs {crs}.",
        "outcomes.crs_guess_swapped": (
            "Koordinaterna ser ut som {name} med latitud och longitud i omvänd ordning; "
            "byt kolumnerna {first} och {second} med --mapping."
        ),
        "outcomes.points_implausible": (
            "{share} av punkterna ligger utanför det rimliga området för SWEREF 99 TM i "
            "Sverige (tolkade i {crs}) och inget annat koordinatsystem passar kommunens "
            "platser; kontrollera koordinaterna."
        ),
        "outcomes.points_outside": (
            "{share} av punkterna ligger utanför alla platser i kommunen (tolkade i {crs}), "
            "och inget annat koordinatsystem passar bättre."
        ),
        "outcomes.upload_groups_heading": "Fel som upprepas",
        "outcomes.upload_groups_help": "Samma fel i samma kolumn är samlade; de första 20 raderna visas.",
        "outcomes.upload_group_col_count": "Rader",
        "outcomes.upload_group_col_column": "Kolumn",
        "outcomes.upload_group_col_message": "Fel",
        "outcomes.upload_group_col_rows": "T.ex. rad",
    },
    "en": {
        "outcomes.refused_rows": "The file {file} was not imported, no row could be stored: {groups}",
        "outcomes.refused_empty": "The file {file} has no data rows; nothing was stored.",
        "outcomes.group_one": "1 row: {message} (column {column}), row {rows}",
        "outcomes.group_all": "{count} rows: {message} (column {column}), rows {rows}",
        "outcomes.group_some": "{count} rows: {message} (column {column}), e.g. rows {rows} …",
        "outcomes.more_groups": "and {count} other errors",
        "outcomes.group_separator": "; ",
        "outcomes.cli_warning": "Warning: {warning}",
        "cli.opt_force_incidents": (
            "import even if the coordinates look like another coordinate system "
            "(then only a warning)"
        ),
        "outcomes.coordinate_missing": "coordinate missing",
        "outcomes.coordinate_missing_kept": (
            "coordinate missing; counted in the kommun total but in no place"
        ),
        "outcomes.crs_guess": "The coordinates look like {name}; give --crs {crs}.",
        "outcomes.crs_guess_swapped": (
            "The coordinates look like {name} with latitude and longitude swapped; "
            "swap the columns {first} and {second} with --mapping."
        ),
        "outcomes.points_implausible": (
            "{share} of the points lie outside the plausible range of SWEREF 99 TM in "
            "Sweden (read as {crs}) and no other coordinate system fits the kommun's "
            "places; check the coordinates."
        ),
        "outcomes.points_outside": (
            "{share} of the points lie outside every place of the kommun (read as {crs}), "
            "and no other coordinate system fits better."
        ),
        "outcomes.upload_groups_heading": "Repeated errors",
        "outcomes.upload_groups_help": "The same error in the same column is grouped; the first 20 rows are shown.",
        "outcomes.upload_group_col_count": "Rows",
        "outcomes.upload_group_col_column": "Column",
        "outcomes.upload_group_col_message": "Error",
        "outcomes.upload_group_col_rows": "E.g. rows",
    },
}
