"""Medborgarlöften: the file formats, the store and what is listed.

- :mod:`~trygg.commitments.format`: YAML and CSV, read, validated and written back;
- :mod:`~trygg.commitments.store`: import as one batch, follow-ups, export;
- :mod:`~trygg.commitments.listing`: the commitments of a kommun or a place, grouped.
"""

from trygg.commitments.format import CSV_COLUMNS, FORMAT, parse_date_arg, read_file, to_csv, to_yaml
from trygg.commitments.listing import group_for_place, list_commitments
from trygg.commitments.store import (
    BATCH_KIND,
    add_follow_up,
    export_commitments,
    import_commitments,
    load_promises,
    record_follow_up,
)

__all__ = [
    "BATCH_KIND",
    "CSV_COLUMNS",
    "FORMAT",
    "add_follow_up",
    "export_commitments",
    "group_for_place",
    "import_commitments",
    "list_commitments",
    "load_promises",
    "parse_date_arg",
    "read_file",
    "record_follow_up",
    "to_csv",
    "to_yaml",
]
