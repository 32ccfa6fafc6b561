"""The kommun's imported figure files, newest first, each with undo or restore."""

from __future__ import annotations

import streamlit as st

import data
import session
from markup import badge, md, message
from panels.sidebar import Shared
from trygg import formatting
from trygg.strings import t

MESSAGE_KEY = "batch_message"


def batch_list(shared: Shared) -> None:
    st.header(t("upload.batches_heading"))
    found = data.figure_batches(shared.db, shared.kommun)
    notice = st.session_state.pop(MESSAGE_KEY, None)
    if notice:
        (st.error if notice[0] == "error" else st.success)(md(notice[1]))
    if not found:
        st.info(message("upload.no_batches", kommun=shared.kommun_namn))
        return
    for batch in found:
        with st.container(border=True):
            batch_row(batch)


def batch_row(batch: dict) -> None:
    text, action = st.columns([4, 1], vertical_alignment="center")
    kind = t(f"upload.kind_{batch['kind']}")
    title = t("upload.batch_title", file=batch["file_name"], id=batch["id"], kind=kind)
    demo = f" ({t('dash.demo_marker')})" if batch["synthetic"] else ""
    active = batch["active"]
    status = t("upload.status_active" if active else "upload.status_rolled_back")
    text.markdown(f"**{md(title)}**{md(demo)}  \n{badge('green' if active else 'gray', status)}")
    meta = t(
        "upload.batch_meta",
        uploaded_at=batch["uploaded_at"],
        user=batch["uploaded_by"],
        rows=formatting.integer(batch["rows_total"]),
        accepted=formatting.integer(batch["rows_accepted"]),
        rejected=formatting.integer(batch["rows_rejected"]),
    )
    if batch["source"]:
        meta += " · " + t("upload.batch_source", source=batch["source"])
    text.caption(md(meta))
    action.button(
        t("upload.rollback" if active else "upload.restore"),
        key=f"batch_{batch['id']}",
        on_click=_change,
        args=(batch["id"], active),
        width="stretch",
    )


def _change(batch_id: int, active: bool) -> None:
    st.session_state[MESSAGE_KEY] = (session.roll_back if active else session.restore)(batch_id)
