"""The upload form, the duplicate-respondents question, and the outcome of an import:
counts, warnings and row errors (repeated ones grouped) only, never an answer or a
free-text comment."""

from __future__ import annotations

import streamlit as st

import session
from markup import md, message
from trygg import formatting
from trygg.strings import t

FILE_TYPES = ["csv", "xlsx", "ods"]
RESULT_KEY = "import_result"
#: An upload held back because its respondents are already stored, awaiting a yes.
PENDING_KEY = "import_pending"
COUNTS = ("rows", "accepted", "rejected", "unresolved")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def form(kommun: str) -> None:
    """The file, an optional year and source; importing keeps the outcome in the session."""
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
        "kommun": kommun,
        "file": uploaded.name,
        "data": uploaded.getvalue(),
        "year": int(year) if year is not None else None,
        "source": source.strip() or None,
    }
    run(upload)


def run(upload: dict, allow_duplicates: bool = False) -> None:
    """Import ``upload``; a file whose respondents are already stored waits for a yes."""
    st.session_state.pop(PENDING_KEY, None)
    outcome = session.import_survey(upload, allow_duplicates)
    if "duplicates" in outcome:
        st.session_state[PENDING_KEY] = {**upload, "warning": outcome["duplicates"]}
    st.session_state[RESULT_KEY] = outcome


def confirm_duplicates(kommun: str) -> None:
    """Ask before storing answers that look like ones already imported (in another format)."""
    pending = st.session_state.get(PENDING_KEY)
    if not pending or pending["kommun"] != kommun:
        return
    with st.container(border=True):
        st.warning(md(pending["warning"]))
        go_ahead, cancel = st.columns(2)
        if go_ahead.button(t("upload.duplicates_import"), key="duplicates_yes", type="primary"):
            run(pending, allow_duplicates=True)
            st.rerun()
        if cancel.button(t("upload.duplicates_cancel"), key="duplicates_no"):
            st.session_state.pop(PENDING_KEY, None)
            st.session_state[RESULT_KEY] = {
                "kommun": kommun,
                "file": pending["file"],
                "refused": t("upload.duplicates_cancelled", file=pending["file"]),
            }
            st.rerun()


def outcome(kommun: str) -> None:
    """The counts of the last import, and the rejected rows to fix and download."""
    found = st.session_state.get(RESULT_KEY)
    if not found or found["kommun"] != kommun or "duplicates" in found:
        return
    if "refused" in found:
        st.error(md(found["refused"]))
        return
    summary = found["summary"]
    st.success(message("upload.done", file=found["file"], batch_id=summary["batch_id"]))
    for column, key in zip(st.columns(len(COUNTS)), COUNTS, strict=True):
        column.metric(t(f"upload.{key}"), md(formatting.integer(summary[key])))
    if "counted" in summary:  # incidents: what counts for the kommun, and what does not
        counts = {**summary["precision"], **summary["excluded"], "counted": summary["counted"]}
        numbers = {key: formatting.integer(value) for key, value in counts.items()}
        st.info(message("cli.incidents_counted", **numbers))
    for warning in summary.get("warnings", []):
        st.warning(md(warning))
    if not summary["errors"]:
        st.info(t("upload.none_rejected"))
        return
    repeated(summary.get("error_groups", []))
    rejected(found["file"], summary["errors"])


def repeated(groups: list[dict]) -> None:
    """Errors repeated in many rows, one line per column and message, before the rows."""
    if not any(group["count"] > 1 for group in groups):
        return
    st.subheader(t("outcomes.upload_groups_heading"))
    st.caption(t("outcomes.upload_groups_help"))
    rows = [
        {
            t("outcomes.upload_group_col_count"): formatting.integer(group["count"]),
            t("outcomes.upload_group_col_column"): group["column"],
            t("outcomes.upload_group_col_message"): group["message"],
            t("outcomes.upload_group_col_rows"): ", ".join(map(str, group["rows"]))
            + (" …" if group["count"] > len(group["rows"]) else ""),
        }
        for group in groups
    ]
    st.dataframe(rows, hide_index=True, width="stretch")


def rejected(file_name: str, errors: list[dict]) -> None:
    st.subheader(t("upload.rejected_heading"))
    st.caption(t("upload.rejected_help"))
    st.dataframe(formatting.row_error_rows(errors), hide_index=True, width="stretch")
    stem = f"avvisade-rader-{file_name.rsplit('.', 1)[0]}"
    as_csv, as_xlsx = st.columns(2)
    as_csv.download_button(
        t("upload.download_rejected"),
        data=formatting.row_errors_csv(errors),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key="download_rejected",
    )
    as_xlsx.download_button(
        t("upload.download_rejected_xlsx"),
        data=formatting.row_errors_xlsx(errors),
        file_name=f"{stem}.xlsx",
        mime=XLSX_MIME,
        key="download_rejected_xlsx",
    )
