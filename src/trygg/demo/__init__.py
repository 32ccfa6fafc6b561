"""The demo: five real medborgarlöften with approximate demo places.

Commitments, places and dates come from the source documents (``shared/seeds``); the
follow-ups marked ``demo`` and every survey answer and incident count are synthetic.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, func, select

from trygg import settings
from trygg.auth import Actor
from trygg.commitments.store import import_commitments
from trygg.demo.context import load_demo_context
from trygg.importers import incidents, survey_answers
from trygg.places import import_places
from trygg.scales import DEMO_KOMMUNER
from trygg.store import batches, ensure_schema, schema
from trygg.store.batches import DEMO_USER, SYNTHETIC_SOURCE_PREFIX
from trygg.strings import t

SYNTHETIC_SOURCE = SYNTHETIC_SOURCE_PREFIX + " ({script}, seed {seed})"

#: Who ``trygg demo`` imports as: its batches are recognised as demo data by this name.
DEMO_ACTOR = Actor(name=DEMO_USER, admin=True)


def repo_dir() -> Path:
    """The checkout holding ``geodata/`` and ``surveys/`` (the package is installed editable)."""
    return settings.demo_dir_setting() or Path(__file__).resolve().parents[3]


def demo_dir() -> Path:
    """The folder holding ``<kod>_<namn>/`` demo folders (the repo's ``geodata/``)."""
    return repo_dir() / "geodata"


def _generator(relative: str):
    """Load a seeded generator script shipped in the repo (``surveys/``, ``geodata/``)."""
    path = repo_dir() / relative
    spec = importlib.util.spec_from_file_location(f"trygg_demo_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


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
            actor=DEMO_ACTOR,
        )
        commitments = import_commitments(
            engine, folder / "medborgarlofte.yaml", kod, actor=DEMO_ACTOR
        )
        unchanged = places.get("unchanged") and commitments["unchanged"]
        progress(
            t(
                "demo.kommun_unchanged" if unchanged else "demo.kommun_loaded",
                kod=kod,
                namn=namn,
                places=places["places"],
                commitments=commitments["commitments"],
            )
        )
        loaded.append(
            {
                "kommun": kod,
                "namn": namn,
                "places": places["places"],
                "commitments": commitments["commitments"],
            }
        )
    load_demo_context(engine, DEMO_ACTOR, progress)
    _load_synthetic(engine, progress)
    return loaded


SYNTHETIC_DATA = (
    (
        "surveys/generate_demo.py",
        survey_answers.import_survey,
        survey_answers.BATCH_KIND,
        "demo.answers_loaded",
    ),
    (
        "geodata/generate_incidents.py",
        incidents.import_incidents,
        incidents.BATCH_KIND,
        "demo.incidents_loaded",
    ),
)


def _load_synthetic(engine: Engine, progress: Callable[[str], None]) -> None:
    """Generate the seeded synthetic files and import them through the real importers."""
    for script, importer, kind, loaded in SYNTHETIC_DATA:
        generator = _generator(script)
        source = SYNTHETIC_SOURCE.format(script=script, seed=generator.DEFAULT_SEED)
        with tempfile.TemporaryDirectory() as folder:
            for item in generator.generate(Path(folder)):
                path = Path(item["path"])
                with engine.connect() as connection:
                    copy = batches.find_active_copy(
                        connection, item["kommun"], kind, batches.sha256(path.read_bytes())
                    )
                if copy is not None:
                    kommun = item["kommun"]
                    progress(t("demo.file_present", kommun=kommun, file=path.name, batch_id=copy))
                    continue
                result = importer(engine, path, item["kommun"], source=source, actor=DEMO_ACTOR)
                counts = {"accepted": result["accepted"], "rows": result["rows"]}
                progress(t(loaded, kommun=item["kommun"], file=path.name, **counts))
