"""``trygg handout``: a place's (or the kommun's) A4 handout for a medborgardialog, as PDF."""

from __future__ import annotations

from trygg.strings import t, use_language


def cmd_handout(engine, args) -> None:
    from trygg.documents import handout

    lang = use_language(args.lang)
    pdf = handout.build_handout(engine, args.kommun, args.place, args.year, lang)
    handout.write_handout(args.out, pdf)
    print(t("cli.handout_written", lang, path=args.out))
