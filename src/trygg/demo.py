"""The demo: five real medborgarlöften with approximate demo places.

Commitments, places and dates come from the source documents (``shared/seeds``); the
follow-ups marked ``demo`` and every survey answer and incident count are synthetic.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, func, select

from trygg.commitments import import_commitments
from trygg.places import import_places
from trygg.scales import DEMO_KOMMUNER
from trygg.store import ensure_schema, schema

DEMO_DIR_ENV = "TRYGG_DEMO_DIR"
DEMO_USER = "demo"


def demo_dir() -> Path:
    """The folder holding ``<kod>_<namn>/`` demo folders (the repo's ``geodata/``)."""
    configured = os.environ.get(DEMO_DIR_ENV)
    return Path(configured) if configured else Path(__file__).resolve().parents[2] / "geodata"


def is_empty(engine: Engine) -> bool:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(schema.place)).scalar() == 0


def load_demo(engine: Engine, progress: Callable[[str], None] = lambda _msg: None) -> list[dict]:
    """Load (or refresh) the five demo kommuner; running it again adds no duplicates."""
    ensure_schema(engine)
    loaded = []
    for folder in sorted(demo_dir().glob("[0-9][0-9][0-9][0-9]_*")):
        kod = folder.name[:4]
        namn = DEMO_KOMMUNER.get(kod)
        places = import_places(
            engine,
            folder / "places.geojson",
            kod,
            replace=True,
            kommun_name=namn,
            uploaded_by=DEMO_USER,
        )
        commitments = import_commitments(
            engine, folder / "medborgarlofte.yaml", kod, uploaded_by=DEMO_USER
        )
        progress(
            f"{kod} {namn}: {places['places']} platser, "
            f"{commitments['commitments']} åtaganden"
            + (" (oförändrat)" if places.get("unchanged") and commitments["unchanged"] else "")
        )
        loaded.append(
            {
                "kommun": kod,
                "namn": namn,
                "places": places["places"],
                "commitments": commitments["commitments"],
            }
        )
    return loaded
