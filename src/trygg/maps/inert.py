"""The text chokepoint of the maps: :func:`inert` on the way in, :func:`refuse_templates`
on the way out.

Folium's tooltips, Leaflet's labels and the legend insert text as HTML, and branca
renders each element's output a second time as a Jinja template, so a place named
``{{7*7}}`` would show 49 (and a cleverer name would run code on the server).
:func:`inert` escapes HTML and writes braces as character references, which the browser
shows as braces and Jinja never sees; every map and layer that leaves this package has
passed :func:`refuse_templates`, which refuses any element that still holds Jinja markup.

It sits below every other module here, since each of them writes text for the map.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

#: What starts Jinja markup: an expression, a statement or a comment.
JINJA_MARKUP = re.compile(r"\{[{%#]")
#: Attributes of an element that are not its data (walked separately or code).
NOT_DATA = frozenset({"_parent", "_children", "_template", "_template_str"})


def inert(text) -> str:
    """``text`` as HTML that shows it literally and that Jinja reads as plain text.

    HTML is escaped and ``{``/``}`` become ``&#123;``/``&#125;``: the browser shows
    braces, while branca's second rendering pass finds no ``{{``, ``{%`` or ``{#``.
    Every text from data or the catalogue goes through here on its way to folium.

    Parameters
    ----------
    text : object
        Any text (or value, shown as its ``str``).

    Returns
    -------
    str
        HTML for an ``innerHTML``, a tooltip or a ``<title>``.

    Examples
    --------
    >>> inert("{{7*7}} <b>")
    '&#123;&#123;7*7&#125;&#125; &lt;b&gt;'
    """
    return html.escape(str(text)).replace("{", "&#123;").replace("}", "&#125;")


def refuse_templates(element):
    """Raise if ``element`` or anything below it holds text that Jinja would evaluate.

    A last guard behind :func:`inert`: a text that reached folium some other way fails
    here, in Python, instead of being run as a template when the map is rendered.

    Parameters
    ----------
    element : branca.element.Element
        A map, or a layer handed to the page on its own.

    Returns
    -------
    branca.element.Element
        ``element`` itself, unchanged.

    Raises
    ------
    ValueError
        Naming the element whose data holds ``{{``, ``{%`` or ``{#``.
    """
    for part in walk(element):
        found = _jinja_text({k: v for k, v in vars(part).items() if k not in NOT_DATA})
        if found is not None:
            raise ValueError(f"{type(part).__name__} holds Jinja markup: {found[:80]!r}")
    return element


def _jinja_text(value) -> str | None:
    """The first string in ``value`` (nested dicts, lists, tuples) with Jinja markup."""
    if isinstance(value, str):
        return value if JINJA_MARKUP.search(value) else None
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, (list, tuple)):
        for item in value:
            if isinstance(item, (int, float)):
                continue
            found = _jinja_text(item)
            if found is not None:
                return found
    return None


def walk(element) -> Iterator:
    """``element`` and every element below it, parents before their children."""
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from walk(child)
