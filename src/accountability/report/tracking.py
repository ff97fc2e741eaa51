"""How this audit compares with the previous one (新发现, 仍未整改, 已整改, 死灰复燃), worked out once so that
report.html and the console summary give the same counts and name the same earlier audit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from accountability.report import labels as L
from accountability.report.tables import findings_frame

State = Literal["off", "first", "compared"]


@dataclass(frozen=True)
class Comparison:
    """`off`: the audit ran without history; `first`: nothing recorded before it; `compared`: `counts` per status
    code (L.STATUSES) against the audit(s) of `previous_as_of`."""

    state: State
    previous_as_of: str
    counts: dict[str, int]


def compare(doc: Mapping[str, Any], findings: pd.DataFrame | None = None) -> Comparison:
    """The comparison findings.json records: `audit.history` null is history off, an empty `previous` the first.
    `findings`: the doc's findings as `findings_frame` gives them, when the caller has them already."""
    history = (doc.get("audit") or {}).get("history")
    previous = (history or {}).get("previous") or []
    state: State = "off" if history is None else "compared" if previous else "first"
    dates = sorted({str(p.get("as_of")) for p in previous if p.get("as_of")})
    df = findings_frame(doc.get("findings")) if findings is None else findings
    counts = {
        "new": int((df["status"] == "new").sum()),
        "persisting": int((df["status"] == "persisting").sum()),
        "resolved": len(doc.get("resolved") or []),
        "relapse": int(df["relapse"].sum()),
    }
    return Comparison(state, "、".join(dates), counts)


def counts_text(comparison: Comparison, lang: str = "zh") -> str:
    """'新发现 3，仍未整改 21，已整改 2，死灰复燃 0'."""
    statuses = L.status_labels(lang)
    return L.text(lang)["list_sep"].join(f"{statuses[code]} {comparison.counts[code]}" for code in L.STATUSES)
