"""The columns every check's findings and progress carry, and the helpers that build them: a leaf, so ingest,
run and report can name the columns without loading a check kind."""

from __future__ import annotations

from typing import Any

import pandas as pd

FINDING_COLUMNS = ["unit", "period", "record", "expected", "actual", "detail", "rows", "provisional"]


PROGRESS_COLUMNS = ["unit", "target", "actual", "deadline"]


def judged_items(unit: Any, period: Any) -> pd.DataFrame:
    """The items a rule judged, as (unit, period) strings; `unit` and `period` are columns or constants."""
    frame = pd.DataFrame({"unit": unit, "period": period})
    return frame.astype({"unit": "string", "period": "string"}).fillna({"period": ""})


def findings_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A check's result with every finding column present, defaults for the ones it does not set."""
    out = frame.copy()
    for column in FINDING_COLUMNS:
        if column == "rows" and column not in out:
            out[column] = [[] for _ in range(len(out))]
        elif column == "provisional":
            out[column] = out[column].fillna(False).astype(bool) if column in out else False
        elif column not in out:
            out[column] = ""
    return out[FINDING_COLUMNS].reset_index(drop=True)


def evidence_rows(frame: pd.DataFrame, ledger: str, keys: list[str]) -> pd.Series:
    """For grouped records: per group key, the list of (ledger, row index) behind it."""
    pairs = pd.Series([(ledger, index) for index in frame.index], index=frame.index, dtype=object)
    return pairs.groupby([frame[k] for k in keys], sort=False).agg(list)
