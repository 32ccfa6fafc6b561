"""Markup that pages hand to Streamlit: data as plain text, and the hour × weekday table.

Streamlit reads every text of ``st.markdown``, ``st.warning``, ``st.caption``, headers,
metric labels and table cells as Markdown, with its own extensions (``$`` maths,
``:red[…]`` and badge directives, ``:material/…:`` icons, emoji shortcodes). Text from
data (a place, a kommun, a URL parameter, a file) reaches Streamlit only through
:func:`md` or :func:`message`, so a place named ``[x](http://evil)`` stays that text.
"""

from __future__ import annotations

import re

from trygg.strings import t

#: What can start Markdown inside one line: escapes, code, emphasis, strikethrough,
#: links and images, HTML and entities, headings, tables, ``$`` maths, directives and
#: shortcodes (``:``), icons (``:material/``) and e-mail autolinks (``@``).
MARKDOWN_ACTIVE = re.compile(r"([\\`*_~\[\]<>&#|$:/@])")
#: What starts a list, or a link without brackets, only where it stands.
LIST_MARKER = re.compile(r"^([-+])")
LIST_NUMBER = re.compile(r"^(\d+)([.)])")
#: Where Streamlit turns plain text into a link or its logo after parsing, out of reach
#: of any escape: a web address (``http://``, ``www.``), an e-mail address (``@``) and
#: ``:streamlit:``. A word joiner goes in the middle of each.
AFTER_PARSING = re.compile(
    r"(?<=http:)(?=//)|(?<=https:)(?=//)|(?<=www)(?=\.)|(?<=@)|(?<=:)(?=streamlit:)",
    re.IGNORECASE,
)
#: The arrows and signs Streamlit draws for ``->``, ``<-``, ``--``, ``>=``, ``<=``,
#: ``~=`` standing alone between spaces: a word joiner goes between their characters.
SYMBOLS = re.compile(r"(?:(?<=\s)|^)(<->|->|<-|--|>=|<=|~=)(?=\s|$)")
#: U+2060: no width, no line break, shown as nothing.
WORD_JOINER = "\u2060"
#: White space that Markdown reads as structure (a new line, an indent).
LINE_BREAKS = re.compile(r"[ \t\n\r\f\v]+")
#: The colours Streamlit's badge directive knows.
BADGE_COLOURS = frozenset({"red", "orange", "yellow", "blue", "green", "violet", "gray", "grey"})
#: Streamlit draws a disabled widget's label at 40 % of the text colour (2.6:1 on the
#: sidebar); this grey still reads as inactive beside the body text and reaches 5.9:1 on
#: every background of the theme (axe's color-contrast rule). A fixed stylesheet.
PAGE_STYLE = """<style>
  label[data-testid="stWidgetLabel"][disabled] { color: #5c5b59; }
  [class*="st-key-trygg_print_only"] { display: none; }
  /* Printing a page (Ctrl+P): no sidebar, header or widgets, the content scaled to A4. */
  @page { size: A4; margin: 12mm; }
  @media print {
    [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
    [data-testid="stSidebarCollapsedControl"], [data-testid="stDownloadButton"],
    [data-testid="stSelectbox"], [data-testid="stMultiSelect"], [data-testid="stButton"],
    [data-testid="stPageLink"], [data-testid="stSkipLink"] { display: none !important; }
    [data-testid="stMain"] { margin-left: 0 !important; }
    [data-testid="stMainBlockContainer"] { max-width: none !important; padding: 0 !important; }
    [class*="st-key-trygg_print_skip"] { display: none !important; }
    [class*="st-key-trygg_print_only"] { display: block !important; }
    html { zoom: 0.45; }
    .leaflet-control-container .trygg-legend { max-height: none !important; }
  }
</style>"""


def md(text) -> str:
    r"""``text`` as Markdown that Streamlit shows as typed, on one line.

    Runs of ASCII white space (line breaks, tabs) become one space, so no second line
    can become a heading, a table or a code block; no-break spaces stay. Every
    character that can start Markdown within a line is backslash-escaped (see
    :data:`MARKDOWN_ACTIVE`), and so is a leading list marker: no link, image, HTML,
    entity, list, heading, ``$`` maths, ``:red[…]`` directive, ``:material/…:`` icon or
    emoji shortcode can start. What Streamlit links or replaces after parsing (see
    :data:`AFTER_PARSING`) gets an invisible word joiner inside. Other punctuation
    (``,`` ``.`` ``(`` ``=`` ``%``) means nothing there and is left as it is.

    Examples
    --------
    >>> print(md("![i](e/x.png) $1$"))
    !\[i\](e\/x.png) \$1\$
    >>> md("1. www.e.se") == "1\\. www\u2060.e.se"
    True
    """
    one_line = LINE_BREAKS.sub(" ", str(text)).strip(" ")
    joined = AFTER_PARSING.sub(WORD_JOINER, one_line)
    joined = SYMBOLS.sub(lambda found: WORD_JOINER.join(found[1]), joined)
    escaped = MARKDOWN_ACTIVE.sub(r"\\\1", joined)
    escaped = LIST_MARKER.sub(r"\\\1", escaped)
    return LIST_NUMBER.sub(r"\1\\\2", escaped)


def message(key: str, **values) -> str:
    """The catalogue's text ``key`` with every value passed through :func:`md`.

    The catalogue's own Markdown (a command in backticks) still renders; the values,
    which come from data, show as typed.
    """
    return t(key, **{name: md(value) for name, value in values.items()})


def badge(colour: str, text: str) -> str:
    """A Streamlit badge: ``colour`` from :data:`BADGE_COLOURS`, ``text`` shown as typed."""
    if colour not in BADGE_COLOURS:
        raise ValueError(f"no badge colour {colour!r}")
    return f":{colour}-badge[{md(text)}]"


def table(rows: list[dict]) -> list[dict]:
    """Table rows for ``st.table``, which reads every header and cell as Markdown: each
    passed through :func:`md`."""
    return [{md(name): md(value) for name, value in row.items()} for row in rows]


def page_style() -> str:
    """The stylesheet every page gets once per run (:data:`PAGE_STYLE`), for ``st.html``."""
    return PAGE_STYLE


#: The presentation's full-screen look (/presentation): no sidebar, header or toolbar,
#: black on white, body text 30 px and key figures 68 px at any width. A fixed stylesheet.
PRESENTATION_STYLE = """<style>
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stExpandSidebarButton"] { display: none !important; }
  [data-testid="stApp"], [data-testid="stMain"] { background: #ffffff; color: #000000; }
  [data-testid="stMainBlockContainer"] { padding: 1rem 1.5rem 0.5rem; max-width: 100%; }
  [data-testid="stMain"] p, [data-testid="stMain"] li,
  [data-testid="stMain"] [data-testid="stCaptionContainer"],
  [data-testid="stMain"] [data-testid="stPageLink"] span,
  [data-testid="stMain"] button p { font-size: 30px; line-height: 1.3; color: #000000; }
  [data-testid="stMain"] .stMarkdownBadge { font-size: 28px !important; line-height: 1.2; }
  [data-testid="stMain"] h1 { font-size: 52px; line-height: 1.15; color: #000000; }
  [data-testid="stMain"] h2 { font-size: 44px; line-height: 1.2; color: #000000; }
  [class*="st-key-slide_figure"] p { font-size: 68px; font-weight: 700; line-height: 1.1; }
  [data-testid="stMain"] button, [data-testid="stMain"] button span { font-size: 30px; }
  .st-key-slide_nav button { border: 3px solid #000000; color: #000000; }
</style>"""


def presentation_style() -> str:
    """The presentation page's stylesheet (:data:`PRESENTATION_STYLE`), for ``st.html``."""
    return PRESENTATION_STYLE
