"""The one CSV download used everywhere: what the viewer sees, as Excel on Chinese Windows reads it.

Bytes are encoded here as UTF-8 with BOM; headers are Chinese; cells that Excel would run
as formulas get a leading apostrophe; long digit strings stay text; the file name carries
the topic, the filters and the as-of date.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st

from dashboard import formatting, labels
from data_access.privacy import is_person_level

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
LONG_DIGITS = re.compile(r"^\d{6,}$|^0\d+$")


def _safe_cell(value):
    if isinstance(value, str):
        if value.startswith(DANGEROUS_START):
            return "'" + value
        if LONG_DIGITS.match(value):
            # Excel would turn it into a number (and lose leading zeros or digits): keep text.
            return f'="{value}"'
    return value


def csv_bytes(df: pd.DataFrame, headers: Mapping[str, str] | None = None) -> bytes:
    """The rows of ``df`` (already formatted for display) as UTF-8-with-BOM CSV bytes."""
    out = df.copy()
    if headers:
        out = out.rename(columns=dict(headers))
    amounts = [c for c in out.columns if formatting.is_amount_header(c) and not pd.api.types.is_bool_dtype(out[c])]
    for col in out.columns:
        values = out[col]
        if col in amounts:
            out[col] = values.map(formatting.exact_yuan)  # 313000 or 55000.5: cents kept, no 313000.0
            continue
        if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_float_dtype(values):
            continue
        if values.dropna().eq(values.dropna().round(0)).all():
            out[col] = values.round(0).astype("Int64")  # counts held as floats
        else:
            out[col] = values.round(6)  # no binary noise such as 0.30000000000000004
    for col in out.columns:
        if col not in amounts and (out[col].dtype == object or pd.api.types.is_string_dtype(out[col])):
            out[col] = out[col].map(_safe_cell)  # (amounts are numbers written by exact_yuan)
    out.columns = [_safe_cell(str(c)) for c in out.columns]
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\r\n")
    return buf.getvalue().encode("utf-8-sig")


class ExportRefused(RuntimeError):
    """A person-level file that could not be recorded in the audit log is not handed out."""


def builder(
    df: pd.DataFrame,
    file_name: str,
    headers: Mapping[str, str] | None,
    person_level: bool,
    log: Callable[[str, int], bool],
) -> Callable[[], bytes]:
    """The bytes of the file, built on click. The export is recorded first: a person-level
    file whose record failed is refused (the audit fails closed); an aggregate one is still
    given, its failure in the server log."""

    def build() -> bytes:
        if not log(file_name, len(df)) and person_level:
            raise ExportRefused(labels.EXPORT_NO_AUDIT)
        return csv_bytes(df, headers)

    return build


def download_button(df: pd.DataFrame, stem: str, key: str, headers: Mapping[str, str] | None = None) -> None:
    """A download button for exactly these rows; the bytes are built only when clicked, and
    each export writes one audit row (who, page, filters, file name, rows). Rows of people
    (:func:`data_access.privacy.is_person_level`) are offered only while the audit store
    answers; otherwise the button is disabled and says why."""
    from dashboard import audit_log

    file_name = f"{stem}.csv"
    person_level = is_person_level(df)
    if person_level and not audit_log.available():
        st.download_button(
            labels.DOWNLOAD_CSV,
            data=b"",
            file_name=file_name,
            mime="text/csv",
            key=key,
            disabled=True,
            help=labels.EXPORT_NO_AUDIT,
            icon=":material/block:",
        )
        st.caption(labels.EXPORT_NO_AUDIT)
        return
    st.download_button(
        labels.DOWNLOAD_CSV,
        data=builder(df, file_name, headers, person_level, audit_log.export_recorder()),
        file_name=file_name,
        mime="text/csv",
        key=key,
        on_click="ignore",
        icon=":material/download:",
    )
