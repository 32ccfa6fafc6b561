"""``trygg import-context``: a kommun's own GIS layers beneath the places."""

from __future__ import annotations

from trygg import auth
from trygg.cli.output import print_json


def cmd_import_context(engine, args) -> None:
    from trygg.importers import context

    options = {"kind": args.kind, "layer": args.layer, "crs": args.crs, "source": args.source}
    options["actor"] = auth.local_admin()
    result = context.import_context(engine, args.file, args.kommun, **options)
    print_json(result) if args.json else print(context.summary(result))
