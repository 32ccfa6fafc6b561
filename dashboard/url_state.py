"""The page's choices in its address: one helper binds a URL parameter, a widget, a default.

A link such as ``?kommun=0683&plats=Stadsparken&visa=problem_klotter&ar=2023`` opens
the same view: :func:`choose` reads ``?param=`` before its widget is drawn, hands the
widget that value, and writes the value back to the address (canonical, so an alias
in the link becomes the place's name). The widget's ``on_change`` is :func:`to_url`.
An empty value ("", the whole kommun) leaves the parameter out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class Choice:
    """What :func:`choose` chose, and what the address asked for in vain (if anything)."""

    value: str
    unknown: str | None = None


def choose(
    param: str,
    key: str,
    options: Sequence[str],
    default: str,
    *,
    find: Callable[[str], str | None] | None = None,
    remember: bool = False,
) -> Choice:
    """The value of ``?param=`` if it is one of ``options``, else ``default``.

    Parameters
    ----------
    param : str
        The URL parameter.
    key : str
        The widget's key; it is given the chosen value, so draw the widget after this.
    options : sequence of str
        The values the widget offers.
    default : str
        The value when the address has none (or one that is not an option).
    find : callable, optional
        Turns what the address says into an option (a place's alias into its name);
        None when it is none.
    remember : bool
        Before the default, keep the widget's value from the last run: a widget drawn
        on every page keeps its choice when moving between pages loses the address.

    Returns
    -------
    Choice
        The value, and the address's value when it was not understood (for a warning).
    """
    wanted = st.query_params.get(param)
    found = None
    if wanted:
        found = find(wanted) if find is not None else wanted
        found = found if found in options else None
    value = found
    if value is None:
        kept = st.session_state.get(key) if remember else None
        value = kept if kept in options else default
    _write(param, value)
    st.session_state[key] = value
    return Choice(value, wanted if wanted and found is None else None)


def to_url(param: str, key: str, *, drops: Sequence[str] = ()) -> None:
    """A widget's ``on_change``: its new value to ``?param=``; ``drops`` leave the address."""
    _write(param, st.session_state[key])
    for other in drops:
        st.query_params.pop(other, None)


def _write(param: str, value: str) -> None:
    if not value:
        st.query_params.pop(param, None)
    elif st.query_params.get(param) != value:
        st.query_params[param] = value
