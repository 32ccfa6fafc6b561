"""The command table speaks the catalogue: Swedish help, Swedish usage errors in one line.

argparse's own English ("usage:", "the following arguments are required", …) must never
reach a user; every key the table names has a Swedish and an English entry.
"""

from __future__ import annotations

import pytest

from tests.conftest import run_cli
from trygg.cli.parser import ARGPARSE_MESSAGES, COMMANDS, USAGE_EXIT, build_parser
from trygg.strings import CATALOGUE

ENGLISH = (
    "usage:",
    "positional arguments",
    "options:",
    "show this help message",
    "required",
    "invalid choice",
    "unrecognized",
    "expected one argument",
)


def subcommands() -> dict:
    return build_parser()._subparsers._group_actions[0].choices


def test_every_command_of_the_table_is_a_subcommand():
    assert list(subcommands()) == [command.name for command in COMMANDS]


@pytest.mark.parametrize("name", [command.name for command in COMMANDS])
def test_each_commands_help_is_swedish(name):
    text = subcommands()[name].format_help()
    assert text.startswith("användning: trygg " + name)
    assert "visa den här hjälpen och avsluta" in text
    assert not [phrase for phrase in ENGLISH if phrase in text], text


def test_every_key_the_table_names_is_in_both_languages():
    keys = {"cli.description", "cli.opt_db", "cli.mv_db", "cli.mv_command", "cli.usage_error"}
    keys |= set(ARGPARSE_MESSAGES.values())
    for command in COMMANDS:
        keys.add(command.help)
        for option in command.options:
            keys |= {key for key in (option.help, option.metavar) if key}
    for lang in ("sv", "en"):
        assert not keys - set(CATALOGUE[lang]), (lang, keys - set(CATALOGUE[lang]))


def test_every_cli_and_demo_key_has_an_english_entry():
    swedish = {key for key in CATALOGUE["sv"] if key.startswith(("cli.", "demo."))}
    assert swedish, "no cli keys found"
    assert swedish <= set(CATALOGUE["en"]), swedish - set(CATALOGUE["en"])


def test_top_level_help_lists_the_commands_in_swedish():
    result = run_cli("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("användning: trygg [-h] [--db SÖKVÄG_ELLER_URL] KOMMANDO")
    assert "flaggor:" in result.stdout and "rulla tillbaka en import" in result.stdout
    assert not [phrase for phrase in ENGLISH if phrase in result.stdout]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "trygg: KOMMANDO måste anges; se trygg --help."),
        (["stats"], "trygg stats: --kommun måste anges; se trygg stats --help."),
        (
            ["places", "--kommun", "1381", "--format", "xml"],
            "trygg places: --format: 'xml' finns inte; välj bland 'json', 'text'; "
            "se trygg places --help.",
        ),
        (["batches", "--kommun", "1381", "--okänd"], "trygg: okända argument: --okänd;"),
        (["stats", "--kommun", "1381", "--year", "i år"], "--year: 'i år' är inte ett heltal;"),
        (["hotspots", "--kommun", "1381", "--cell", "stor"], "--cell: 'stor' är inte ett tal;"),
        (["stats", "--kommun", "1381", "--from", "2024-13-01"], "inte ett datum ÅÅÅÅ-MM-DD"),
        (["stats", "--kommun", "1381", "--year"], "trygg stats: --year: värdet saknas;"),
        (["stats", "--kommun", "1381", "--f", "x"], "flaggan --f är tvetydig"),
        (["stats", "--kommun", "1381", "--public=ja"], "--public: flaggan tar inget värde"),
        (["flytta"], "trygg: KOMMANDO: 'flytta' finns inte; välj bland 'init',"),
    ],
)
def test_a_mistyped_command_line_is_one_swedish_sentence_with_exit_2(args, message):
    result = run_cli(*args)
    assert result.returncode == USAGE_EXIT == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert message in result.stderr
    assert not [phrase for phrase in ENGLISH if phrase in result.stderr], result.stderr


def test_argparse_speaks_english_again_outside_the_command_line():
    import argparse

    build_parser().format_help()
    assert "usage:" in argparse.ArgumentParser(prog="x").format_help()


def test_the_table_parses_into_the_same_arguments_as_before():
    args = build_parser().parse_args(
        ["hotspots", "--kommun", "1381", "--from", "2024-01-01", "--cell", "250", "--fdr"]
    )
    assert (args.handler, args.kommun, args.start.isoformat(), args.end) == (
        "cmd_hotspots",
        "1381",
        "2024-01-01",
        None,
    )
    assert (args.cell, args.k, args.format, args.fdr, args.emerging) == (
        250.0,
        3,
        "geojson",
        True,
        False,
    )
    user = build_parser().parse_args(["add-user", "bo", "--kommun", "1381", "--kommun", "1380"])
    assert (user.name, user.kommun, user.admin, user.email) == ("bo", ["1381", "1380"], False, None)
