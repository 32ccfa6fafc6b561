"""Importera enkät: the coordinator uploads a survey file, fixes what was rejected, undoes.

The page shows counts and row errors only, never an answer or a free-text comment.
After an import or a rollback the cached reads are cleared, so the map shows the
change at once.

Only a logged-in coordinator of the chosen kommun sees the upload form and the batch
list. The page's actions pass the session's coordinator (or None) to the core, which
refuses what they may not do: the page hiding a button is not what protects the data.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import state
from markup import md, message
from trygg import formatting
from trygg.errors import TryggError
from trygg.importers import survey_answers
from trygg.store import batches
from trygg.store.batches import is_synthetic
from trygg.strings import t

FILE_TYPES = ["csv", "xlsx", "ods"]
RESULT_KEY = "import_result"
MESSAGE_KEY = "batch_message"
#: An upload held back because its respondents are already stored, awaiting a yes.
PENDING_KEY = "import_pending"
ERROR_KEYS = ("row", "column", "value", "message")


def main() -> None:
    db = state.require_database()
    kod, kommuner = state.choose_kommun(db)
    st.title(message("upload.title", kommun=kommuner[kod]))
    if not may_import(kod, kommuner[kod]):
        return
    st.caption(t("upload.help"))
    upload_form(db, kod)
    confirm_duplicates(db, kod)
    outcome = st.session_state.get(RESULT_KEY)
    if outcome and outcome["kommun"] == kod:
        show_outcome(outcome)
    batch_list(db, kod, kommuner[kod])


def may_import(kod: str, kommun_namn: str) -> bool:
    """Whether this session's coordinator may import for ``kod``; if not, say why."""
    actor = state.current_actor()
    if actor is None:
        st.info(message("login.need", kommun=kommun_namn))
        st.page_link("views/logga_in.py", label=t("page.login"), icon=":material/login:")
        return False
    if not actor.may_change(kod):
        kommuner = ", ".join(sorted(actor.kommuner))
        st.warning(
            message("login.not_yours", name=actor.name, kommun=kommun_namn, kommuner=kommuner)
        )
        return False
    return True


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
    upload = {
        "kommun": kod,
        "file": uploaded.name,
        "data": uploaded.getvalue(),
        "year": int(year) if year is not None else None,
        "source": source.strip() or None,
    }
    st.session_state[RESULT_KEY] = run_import(db, upload)
    state.clear_reads()


def run_import(db: str, upload: dict, allow_duplicates: bool = False) -> dict:
    """Import one uploaded file; a refusal becomes a message, never a traceback.

    A file whose respondents are already stored is held back (``PENDING_KEY``) until the
    coordinator says it is a new survey after all.
    """
    outcome = {"kommun": upload["kommun"], "file": upload["file"]}
    st.session_state.pop(PENDING_KEY, None)
    try:
        summary = survey_answers.import_survey(
            state.engine(db),
            upload["file"],
            upload["kommun"],
            year=upload["year"],
            source=upload["source"],
            data=upload["data"],
            actor=state.current_actor(),
            allow_duplicates=allow_duplicates,
        )
    except survey_answers.DuplicateRespondents as err:
        st.session_state[PENDING_KEY] = {**upload, "warning": str(err)}
        return outcome | {"held": True}
    except TryggError as err:
        return outcome | {"refused": str(err)}
    except Exception as err:  # the page must not show a traceback
        return outcome | {"refused": t("err.unexpected", kind=type(err).__name__, reason=err)}
    return outcome | {"summary": summary}


def confirm_duplicates(db: str, kod: str) -> None:
    """Ask before storing answers that look like ones already imported (in another format)."""
    pending = st.session_state.get(PENDING_KEY)
    if not pending or pending["kommun"] != kod:
        return
    with st.container(border=True):
        st.warning(md(pending["warning"]))
        go_ahead, cancel = st.columns(2)
        if go_ahead.button(t("upload.duplicates_import"), key="duplicates_yes", type="primary"):
            st.session_state[RESULT_KEY] = run_import(db, pending, allow_duplicates=True)
            state.clear_reads()
            st.rerun()
        if cancel.button(t("upload.duplicates_cancel"), key="duplicates_no"):
            st.session_state.pop(PENDING_KEY, None)
            st.session_state[RESULT_KEY] = {
                "kommun": kod,
                "file": pending["file"],
                "refused": t("upload.duplicates_cancelled", file=pending["file"]),
            }
            st.rerun()


def show_outcome(outcome: dict) -> None:
    """The counts of the last import, and the rejected rows to fix and download."""
    if outcome.get("held"):
        return
    if "refused" in outcome:
        st.error(md(outcome["refused"]))
        return
    summary = outcome["summary"]
    st.success(message("upload.done", file=outcome["file"], batch_id=summary["batch_id"]))
    for column, key in zip(
        st.columns(4), ("rows", "accepted", "rejected", "unresolved"), strict=True
    ):
        column.metric(t(f"upload.{key}"), md(formatting.integer(summary[key])))
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
    stem = f"avvisade-rader-{outcome['file'].rsplit('.', 1)[0]}"
    as_csv, as_xlsx = st.columns(2)
    as_csv.download_button(
        t("upload.download_rejected"),
        data=formatting.row_errors_csv(summary["errors"]),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key="download_rejected",
    )
    as_xlsx.download_button(
        t("upload.download_rejected_xlsx"),
        data=formatting.row_errors_xlsx(summary["errors"]),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="download_rejected_xlsx",
    )


def batch_list(db: str, kod: str, kommun_namn: str) -> None:
    """The kommun's imported figure files, newest first, each with undo or restore."""
    st.header(t("upload.batches_heading"))
    found = [
        b
        for b in batches.list_batches(state.engine(db), kod)
        if b["kind"] in batches.ROLLBACK_KINDS
    ]
    notice = st.session_state.pop(MESSAGE_KEY, None)
    if notice:
        (st.error if notice[0] == "error" else st.success)(md(notice[1]))
    if not found:
        st.info(message("upload.no_batches", kommun=kommun_namn))
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
    st.session_state[MESSAGE_KEY] = state.set_batch_status(batch_id, status)


main()
