"""The ``trygg`` commands as one table: name, help, arguments and handler.

Every help text, metavar and argparse sentence comes from the catalogue
(:func:`trygg.strings.t`), argparse's own included: :class:`Parser` swaps argparse's
``gettext`` hook for the catalogue while it builds, parses and formats. This module
imports only the standard library and the ground floor, so ``trygg --help`` starts in a
blink; the handlers (:mod:`trygg.cli.commands`) are named here and imported after parsing.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from trygg.scales import DAY_TYPES, INCIDENT_CATEGORIES, MIN_INCIDENTS_PUBLIC, MIN_N, TIME_BANDS
from trygg.strings import t

#: argparse's English messages (its gettext msgids, Python 3.11) → catalogue keys.
ARGPARSE_MESSAGES = {
    "usage: ": "cli.argparse_usage",
    "positional arguments": "cli.argparse_positionals",
    "options": "cli.argparse_options",
    "show this help message and exit": "cli.argparse_help",
    "the following arguments are required: %s": "cli.argparse_required",
    "unrecognized arguments: %s": "cli.argparse_unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "cli.argparse_invalid_choice",
    "invalid %(type)s value: %(value)r": "cli.argparse_invalid_value",
    "argument %(argument_name)s: %(message)s": "cli.argparse_argument",
    "expected one argument": "cli.argparse_expected_one",
    "ambiguous option: %(option)s could match %(matches)s": "cli.argparse_ambiguous",
    "ignored explicit argument %r": "cli.argparse_ignored_value",
}

#: The exit code of a mistyped command line (argparse's, unchanged): data refusals give 1.
USAGE_EXIT = 2


def _translate(message: str) -> str:
    key = ARGPARSE_MESSAGES.get(message)
    return t(key) if key else message


@contextmanager
def catalogue_messages() -> Iterator[None]:
    """argparse's gettext hook pointed at the catalogue, for the ``with`` block only."""
    saved = argparse._
    argparse._ = _translate
    try:
        yield
    finally:
        argparse._ = saved


class Parser(argparse.ArgumentParser):
    """argparse in the catalogue's words; a usage error is one line and exit code 2."""

    def __init__(self, *args, **kwargs):
        with catalogue_messages():
            super().__init__(*args, **kwargs)

    def parse_args(self, args=None, namespace=None):
        with catalogue_messages():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):
        with catalogue_messages():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with catalogue_messages():
            return super().format_usage()

    def format_help(self) -> str:
        with catalogue_messages():
            return super().format_help()

    def error(self, message: str):
        """One sentence naming the mistake and the help to read, instead of the usage."""
        self.exit(USAGE_EXIT, t("cli.usage_error", prog=self.prog, message=message) + "\n")


def integer(value: str) -> int:
    """An argparse type: a whole number, refused in the catalogue's words."""
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.not_an_integer", value=value)) from None


def non_negative(value: str) -> int:
    """An argparse type: a whole number ≥ 0, refused in the catalogue's words."""
    whole = integer(value)
    if whole < 0:
        raise argparse.ArgumentTypeError(t("cli.not_a_count", value=value))
    return whole


def number(value: str) -> float:
    """An argparse type: a number with a decimal point or comma (``100``, ``12,5``)."""
    try:
        return float(value.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.not_a_number", value=value)) from None


def iso_date(value: str) -> date:
    """An argparse type: a date ÅÅÅÅ-MM-DD."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.not_a_date", value=value)) from None


@dataclass(frozen=True)
class Option:
    """One argument of a command; ``help`` and ``metavar`` are catalogue keys."""

    flags: tuple[str, ...]
    help: str | None = None
    metavar: str | None = None
    keywords: dict = field(default_factory=dict)

    def add_to(self, parser: argparse.ArgumentParser) -> None:
        extra = {"help": t(self.help)} if self.help else {}
        if self.metavar:
            extra["metavar"] = t(self.metavar)
        parser.add_argument(*self.flags, **self.keywords, **extra)


def opt(*flags: str, help: str | None = None, metavar: str | None = None, **keywords) -> Option:
    """An :class:`Option`: argparse's flags and keywords, help and metavar as keys."""
    return Option(flags, help, metavar, keywords)


@dataclass(frozen=True)
class Command:
    """A subcommand: its name, help key, arguments and handler in :mod:`.commands`."""

    name: str
    help: str
    handler: str
    options: tuple[Option, ...] = ()


FILE = opt("file", help="cli.opt_file", metavar="cli.mv_file")
KOMMUN = opt("--kommun", required=True, help="cli.opt_kommun", metavar="cli.mv_kommun")
JSON = opt("--json", action="store_true", help="cli.opt_json")
LISTING = opt("--format", choices=["json", "text"], default="text", help="cli.opt_format")
PERIOD = (
    opt("--year", type=integer, help="cli.opt_year", metavar="cli.mv_year"),
    opt("--from", dest="start", type=iso_date, help="cli.opt_from", metavar="cli.mv_date"),
    opt("--to", dest="end", type=iso_date, help="cli.opt_to", metavar="cli.mv_date"),
)
CATEGORY = opt("--category", choices=list(INCIDENT_CATEGORIES), help="cli.opt_category")
K = opt(
    "--k", type=integer, default=MIN_INCIDENTS_PUBLIC, help="cli.opt_k", metavar="cli.mv_number"
)
BATCH_ID = opt("batch_id", type=integer, help="cli.opt_batch_id", metavar="cli.mv_batch_id")
USER_NAME = opt("name", help="cli.opt_user_name", metavar="cli.mv_name")


def table_import(name: str, handler: str, source: str, *extra: Option, crs: bool = False):
    """A row importer: FILE, --kommun, --mapping, --source, [--crs], --json and ``extra``."""
    options = [
        FILE,
        KOMMUN,
        opt("--mapping", help="cli.opt_mapping", metavar="cli.mv_mapping"),
        opt("--source", help=source, metavar="cli.mv_text"),
    ]
    if crs:
        options.append(opt("--crs", help="cli.opt_xy_crs", metavar="cli.mv_crs"))
    key = name.replace("-", "_")
    return Command(name, f"cli.help_{key}", handler, (*options, *extra, JSON))


COMMANDS: tuple[Command, ...] = (
    Command("init", "cli.help_init", "cmd_init"),
    Command(
        "demo",
        "cli.help_demo",
        "cmd_demo",
        (opt("--if-empty", action="store_true", help="cli.opt_if_empty"),),
    ),
    Command("kommuner", "cli.help_kommuner", "cmd_kommuner", (LISTING,)),
    Command(
        "import-places",
        "cli.help_import_places",
        "cmd_import_places",
        (
            FILE,
            KOMMUN,
            opt("--kommun-name", help="cli.opt_kommun_name", metavar="cli.mv_name"),
            opt("--layer", help="cli.opt_layer", metavar="cli.mv_layer"),
            opt("--name-field", help="cli.opt_name_field", metavar="cli.mv_field"),
            opt("--alias-field", help="cli.opt_alias_field", metavar="cli.mv_field"),
            opt("--kind-field", help="cli.opt_kind_field", metavar="cli.mv_field"),
            opt("--population-field", help="cli.opt_population_field", metavar="cli.mv_field"),
            opt("--crs", help="cli.opt_layer_crs", metavar="cli.mv_crs"),
            opt("--replace", action="store_true", help="cli.opt_replace"),
            JSON,
        ),
    ),
    Command("places", "cli.help_places", "cmd_places", (KOMMUN, LISTING)),
    Command(
        "import-context",
        "cli.help_import_context",
        "layers:cmd_import_context",
        (
            FILE,
            KOMMUN,
            opt(
                "--kind",
                required=True,
                choices=["grans", "vatten", "vag", "bebyggelse"],
                help="cli.opt_context_kind",
            ),
            opt("--layer", help="cli.opt_layer", metavar="cli.mv_layer"),
            opt("--crs", help="cli.opt_layer_crs", metavar="cli.mv_crs"),
            opt("--source", help="cli.opt_context_source", metavar="cli.mv_text"),
            JSON,
        ),
    ),
    Command(
        "handout",
        "cli.help_handout",
        "handout:cmd_handout",
        (
            KOMMUN,
            opt("--place", help="cli.opt_place_handout", metavar="cli.mv_name"),
            opt("--year", type=integer, help="cli.opt_year_handout", metavar="cli.mv_year"),
            opt("--lang", choices=["sv", "en"], default="sv", help="cli.opt_lang"),
            opt("--out", required=True, help="cli.opt_out_handout", metavar="cli.mv_file"),
        ),
    ),
    Command(
        "lagesbild",
        "cli.help_lagesbild",
        "lagesbild:cmd_lagesbild",
        (
            KOMMUN,
            opt(
                "--year",
                type=integer,
                required=True,
                help="cli.opt_lagesbild_year",
                metavar="cli.mv_year",
            ),
            opt("--lang", choices=["sv", "en"], default="sv", help="cli.opt_lagesbild_lang"),
            opt("--out", required=True, help="cli.opt_lagesbild_out", metavar="cli.mv_file"),
        ),
    ),
    Command(
        "presentation-places",
        "cli.cmd_presentation_places",
        "handout:cmd_presentation_places",
        (
            KOMMUN,
            opt("--set", nargs="+", help="cli.opt_chosen_set", metavar="cli.mv_name"),
            opt("--clear", action="store_true", help="cli.opt_chosen_clear"),
            JSON,
        ),
    ),
    Command(
        "export",
        "cli.help_export",
        "cmd_export",
        (
            KOMMUN,
            opt("--format", choices=["geojson"], default="geojson", help="cli.opt_format"),
            opt("--out", default="-", help="cli.opt_out_stdout", metavar="cli.mv_file"),
        ),
    ),
    Command(
        "import-commitments",
        "cli.help_import_commitments",
        "cmd_import_commitments",
        (FILE, KOMMUN, JSON),
    ),
    Command(
        "export-commitments",
        "cli.help_export_commitments",
        "cmd_export_commitments",
        (
            KOMMUN,
            opt("--out", required=True, help="cli.opt_out_commitments", metavar="cli.mv_file"),
        ),
    ),
    Command(
        "commitments",
        "cli.help_commitments",
        "cmd_commitments",
        (KOMMUN, opt("--place", help="cli.opt_place_commitments", metavar="cli.mv_name"), LISTING),
    ),
    Command(
        "follow-up",
        "cli.help_follow_up",
        "cmd_follow_up",
        (
            opt(
                "commitment_id",
                type=integer,
                help="cli.opt_commitment_id",
                metavar="cli.mv_commitment_id",
            ),
            opt("--status", required=True, help="cli.opt_status", metavar="cli.mv_status"),
            opt("--comment", default="", help="cli.opt_comment", metavar="cli.mv_text"),
            opt("--date", default=None, help="cli.opt_date", metavar="cli.mv_date"),
        ),
    ),
    table_import(
        "import-survey",
        "cmd_import_survey",
        "cli.opt_source_survey",
        opt("--year", type=integer, help="cli.opt_survey_year", metavar="cli.mv_year"),
        opt("--kommun-wide", action="store_true", help="cli.opt_kommun_wide"),
        opt("--force", action="store_true", help="cli.opt_force"),
        crs=True,
    ),
    table_import(
        "import-survey-results",
        "cmd_import_survey_results",
        "cli.opt_source_results",
        opt("--year", type=integer, help="references.opt_year", metavar="cli.mv_year"),
    ),
    table_import(
        "import-incidents",
        "cmd_import_incidents",
        "cli.opt_source_incidents",
        opt("--force", action="store_true", help="cli.opt_force_incidents"),
        crs=True,
    ),
    table_import(
        "import-crime-stats",
        "cmd_import_crime_stats",
        "cli.opt_source_crime_stats",
        opt("--year", type=integer, help="cli.opt_crime_stats_year", metavar="cli.mv_year"),
    ),
    Command(
        "hotspots",
        "cli.help_hotspots",
        "cmd_hotspots",
        (
            KOMMUN,
            *PERIOD,
            CATEGORY,
            opt("--cell", type=number, default=100.0, help="cli.opt_cell", metavar="cli.mv_metres"),
            opt("--fdr", action="store_true", help="cli.opt_fdr"),
            opt("--emerging", action="store_true", help="cli.opt_emerging"),
            opt("--band", choices=list(TIME_BANDS), help="cli.opt_band"),
            opt("--days", choices=list(DAY_TYPES), help="cli.opt_days"),
            opt("--public", action="store_true", help="cli.opt_public_cells"),
            K,
            opt(
                "--permutations",
                type=non_negative,
                default=0,
                help="cli.opt_permutations",
                metavar="cli.mv_number",
            ),
            opt("--format", choices=["geojson", "json"], default="geojson", help="cli.opt_format"),
        ),
    ),
    Command(
        "time-profile",
        "cli.help_time_profile",
        "cmd_time_profile",
        (
            KOMMUN,
            *PERIOD,
            opt("--place", help="cli.opt_place_profile", metavar="cli.mv_name"),
            CATEGORY,
            opt("--public", action="store_true", help="cli.opt_public_profile"),
            K,
            opt("--format", choices=["json"], default="json", help="cli.opt_format"),
        ),
    ),
    Command(
        "stats",
        "cli.help_stats",
        "cmd_stats",
        (
            KOMMUN,
            *PERIOD,
            opt("--public", action="store_true", help="cli.opt_public_counts"),
            K,
            opt(
                "--min-n",
                type=integer,
                default=MIN_N,
                help="cli.opt_min_n",
                metavar="cli.mv_number",
            ),
            opt("--format", choices=["json", "csv", "xlsx"], default="json", help="cli.opt_format"),
            opt("--out", help="cli.opt_out_stats", metavar="cli.mv_file"),
        ),
    ),
    Command("rollback", "cli.help_rollback", "cmd_rollback", (BATCH_ID, JSON)),
    Command("restore", "cli.help_restore", "cmd_restore", (BATCH_ID, JSON)),
    Command("batches", "cli.help_batches", "cmd_batches", (KOMMUN, LISTING)),
    Command(
        "add-user",
        "cli.help_add_user",
        "cmd_add_user",
        (
            USER_NAME,
            opt(
                "--kommun",
                action="append",
                default=[],
                help="cli.help_user_kommun",
                metavar="cli.mv_kommun",
            ),
            opt("--admin", action="store_true", help="cli.help_admin"),
            opt("--email", help="cli.help_email", metavar="cli.mv_email"),
        ),
    ),
    Command("passwd", "cli.help_passwd", "cmd_passwd", (USER_NAME,)),
    Command("users", "cli.help_users", "cmd_users", (LISTING,)),
    Command("remove-user", "cli.help_remove_user", "cmd_remove_user", (USER_NAME,)),
)


def build_parser() -> Parser:
    """The ``trygg`` parser: ``--db`` and one subcommand per row of :data:`COMMANDS`.

    Each subcommand's namespace gets ``handler``, the name of its function in
    :mod:`trygg.cli.commands`.

    Examples
    --------
    >>> build_parser().parse_args(["places", "--kommun", "1381"]).handler
    'cmd_places'
    """
    parser = Parser(prog="trygg", description=t("cli.description"))
    opt("--db", help="cli.opt_db", metavar="cli.mv_db").add_to(parser)
    sub = parser.add_subparsers(dest="command", required=True, metavar=t("cli.mv_command"))
    for command in COMMANDS:
        text = t(command.help)
        cmd = sub.add_parser(command.name, help=text, description=text)
        for option in command.options:
            option.add_to(cmd)
        cmd.set_defaults(handler=command.handler)
    return parser
