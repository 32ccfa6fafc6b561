"""The coordinator's choice of places added to the presentation, on Importera.

The löfte's designated places come first, in the document's order, and cannot be
removed here; the coordinator picks further places, in order, and saves. The core
(:func:`trygg.pages.chosen.set_chosen_places`) checks the login and the kommun.
"""

from __future__ import annotations

import streamlit as st

import data
from markup import md, message
from panels.sidebar import Shared
from trygg.errors import TryggError
from trygg.pages import chosen, slides
from trygg.strings import t


def chosen_places(shared: Shared) -> None:
    """The designated places, the picker of the added ones, and the save button."""
    st.header(t("chosen.section"))
    st.caption(t("chosen.help"))
    promise = slides.current_promise(data.kommun_promises(shared.db, shared.kommun))
    designated = [] if promise is None else list(promise["designated_places"])
    if designated:
        st.markdown(message("chosen.designated", names=", ".join(designated)))
    else:
        st.markdown(t("chosen.no_designated"))
    names = data.kommun_places(shared.db, shared.kommun)["name"].tolist()
    offered = [name for name in names if name not in designated]
    current = [name for name in data.chosen_places(shared.db, shared.kommun) if name in offered]
    with st.form(key=f"chosen_places_{shared.kommun}", border=False):
        picked = st.multiselect(
            t("chosen.pick"), offered, default=current, max_selections=chosen.MAX_CHOSEN
        )
        saved = st.form_submit_button(t("chosen.save"), icon=":material/save:")
    if saved:
        try:
            stored = chosen.set_chosen_places(
                data.engine(shared.db), shared.kommun, picked, actor=shared.actor
            )
        except TryggError as err:
            st.error(md(str(err)))
        else:
            st.success(message("chosen.saved", count=len(stored)))
    st.page_link(
        "views/presentation.py",
        label=t("chosen.open"),
        icon=":material/slideshow:",
        query_params={"kommun": shared.kommun},
    )
