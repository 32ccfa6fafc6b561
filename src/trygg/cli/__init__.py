"""The ``trygg`` command line: :mod:`.parser` (the table of commands) and
:mod:`.commands` (what each does). Every refusal is one Swedish sentence, never a traceback.

Importing this package loads argparse and the catalogue only; the store and the rest of
the core are imported once a command has been parsed, so ``trygg --help`` is instant.
"""

from __future__ import annotations

from trygg.cli.parser import build_parser

__all__ = ["build_parser", "main"]


def main(argv: list[str] | None = None) -> int:
    """Run ``trygg ARGV``; the exit code (0, 1 after a refusal, 2 for a mistyped command).

    Examples
    --------
    >>> main(["places", "--kommun", "1381"])  # doctest: +SKIP
       1  Laholms centrum  (centrum, 1.2312 km²)
    0
    """
    args = build_parser().parse_args(argv)
    from trygg.cli import commands

    return commands.run(args)
