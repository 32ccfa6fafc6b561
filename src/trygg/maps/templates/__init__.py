"""The maps' stylesheet and scripts, kept as plain ``.css`` and ``.js`` files.

They hold no Jinja: each script defines one function, which the page calls with the
map and its data as JSON arguments, and the stylesheet takes its colours from CSS
custom properties set by the page (see :mod:`trygg.maps.build`).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def source(name: str) -> str:
    """The text of the template file ``name`` (``"labels.js"``, ``"projector.css"``).

    Examples
    --------
    >>> source("labels.js").startswith("/*")
    True
    """
    return files(__name__).joinpath(name).read_text(encoding="utf-8")
