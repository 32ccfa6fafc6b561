"""Importera enkät: the coordinator uploads a survey file, fixes what was rejected, undoes.

The page shows counts and row errors only, never an answer or a free-text comment.
After an import or a rollback the cached reads are cleared, so the map shows the
change at once.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import state
from markup import md
from trygg import batches, formatting, surveys
from trygg.batches import is_synthetic
from trygg.errors import TryggError
from trygg.strings import t

FILE_TYPES = ["csv", "xlsx", "ods"]
RESULT_KEY = "import_result"
MESSAGE_KEY = "batch_message"
ERROR_KEYS = ("row", "column", "value", "message")


def main() -> None:
    db = state.require_database()
    kod, kommuner = state.choose_kommun(db)
    st.title(t("upload.title", kommun=kommuner[kod]))
    st.caption(t("upload.help"))
    upload_form(db, kod)
    outcome = st.session_state.get(RESULT_KEY)
    if outcome and outcome["kommun"] == kod:
        show_outcome(outcome)
    batch_list(db, kod, kommuner[kod])


def upload_form(db: str, kod: str) -> None:
    """The file, an optional year and source; importing stores the outcome in the session."""
    with st.form("import_form", clear_on_submit=True, border=True):
        uploaded = st.file_uploader(t("upload.file"), type=FILE_TYPES, key="survey_file")
        year_column, source_column = st.columns([1, 2])
        year = year_column.number_input(
            t("upload.year"),
            min_value=1990,
            max_value=2100,
            value=None,
            step=1,
            placeholder=t("upload.year_placeholder"),
            key="survey_year",
        )
        source = source_column.text_input(
            t("upload.source"), placeholder=t("upload.source_placeholder"), key="survey_source"
        )
        submitted = st.form_submit_button(t("upload.submit"), type="primary")
    if not submitted:
        return
    if uploaded is None:
        st.warning(t("upload.need_file"))
        return
    st.session_state[RESULT_KEY] = run_import(db, kod, uploaded, year, source)
    state.clear_reads()


def run_import(db: str, kod: str, uploaded, year: int | None, source: str) -> dict:
    """Import one uploaded file; a refusal becomes a message, never a traceback."""
    outcome = {"kommun": kod, "file": uploaded.name}
    try:
        summary = surveys.import_survey(
            state.engine(db),
            uploaded.name,
            kod,
            year=int(year) if year is not None else None,
            source=source.strip() or None,
            data=uploaded.getvalue(),
        )
    except TryggError as err:
        return outcome | {"refused": str(err)}
    except Exception as err:  # the page must not show a traceback
        return outcome | {"refused": t("err.unexpected", kind=type(err).__name__, reason=err)}
    return outcome | {"summary": summary}


def show_outcome(outcome: dict) -> None:
    """The counts of the last import, and the rejected rows to fix and download."""
    if "refused" in outcome:
        st.error(outcome["refused"])
        return
    summary = outcome["summary"]
    st.success(t("upload.done", file=outcome["file"], batch_id=summary["batch_id"]))
    for column, key in zip(
        st.columns(4), ("rows", "accepted", "rejected", "unresolved"), strict=True
    ):
        column.metric(t(f"upload.{key}"), formatting.integer(summary[key]))
    if not summary["errors"]:
        st.info(t("upload.none_rejected"))
        return
    st.subheader(t("upload.rejected_heading"))
    st.caption(t("upload.rejected_help"))
    table = pd.DataFrame(
        [[error[key] for key in ERROR_KEYS] for error in summary["errors"]],
        columns=[t(f"upload.col_{key}") for key in ERROR_KEYS],
    )
    st.dataframe(table, hide_index=True, width="stretch")
    st.download_button(
        t("upload.download_rejected"),
        data=formatting.row_errors_csv(summary["errors"]),
        file_name=f"avvisade-rader-{outcome['file'].rsplit('.', 1)[0]}.csv",
        mime="text/csv",
        key="download_rejected",
    )


def batch_list(db: str, kod: str, kommun_namn: str) -> None:
    """The kommun's imported figure files, newest first, each with undo or restore."""
    st.header(t("upload.batches_heading"))
    found = [
        b
        for b in batches.list_batches(state.engine(db), kod)
        if b["kind"] in batches.ROLLBACK_KINDS
    ]
    message = st.session_state.pop(MESSAGE_KEY, None)
    if message:
        (st.error if message[0] == "error" else st.success)(message[1])
    if not found:
        st.info(t("upload.no_batches", kommun=kommun_namn))
        return
    for batch in found:
        with st.container(border=True):
            batch_row(batch)


def batch_row(batch: dict) -> None:
    text, action = st.columns([4, 1], vertical_alignment="center")
    kind = t(f"upload.kind_{batch['kind']}")
    title = t("upload.batch_title", file=batch["file_name"], id=batch["id"], kind=kind)
    demo = f" ({t('dash.demo_marker')})" if is_synthetic(batch) else ""
    active = batch["status"] == batches.ACTIVE
    status = t("upload.status_active" if active else "upload.status_rolled_back")
    text.markdown(f"**{md(title)}**{md(demo)}  \n:{'green' if active else 'gray'}-badge[{status}]")
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
        on_click=_set_status,
        args=(batch["id"], batches.ROLLED_BACK if active else batches.ACTIVE),
        width="stretch",
    )


def _set_status(batch_id: int, status: str) -> None:
    try:
        batches.set_status(state.engine(state.db_setting()), batch_id, status)
    except TryggError as err:
        st.session_state[MESSAGE_KEY] = ("error", str(err))
        return
    state.clear_reads()
    key = "upload.rolled_back" if status == batches.ROLLED_BACK else "upload.restored"
    st.session_state[MESSAGE_KEY] = ("success", t(key, id=batch_id))


main()
