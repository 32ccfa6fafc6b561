"""The ``trygg`` command line. Every refusal is one Swedish sentence, never a traceback."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import date
from pathlib import Path

from trygg import auth, commitments, demo, places, settings, store
from trygg.errors import TryggError
from trygg.importers import crime_stats, incidents, survey_answers, survey_results
from trygg.scales import INCIDENT_CATEGORIES, MIN_INCIDENTS_PUBLIC, MIN_N
from trygg.stats import report
from trygg.store import batches
from trygg.strings import t


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        engine = store.make_engine(args.db)
        if args.command != "init":
            store.ensure_schema(engine)
        return args.handler(engine, args) or 0
    except TryggError as err:
        print(str(err), file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except Exception as err:
        if settings.debug():
            raise
        print(t("err.unexpected", kind=type(err).__name__, reason=err), file=sys.stderr)
        return 1

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trygg", description="Trygghetskartan: platser, medborgarlöften och trygghetsdata."
    )
    parser.add_argument(
        "--db", help="databasfil eller SQLAlchemy-URL (standard: $TRYGG_DB eller data/trygg.sqlite)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")

    cmd = sub.add_parser("init", help="skapa eller uppgradera databasen")
    cmd.set_defaults(handler=cmd_init)

    cmd = sub.add_parser("demo", help="läs in de fem demokommunerna")
    cmd.add_argument("--if-empty", action="store_true", help="bara om databasen saknar platser")
    cmd.set_defaults(handler=cmd_demo)

    cmd = sub.add_parser("kommuner", help="lista kommunerna i databasen")
    cmd.add_argument("--format", choices=["json", "text"], default="text")
    cmd.set_defaults(handler=cmd_kommuner)

    cmd = sub.add_parser("import-places", help="läs in platser (ytor) från ett kartlager")
    cmd.add_argument("file")
    _kommun(cmd)
    cmd.add_argument("--kommun-name", help="kommunens namn om den är ny")
    cmd.add_argument("--layer")
    cmd.add_argument("--name-field")
    cmd.add_argument("--alias-field")
    cmd.add_argument("--kind-field")
    cmd.add_argument("--population-field")
    cmd.add_argument("--crs", help="lagrets koordinatsystem, t.ex. EPSG:3006")
    cmd.add_argument("--replace", action="store_true", help="ersätt kommunens platser")
    cmd.add_argument("--json", action="store_true")
    cmd.set_defaults(handler=cmd_import_places)

    cmd = sub.add_parser("places", help="lista kommunens platser")
    _kommun(cmd)
    cmd.add_argument("--format", choices=["json", "text"], default="text")
    cmd.set_defaults(handler=cmd_places)

    cmd = sub.add_parser("export", help="exportera kommunens platser")
    _kommun(cmd)
    cmd.add_argument("--format", choices=["geojson"], default="geojson")
    cmd.add_argument("--out", default="-", help="fil, eller - för standard ut")
    cmd.set_defaults(handler=cmd_export)

    cmd = sub.add_parser("import-commitments", help="läs in medborgarlöften (YAML eller CSV)")
    cmd.add_argument("file")
    _kommun(cmd)
    cmd.add_argument("--json", action="store_true")
    cmd.set_defaults(handler=cmd_import_commitments)

    cmd = sub.add_parser("export-commitments", help="skriv medborgarlöften till YAML eller CSV")
    _kommun(cmd)
    cmd.add_argument("--out", required=True, help="fil som slutar på .yaml eller .csv")
    cmd.set_defaults(handler=cmd_export_commitments)

    cmd = sub.add_parser("commitments", help="lista åtaganden")
    _kommun(cmd)
    cmd.add_argument("--place", help="bara åtaganden knutna till platsen (namn eller alias)")
    cmd.add_argument("--format", choices=["json", "text"], default="text")
    cmd.set_defaults(handler=cmd_commitments)

    cmd = sub.add_parser("follow-up", help="registrera en uppföljning av ett åtagande")
    cmd.add_argument("commitment_id", type=int)
    cmd.add_argument("--status", required=True)
    cmd.add_argument("--comment", default="")
    cmd.add_argument("--date", default=None, help="ÅÅÅÅ-MM-DD (standard: i dag)")
    cmd.set_defaults(handler=cmd_follow_up)

    cmd = _table_import(
        sub,
        "import-survey",
        "läs in enkätsvar (CSV, Excel, ODS)",
        cmd_import_survey,
        "'Trygghetsenkät 2024'",
        crs=True,
    )
    cmd.add_argument("--year", type=int, help="enkätåret om filen saknar kolumnen År")
    cmd.add_argument("--kommun-wide", action="store_true", help="svar utan plats")
    cmd.add_argument(
        "--force", action="store_true", help="importera även om svaren redan finns i en batch"
    )
    _table_import(
        sub,
        "import-survey-results",
        "läs in resultat per område (index, %%)",
        cmd_import_survey_results,
        "'Polisens trygghetsmätning 2024' eller 'NTU'",
    )
    _table_import(
        sub,
        "import-incidents",
        "läs in händelser (CSV, XLSX, GeoJSON)",
        cmd_import_incidents,
        "'EST vecka 12'",
        crs=True,
    )
    _table_import(
        sub,
        "import-crime-stats",
        "läs in anmälda brott (BRÅ-tabeller)",
        cmd_import_crime_stats,
        "'BRÅ anmälda brott 2024'",
    )

    cmd = sub.add_parser("hotspots", help="hot spots (Getis-Ord Gi*) på rutnät och platser")
    _kommun(cmd)
    _period(cmd)
    cmd.add_argument("--category", choices=list(INCIDENT_CATEGORIES))
    cmd.add_argument("--cell", type=float, default=100.0, help="rutstorlek i meter")
    cmd.add_argument("--fdr", action="store_true", help="korrigera för många tester (FDR)")
    cmd.add_argument("--emerging", action="store_true", help="trend per kvartal (Mann-Kendall)")
    cmd.add_argument("--public", action="store_true", help="dölj rutor med färre än --k")
    cmd.add_argument("--k", type=int, default=MIN_INCIDENTS_PUBLIC)
    cmd.add_argument("--format", choices=["geojson", "json"], default="geojson")
    cmd.set_defaults(handler=cmd_hotspots)

    cmd = sub.add_parser("time-profile", help="när händelser sker: timme × veckodag, månad")
    _kommun(cmd)
    _period(cmd)
    cmd.add_argument("--place", help="plats (namn eller alias); utan: hela kommunen")
    cmd.add_argument("--category", choices=list(INCIDENT_CATEGORIES))
    cmd.add_argument("--public", action="store_true")
    cmd.add_argument("--k", type=int, default=MIN_INCIDENTS_PUBLIC)
    cmd.add_argument("--format", choices=["json"], default="json")
    cmd.set_defaults(handler=cmd_time_profile)

    cmd = sub.add_parser("stats", help="trygghetstal och händelser per plats")
    _kommun(cmd)
    _period(cmd)
    cmd.add_argument("--public", action="store_true", help="dölj händelseantal under --k")
    cmd.add_argument("--k", type=int, default=MIN_INCIDENTS_PUBLIC)
    cmd.add_argument("--min-n", type=int, default=MIN_N, help=f"minsta n (standard {MIN_N})")
    cmd.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
    cmd.add_argument("--out", help="fil att skriva till (krävs för xlsx; standard: standard ut)")
    cmd.set_defaults(handler=cmd_stats)

    for name, text in (
        ("rollback", "rulla tillbaka en import"),
        ("restore", "återställ en import"),
    ):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("batch_id", type=int)
        cmd.add_argument("--json", action="store_true")
        cmd.set_defaults(handler=cmd_batch_status, status=STATUS_FOR[name])

    cmd = sub.add_parser("batches", help="lista importer (batcher)")
    _kommun(cmd)
    cmd.add_argument("--format", choices=["json", "text"], default="text")
    cmd.set_defaults(handler=cmd_batches)
    _user_commands(sub)
    return parser

def _user_commands(sub) -> None:
    """add-user, passwd, users, remove-user: the coordinators who may log in."""
    cmd = sub.add_parser("add-user", help=t("cli.help_add_user"))
    cmd.add_argument("name", metavar="NAMN")
    cmd.add_argument(
        "--kommun", action="append", default=[], metavar="KOD", help=t("cli.help_user_kommun")
    )
    cmd.add_argument("--admin", action="store_true", help=t("cli.help_admin"))
    cmd.add_argument("--email", help=t("cli.help_email"))
    cmd.set_defaults(handler=cmd_add_user)

    cmd = sub.add_parser("passwd", help=t("cli.help_passwd"))
    cmd.add_argument("name", metavar="NAMN")
    cmd.set_defaults(handler=cmd_passwd)

    cmd = sub.add_parser("users", help=t("cli.help_users"))
    cmd.add_argument("--format", choices=["json", "text"], default="text")
    cmd.set_defaults(handler=cmd_users)

    cmd = sub.add_parser("remove-user", help=t("cli.help_remove_user"))
    cmd.add_argument("name", metavar="NAMN")
    cmd.set_defaults(handler=cmd_remove_user)

STATUS_FOR = {"rollback": batches.ROLLED_BACK, "restore": batches.ACTIVE}

def _table_import(sub, name: str, text: str, handler, source_example: str, crs: bool = False):
    """A row importer's command: FILE, --kommun, --mapping, --source, [--crs], --json."""
    cmd = sub.add_parser(name, help=text)
    cmd.add_argument("file")
    _kommun(cmd)
    cmd.add_argument("--mapping", help="JSON/YAML: kanoniskt namn → rubrik i filen")
    cmd.add_argument("--source", help=f"varifrån filen kommer, t.ex. {source_example}")
    if crs:
        cmd.add_argument("--crs", help="koordinatsystem för x/y (standard EPSG:3006)")
    cmd.add_argument("--json", action="store_true")
    cmd.set_defaults(handler=handler)
    return cmd

def _period(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--year", type=int, help="kalenderår (standard: det senaste med data)")
    cmd.add_argument("--from", dest="start", type=_date_arg, help="första dag, ÅÅÅÅ-MM-DD")
    cmd.add_argument("--to", dest="end", type=_date_arg, help="sista dag, ÅÅÅÅ-MM-DD")

def _date_arg(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} är inte ett datum ÅÅÅÅ-MM-DD") from None

def _kommun(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--kommun", required=True, help="kommunkod, fyra siffror (t.ex. 0683)")

def _print_json(value, compact: bool = False) -> None:
    """JSON on standard out; large map layers compact, everything else readable."""
    if compact:
        print(json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str))
    else:
        print(json.dumps(value, ensure_ascii=False, indent=2, default=str))

def cmd_init(engine, _args) -> None:
    revision = store.upgrade(engine)
    print(
        f"Databasen är klar ({engine.url.render_as_string(hide_password=True)}, schema {revision})."
    )

def cmd_demo(engine, args) -> None:
    if args.if_empty and not demo.is_empty(engine):
        print("Databasen har redan platser; demodata lästes inte in igen.")
        return
    demo.load_demo(engine, progress=print)

def cmd_kommuner(engine, args) -> None:
    rows = store.list_kommuner(engine)
    if args.format == "json":
        _print_json(rows)
    for row in rows if args.format == "text" else []:
        print(f"{row['kod']}  {row['namn']}  ({row['places']} platser)")

def cmd_import_places(engine, args) -> None:
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
        print(f"Varning: {warning}", file=sys.stderr)
    print(
        f"{result['places']} platser sparade för kommun {result['kommun']} "
        f"(batch {result['batch_id']})."
    )

def cmd_places(engine, args) -> None:
    with engine.connect() as connection:
        store.require_kommun(connection, args.kommun)
    frame = places.load_places(engine, args.kommun)
    rows = [places.place_properties(row) for row in frame.itertuples()]
    if args.format == "json":
        _print_json(rows)
        return
    for row in rows:
        print(f"{row['id']:>4}  {row['name']}  ({row['kind']}, {row['area_km2']} km²)")

def cmd_export(engine, args) -> None:
    with engine.connect() as connection:
        store.require_kommun(connection, args.kommun)
    text = json.dumps(places.export_geojson(engine, args.kommun), ensure_ascii=False)
    if args.out == "-":
        print(text)
    else:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text)

def cmd_import_commitments(engine, args) -> None:
    result = commitments.import_commitments(
        engine, args.file, args.kommun, actor=auth.local_admin()
    )
    if args.json:
        _print_json(result)
        return
    state = " (filen var redan inläst; inget ändrades)" if result["unchanged"] else ""
    print(
        f"{result['commitments']} åtaganden i {result['medborgarloften']} medborgarlöften "
        f"sparade för kommun {result['kommun']}{state}."
    )

def cmd_export_commitments(engine, args) -> None:
    count = commitments.export_commitments(engine, args.kommun, args.out)
    print(f"{count} åtaganden skrivna till {args.out}.", file=sys.stderr)

def cmd_commitments(engine, args) -> None:
    rows = commitments.list_commitments(engine, args.kommun, args.place)
    if args.format == "json":
        _print_json(rows)
        return
    for row in rows:
        where = ", ".join(row["places"]) or "hela kommunen"
        print(f"[{row['party']}] {row['text']} — {where} ({row['status']})")

def cmd_follow_up(engine, args) -> None:
    when = commitments.parse_date_arg(args.date) if args.date else date.today()
    follow_id = commitments.record_follow_up(
        engine,
        args.commitment_id,
        status=args.status,
        comment=args.comment,
        when=when,
        actor=auth.local_admin(),
    )
    print(f"Uppföljning {follow_id} sparad.")

def cmd_batches(engine, args) -> None:
    rows = batches.list_batches(engine, args.kommun)
    if args.format == "json":
        _print_json(rows)
        return
    for row in rows:
        print(
            f"{row['id']:>4}  {row['uploaded_at']}  {row['kind']:<12} {row['file_name']}  "
            f"{row['rows_accepted']}/{row['rows_total']}  {row['status']}"
        )

def cmd_import_survey(engine, args) -> None:
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
        actor=auth.local_admin(),
    )
    duplicates = result.get("duplicates")
    if duplicates and not args.json:
        batch_ids = ", ".join(map(str, duplicates["batch_ids"]))
        message = t("exports.duplicates_forced", count=duplicates["count"], batch_ids=batch_ids)
        print(message, file=sys.stderr)
    _print_row_import(result, args.json)

def cmd_import_survey_results(engine, args) -> None:
    result = survey_results.import_survey_results(
        engine,
        args.file,
        args.kommun,
        mapping=args.mapping,
        source=args.source,
        actor=auth.local_admin(),
    )
    _print_row_import(result, args.json)

def _print_row_import(result: dict, as_json: bool) -> None:
    if as_json:
        _print_json(result)
        return
    for error in result["errors"]:
        print(
            f"Rad {error['row']}, kolumn {error['column']!r}, värde {error['value']!r}: "
            f"{error['message']}",
            file=sys.stderr,
        )
    print(
        f"Batch {result['batch_id']}: {result['rows']} rader, {result['accepted']} sparade, "
        f"{result['rejected']} avvisade ({result['unresolved']} utan plats)."
    )

def cmd_stats(engine, args) -> None:
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
        Path(args.out).write_bytes(report.to_xlsx(figures))
    elif args.format == "csv":
        _write_text(report.to_csv(figures), args.out)
    else:
        _write_text(json.dumps(figures, ensure_ascii=False, indent=2, default=str) + "\n", args.out)

def _write_text(text: str, out: str | None) -> None:
    """Text to the file ``out``, or to standard out when it is None or ``-``."""
    if not out or out == "-":
        sys.stdout.write(text)
    else:
        Path(out).write_text(text, encoding="utf-8")

def cmd_batch_status(engine, args) -> None:
    result = batches.set_status(engine, args.batch_id, args.status, actor=auth.local_admin())
    if args.json:
        _print_json(result)
        return
    word = "aktiv igen" if args.status == batches.ACTIVE else "tillbakarullad (data finns kvar)"
    print(f"Batch {result['id']} ({result['file_name']}) är nu {word}.")

def cmd_import_incidents(engine, args) -> None:
    result = incidents.import_incidents(
        engine,
        args.file,
        args.kommun,
        mapping=args.mapping,
        source=args.source,
        crs=args.crs,
        actor=auth.local_admin(),
    )
    _print_row_import(result, args.json)

def cmd_import_crime_stats(engine, args) -> None:
    result = crime_stats.import_crime_stats(
        engine,
        args.file,
        args.kommun,
        mapping=args.mapping,
        source=args.source,
        actor=auth.local_admin(),
    )
    _print_row_import(result, args.json)

def cmd_hotspots(engine, args) -> None:
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
    )
    _print_json(result["grid"] if args.format == "geojson" else result, compact=True)

def cmd_time_profile(engine, args) -> None:
    _print_json(
        report.time_profile(
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
    )

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
        email = f"  <{user['email']}>" if user["email"] else ""
        changed = t("cli.user_changed", when=user["changed_at"])
        print(f"{user['name']}{email}  {_scope(user)}  ({changed})")

def cmd_remove_user(engine, args) -> None:
    auth.remove_user(engine, args.name)
    print(t("cli.user_removed", name=args.name))

def _scope(user: dict) -> str:
    if user["admin"]:
        return t("cli.scope_admin")
    return t("cli.scope_kommuner", kommuner=", ".join(user["kommuner"]))
