"""What each ``trygg`` command does: call the core, print the result.

Every printed sentence comes from the catalogue (:func:`trygg.strings.t`); a refusal is
one Swedish sentence on standard error and exit code 1, never a traceback. The heavy
core (geopandas, esda, pandas through the importers and reports) is imported inside the
handler that needs it, so ``trygg batches`` or ``trygg places`` starts without it.
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import json
import sys
from datetime import date
from pathlib import Path

from trygg import auth, settings, store
from trygg.cli.output import print_json as _print_json
from trygg.cli.output import print_refusal as _print_refusal
from trygg.cli.output import print_row_errors as _print_row_errors
from trygg.cli.output import write_text as _write_text
from trygg.errors import TryggError
from trygg.store import batches
from trygg.strings import t


def _handler(name: str):
    """``cmd_x`` of this module, or ``module:cmd_x`` of ``trygg.cli.module`` (imported now)."""
    if ":" not in name:
        return globals()[name]
    module, function = name.split(":", 1)
    return getattr(importlib.import_module(f"trygg.cli.{module}"), function)


def run(args: argparse.Namespace) -> int:
    """Open the store, bring its schema up to date and run ``args.handler``; the exit code.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed by :func:`trygg.cli.parser.build_parser`; ``args.handler`` names a
        function of this module.

    Returns
    -------
    int
        0 on success, 1 after a refusal (printed as one sentence on standard error and,
        under ``--json`` or ``--format json``, as ``{"refused": true, "message": …}`` on
        standard out).
    """
    try:
        engine = store.make_engine(args.db)
        if args.command != "init":
            store.ensure_schema(engine)
        return _handler(args.handler)(engine, args) or 0
    except TryggError as err:
        print(str(err), file=sys.stderr)
        _print_refusal(args, str(err), getattr(err, "error_groups", None))
        return 1
    except BrokenPipeError:
        return 0
    except Exception as err:
        if settings.debug():
            raise
        message = t("err.unexpected", kind=type(err).__name__, reason=err)
        print(message, file=sys.stderr)
        _print_refusal(args, message, None)
        return 1


# --- The store and the demo ----------------------------------------------------------


def cmd_init(engine, _args) -> None:
    revision = store.upgrade(engine)
    url = engine.url.render_as_string(hide_password=True)
    print(t("cli.db_ready", url=url, revision=revision))


def cmd_demo(engine, args) -> None:
    from trygg import demo

    if args.if_empty and not demo.is_empty(engine):
        print(t("cli.demo_skipped"))
        return
    demo.load_demo(engine, progress=print)


def cmd_kommuner(engine, args) -> None:
    rows = store.list_kommuner(engine)
    if args.format == "json":
        _print_json(rows)
        return
    for row in rows:
        print(t("cli.kommun_row", **row))


# --- Places --------------------------------------------------------------------------


def cmd_import_places(engine, args) -> None:
    from trygg import places

    result = places.import_places(
        engine,
        args.file,
        args.kommun,
        actor=auth.local_admin(),
        layer=args.layer,
        name_field=args.name_field,
        alias_field=args.alias_field,
        kind_field=args.kind_field,
        population_field=args.population_field,
        crs=args.crs,
        replace=args.replace,
        kommun_name=args.kommun_name,
    )
    if args.json:
        _print_json(result)
        return
    for warning in result["warnings"]:
        print(t("cli.warning", warning=warning), file=sys.stderr)
    print(t("cli.places_saved", **result))


def cmd_places(engine, args) -> None:
    from trygg import places

    with engine.connect() as connection:
        store.require_kommun(connection, args.kommun)
    rows = places.list_places(engine, args.kommun)
    if args.format == "json":
        _print_json(rows)
        return
    for row in rows:
        print(t("cli.place_row", **row))


def cmd_export(engine, args) -> None:
    from trygg import places

    with engine.connect() as connection:
        store.require_kommun(connection, args.kommun)
    text = json.dumps(places.export_geojson(engine, args.kommun), ensure_ascii=False)
    if args.out == "-":
        print(text)
    else:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text)


# --- Medborgarlöften -----------------------------------------------------------------


def cmd_import_commitments(engine, args) -> None:
    from trygg import commitments

    result = commitments.import_commitments(
        engine, args.file, args.kommun, actor=auth.local_admin()
    )
    if args.json:
        _print_json(result)
        return
    key = "cli.commitments_unchanged" if result["unchanged"] else "cli.commitments_saved"
    print(t(key, **result))


def cmd_export_commitments(engine, args) -> None:
    from trygg import commitments

    count = commitments.export_commitments(engine, args.kommun, args.out)
    print(t("cli.commitments_written", count=count, out=args.out), file=sys.stderr)


def cmd_commitments(engine, args) -> None:
    from trygg import commitments

    rows = commitments.list_commitments(engine, args.kommun, args.place)
    if args.format == "json":
        _print_json(rows)
        return
    for row in rows:
        where = ", ".join(row["places"]) or t("cli.whole_kommun")
        print(
            t(
                "cli.commitment_row",
                party=row["party"],
                text=row["text"],
                where=where,
                status=row["status"],
            )
        )


def cmd_follow_up(engine, args) -> None:
    from trygg import commitments

    when = commitments.parse_date_arg(args.date) if args.date else date.today()
    follow_id = commitments.record_follow_up(
        engine,
        args.commitment_id,
        status=args.status,
        comment=args.comment,
        when=when,
        actor=auth.local_admin(),
    )
    print(t("cli.follow_up_saved", id=follow_id))


# --- Imports of rows, and their batches ----------------------------------------------


def cmd_import_survey(engine, args) -> None:
    from trygg.importers import survey_answers

    result = survey_answers.import_survey(
        engine,
        args.file,
        args.kommun,
        year=args.year,
        mapping=args.mapping,
        source=args.source,
        crs=args.crs,
        kommun_wide=args.kommun_wide,
        allow_duplicates=args.force,
        force=args.force,
        actor=auth.local_admin(),
    )
    duplicates = result.get("duplicates")
    if duplicates and not args.json:
        batch_ids = ", ".join(map(str, duplicates["batch_ids"]))
        message = t("exports.duplicates_forced", count=duplicates["count"], batch_ids=batch_ids)
        print(message, file=sys.stderr)
    _print_row_import(result, args.json)


def cmd_import_survey_results(engine, args) -> None:
    from trygg.importers import survey_results

    result = survey_results.import_survey_results(
        engine,
        args.file,
        args.kommun,
        mapping=args.mapping,
        source=args.source,
        actor=auth.local_admin(),
        year=args.year,
    )
    _print_row_import(result, args.json)


def cmd_import_incidents(engine, args) -> None:
    from trygg.importers import incidents

    result = incidents.import_incidents(
        engine,
        args.file,
        args.kommun,
        mapping=args.mapping,
        source=args.source,
        crs=args.crs,
        force=args.force,
        actor=auth.local_admin(),
    )
    _print_row_import(result, args.json)


def cmd_import_crime_stats(engine, args) -> None:
    from trygg.importers import crime_stats

    result = crime_stats.import_crime_stats(
        engine,
        args.file,
        args.kommun,
        mapping=args.mapping,
        source=args.source,
        year=args.year,
        actor=auth.local_admin(),
    )
    _print_row_import(result, args.json)


def _print_row_import(result: dict, as_json: bool) -> None:
    """The import's JSON, or its warnings and row errors (one line per group of the same
    column and message) on standard error and a summary line."""
    if as_json:
        _print_json(result)
        return
    _print_row_errors(result)
    print(t("cli.rows_imported", **result))
    if "counted" in result:  # incidents: what counts for the kommun, and what does not
        print(t("cli.incidents_counted", **result["precision"], **result["excluded"], **result))


def cmd_batches(engine, args) -> None:
    rows = batches.list_batches(engine, args.kommun)
    if args.format == "json":
        _print_json(rows)
        return
    for row in rows:
        print(t("cli.batch_row", **row))


def cmd_rollback(engine, args) -> None:
    _set_batch_status(engine, args, batches.ROLLED_BACK, "cli.batch_rolled_back")


def cmd_restore(engine, args) -> None:
    _set_batch_status(engine, args, batches.ACTIVE, "cli.batch_restored")


def _set_batch_status(engine, args, status: str, sentence: str) -> None:
    result = batches.set_status(engine, args.batch_id, status, actor=auth.local_admin())
    if args.json:
        _print_json(result)
        return
    print(t(sentence, id=result["id"], file_name=result["file_name"]))


# --- Figures -------------------------------------------------------------------------


def cmd_stats(engine, args) -> None:
    from trygg.stats import report, tables

    figures = report.place_figures(
        engine,
        args.kommun,
        args.year,
        start=args.start,
        end=args.end,
        min_n=args.min_n,
        public=args.public,
        k=args.k,
    )
    if args.format == "xlsx":
        if not args.out or args.out == "-":
            raise TryggError(t("exports.xlsx_needs_out"))
        Path(args.out).write_bytes(tables.to_xlsx(figures))
    elif args.format == "csv":
        _write_text(tables.to_csv(figures), args.out)
    else:
        _write_text(json.dumps(figures, ensure_ascii=False, indent=2, default=str) + "\n", args.out)


def cmd_hotspots(engine, args) -> None:
    from trygg.stats import report

    result = report.hotspots(
        engine,
        args.kommun,
        year=args.year,
        start=args.start,
        end=args.end,
        category=args.category,
        cell=args.cell,
        fdr=args.fdr,
        emerging=args.emerging,
        public=args.public,
        k=args.k,
        band=args.band,
        days=args.days,
        permutations=args.permutations,
    )
    _print_json(result["grid"] if args.format == "geojson" else result, compact=True)


def cmd_time_profile(engine, args) -> None:
    from trygg.stats import report

    profile = report.time_profile(
        engine,
        args.kommun,
        year=args.year,
        start=args.start,
        end=args.end,
        place=args.place,
        category=args.category,
        public=args.public,
        k=args.k,
    )
    _print_json(profile)


# --- Users ---------------------------------------------------------------------------


def read_password(name: str, stream=None) -> str:
    """The new password: asked twice at a terminal, else the first line of standard in."""
    stream = stream or sys.stdin
    if stream.isatty():
        first = getpass.getpass(t("cli.password_prompt", name=name))
        if getpass.getpass(t("cli.password_again")) != first:
            raise TryggError(t("auth.password_mismatch"))
        return first
    line = stream.readline()
    if not line:
        raise TryggError(t("auth.password_missing"))
    return line.rstrip("\r\n")


def cmd_add_user(engine, args) -> None:
    auth.check_new_user(engine, args.name, kommuner=args.kommun, admin=args.admin, email=args.email)
    user = auth.add_user(
        engine,
        args.name,
        read_password(args.name),
        kommuner=args.kommun,
        admin=args.admin,
        email=args.email,
    )
    print(t("cli.user_added", name=user["name"], scope=_scope(user)))


def cmd_passwd(engine, args) -> None:
    if auth.load_actor(engine, args.name) is None:
        raise TryggError(t("auth.user_unknown", name=args.name))
    auth.set_password(engine, args.name, read_password(args.name))
    print(t("cli.password_set", name=args.name))


def cmd_users(engine, args) -> None:
    users = auth.list_users(engine)
    if args.format == "json":
        _print_json(users)
        return
    if not users:
        print(t("cli.no_users"))
    for user in users:
        email = t("cli.user_email", email=user["email"]) if user["email"] else ""
        changed = t("cli.user_changed", when=user["changed_at"])
        print(
            t("cli.user_row", name=user["name"], email=email, scope=_scope(user), changed=changed)
        )


def cmd_remove_user(engine, args) -> None:
    auth.remove_user(engine, args.name)
    print(t("cli.user_removed", name=args.name))


def _scope(user: dict) -> str:
    if user["admin"]:
        return t("cli.scope_admin")
    return t("cli.scope_kommuner", kommuner=", ".join(user["kommuner"]))
