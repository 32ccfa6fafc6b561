"""``trygg handout``: a place's (or the kommun's) A4 handout for a medborgardialog, as PDF;
``trygg presentation-places``: the places added to the presentation."""

from __future__ import annotations

from trygg.strings import t, use_language


def cmd_handout(engine, args) -> None:
    from trygg.documents import handout

    lang = use_language(args.lang)
    pdf = handout.build_handout(engine, args.kommun, args.place, args.year, lang)
    handout.write_handout(args.out, pdf)
    print(t("cli.handout_written", lang, path=args.out))


def cmd_presentation_places(engine, args) -> None:
    """``trygg presentation-places``: list, replace (``--set``) or clear the places a
    coordinator adds to the presentation after the löfte's designated ones."""
    from trygg import auth
    from trygg.cli.output import print_json
    from trygg.pages import chosen

    if args.set or args.clear:
        names = chosen.set_chosen_places(
            engine, args.kommun, [] if args.clear else args.set, actor=auth.local_admin()
        )
    else:
        names = chosen.chosen_places(engine, args.kommun)
    if args.json:
        print_json({"kommun": args.kommun, "places": names})
    elif names:
        print(t("cli.chosen_list", names=", ".join(names)))
    else:
        print(t("cli.chosen_none"))
