"""The catalogue of user-facing strings: Swedish first, English second.

Every message a person reads (CLI errors, dashboard labels, month names) is looked up
here with :func:`t`, so the interface is translated in one place. The catalogue is kept
in parts, one per concern (``core``, ``maps``, ``pages``, ``loften``, ``context``,
``hotspots``, ``presentation``, ``handout``, ``lagesbild``, and issue 12's ``sources``,
``outcomes``, ``crimetables``, ``references``, ``outputs``); a key lives in exactly one part.

The language of a sentence is ``t(..., lang=)`` when given, else the language of the
current context (:func:`use_language`; the dashboard sets it from ``?lang=`` at the start
of each run), else Swedish.
"""

from __future__ import annotations

import contextvars

from trygg.strings import (
    context,
    core,
    crimetables,
    handout,
    hotspots,
    lagesbild,
    loften,
    maps,
    outcomes,
    outputs,
    pages,
    presentation,
    references,
    sources,
)

DEFAULT_LANG = "sv"
#: The interface languages, the default first.
LANGUAGES = ("sv", "en")
_PARTS = (
    core,
    maps,
    pages,
    loften,
    context,
    hotspots,
    presentation,
    handout,
    lagesbild,
    sources,
    outcomes,
    crimetables,
    references,
    outputs,
)
_LANGUAGE: contextvars.ContextVar[str] = contextvars.ContextVar("trygg_lang", default=DEFAULT_LANG)


def _joined() -> dict[str, dict[str, str]]:
    joined: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    for part in _PARTS:
        for lang in LANGUAGES:
            twice = joined[lang].keys() & part.CATALOGUE[lang].keys()
            if twice:
                raise RuntimeError(f"{part.__name__} repeats keys: {sorted(twice)}")
            joined[lang].update(part.CATALOGUE[lang])
    return joined


CATALOGUE: dict[str, dict[str, str]] = _joined()


def use_language(lang: str | None) -> str:
    """Make ``lang`` the language of this context (a Streamlit run, a CLI call); return it.

    Anything that is not one of :data:`LANGUAGES` means Swedish.

    Examples
    --------
    >>> use_language("en"), t("dash.year"), use_language("xx"), t("dash.year")
    ('en', 'Year', 'sv', 'År')
    """
    chosen = lang if lang in LANGUAGES else DEFAULT_LANG
    _LANGUAGE.set(chosen)
    return chosen


def current_language() -> str:
    """The language :func:`t` uses when it is not told one."""
    return _LANGUAGE.get()


def category_label(slug: str, lang: str | None = None) -> str:
    """An incident category's name in the page's language (``skadegörelse`` → Skadegörelse).

    Examples
    --------
    >>> category_label("klotter"), category_label("klotter", "en")
    ('Klotter', 'Graffiti')
    """
    return t(f"cat.{slug}", lang)


def t(key: str, lang: str | None = None, **values) -> str:
    """Look up ``key`` in ``lang`` (falling back to Swedish) and fill in ``values``.

    Examples
    --------
    >>> t("err.kommun_code", code="683")
    "Kommunkoden '683' är ogiltig: den ska vara fyra siffror, t.ex. 0683."
    """
    lang = lang or _LANGUAGE.get()
    template = CATALOGUE.get(lang, {}).get(key) or CATALOGUE[DEFAULT_LANG][key]
    return template.format(**values)
