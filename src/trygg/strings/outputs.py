"""Strings of the outputs part (issue 12: the files coordinators actually get)."""

CATALOGUE: dict[str, dict[str, str]] = {
    "sv": {
        "list.more": "{names} och {count} till",
        "err.places_name_fields": (
            "Flera fält i {file} kan vara platsernas namn: {fields}. Ange vilket med --name-field."
        ),
    },
    "en": {
        "list.more": "{names} and {count} more",
        "err.places_name_fields": (
            "Several fields in {file} could be the places' names: {fields}. "
            "Say which with --name-field."
        ),
    },
}
