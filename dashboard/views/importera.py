"""Importera enkät: the coordinator uploads a survey file, fixes what was rejected, undoes.

The page shows counts and row errors only, never an answer or a free-text comment. An
import or a rollback raises the kommun's data version, so the map shows it at once.

Only a logged-in coordinator of the chosen kommun sees the upload form and the batch
list. The page's actions pass the session's coordinator (or None) to the core, which
refuses what they may not do: the page hiding a button is not what protects the data.
"""

from __future__ import annotations

import streamlit as st

from markup import message
from panels import batches, chosen, documents, sidebar, upload
from panels.sidebar import Shared
from trygg.strings import t


def main() -> None:
    shared = sidebar.current()
    st.title(message("upload.title", kommun=shared.kommun_namn))
    if not may_import(shared):
        return
    st.caption(t("upload.help"))
    upload.form(shared.kommun)
    upload.confirm_duplicates(shared.kommun)
    upload.outcome(shared.kommun)
    batches.batch_list(shared)
    documents.lagesbild_download(shared)
    chosen.chosen_places(shared)


def may_import(shared: Shared) -> bool:
    """Whether this session's coordinator may import for the kommun; if not, say why."""
    actor = shared.actor
    if actor is None:
        st.info(message("login.need", kommun=shared.kommun_namn))
        st.page_link("views/logga_in.py", label=t("page.login"), icon=":material/login:")
        return False
    if not actor.may_change(shared.kommun):
        kommuner = ", ".join(sorted(actor.kommuner))
        st.warning(
            message(
                "login.not_yours", name=actor.name, kommun=shared.kommun_namn, kommuner=kommuner
            )
        )
        return False
    return True


main()
