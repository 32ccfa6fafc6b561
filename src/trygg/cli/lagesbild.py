"""``trygg lagesbild``: the kommun's lägesbild as an editable Word file."""

from __future__ import annotations

from pathlib import Path

from trygg.strings import t, use_language


def cmd_lagesbild(engine, args) -> None:
    from trygg.documents.lagesbild import build_lagesbild

    use_language(args.lang)
    data = build_lagesbild(engine, args.kommun, args.year)
    Path(args.out).write_bytes(data)
    print(t("lagesbild.written", path=args.out))
