"""Inline SVG charts for report.html: drawn here as plain markup, so the page needs no script, no network and
prints as it shows. Colours follow the page's severity and compliance colours."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from markupsafe import Markup

# Compliance classes: the share of items judged that met the obligation.
RATE_CLASSES = ((1.0, "r-full"), (0.9, "r-high"), (0.6, "r-mid"), (0.0, "r-low"))
RATE_FILL = {"r-full": "#3f8f5a", "r-high": "#a8c97f", "r-mid": "#e8b04a", "r-low": "#c8473d"}
SEVERITY_FILL = {"high": "#c8473d", "medium": "#e8b04a", "low": "#6b8db5"}
MAX_BARS = 15


def rate_class(judged: int, failed: int) -> str:
    """The colour class of a share met; `r-none` when nothing was judged."""
    if judged <= 0:
        return "r-none"
    share = 1 - failed / judged
    return next(name for floor, name in RATE_CLASSES if share >= floor - 1e-9)


def _svg(width: int, height: int, label: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(label)}" class="chart"><title>{escape(label)}</title>{"".join(body)}</svg>'
    )


def _text(x: float, y: float, text: str, anchor: str = "middle", size: int = 11, fill: str = "#5c6370") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}">{escape(text)}</text>'
    )


def trend_chart(trend: Sequence[Mapping[str, Any]], label: str, period_label: Any) -> Markup:
    """One bar per period: the share of items judged in it that met their obligation, 0–100%."""
    left, top, plot_h, step = 44, 14, 150, 58
    width = left + step * max(len(trend), 1) + 10
    height = top + plot_h + 40
    body = []
    for share in (0, 0.5, 0.8, 1.0):
        y = top + plot_h * (1 - share)
        body.append(f'<line x1="{left}" x2="{width - 6}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d8dde3" stroke-width="1"/>')
        body.append(_text(left - 6, y + 4, f"{share:.0%}", anchor="end", size=10))
    for n, point in enumerate(trend):
        judged, failed = int(point["judged"]), int(point["failed"])
        share = 1 - failed / judged if judged else 0.0
        x = left + step * n + 10
        h = plot_h * share
        fill = RATE_FILL.get(rate_class(judged, failed), "#d8dde3")
        body.append(
            f'<rect x="{x}" y="{top + plot_h - h:.1f}" width="{step - 20}" height="{h:.1f}" fill="{fill}">'
            f"<title>{escape(str(point['period']))}：{judged - failed}/{judged}</title></rect>"
        )
        body.append(_text(x + (step - 20) / 2, top + plot_h - h - 4, f"{share:.0%}", size=10, fill="#1f2328"))
        body.append(_text(x + (step - 20) / 2, top + plot_h + 16, period_label(point["period"]), size=10))
        body.append(_text(x + (step - 20) / 2, top + plot_h + 30, f"{judged - failed}/{judged}", size=9))
    return _svg(width, height, label, body)


def severity_chart(
    rows: Sequence[Mapping[str, Any]], label: str, severity_labels: Mapping[str, str], more: str
) -> Markup:
    """Findings per unit as bars stacked by severity, the units with most findings first (at most MAX_BARS)."""
    counted = [(row, sum(int(n) for n in (row.get("severities") or {}).values())) for row in rows]
    counted = sorted((rc for rc in counted if rc[1]), key=lambda rc: -rc[1])
    shown = counted[:MAX_BARS]
    name_w, bar_w, row_h, top = 150, 460, 22, 26
    peak = max((total for _, total in shown), default=1)
    height = top + row_h * max(len(shown), 1) + (22 if len(counted) > MAX_BARS else 6)
    body = []
    x = name_w
    for code, text in severity_labels.items():
        body.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{SEVERITY_FILL.get(code, "#999")}"/>')
        body.append(_text(x + 16, 14, text, anchor="start", size=11))
        x += 24 + 13 * len(text)
    for n, (row, total) in enumerate(shown):
        y = top + row_h * n
        body.append(_text(name_w - 8, y + 14, str(row["unit_name"]), anchor="end", size=12, fill="#1f2328"))
        x = float(name_w)
        for code in severity_labels:
            count = int((row.get("severities") or {}).get(code, 0))
            if not count:
                continue
            w = bar_w * count / peak
            body.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 7}" '
                f'fill="{SEVERITY_FILL.get(code, "#999")}"><title>{escape(str(row["unit_name"]))} '
                f"{escape(severity_labels[code])}：{count}</title></rect>"
            )
            x += w
        body.append(_text(x + 6, y + 14, str(total), anchor="start", size=11, fill="#1f2328"))
    if len(counted) > MAX_BARS:
        body.append(_text(name_w, height - 6, more.format(n=len(counted) - MAX_BARS), anchor="start", size=11))
    return _svg(name_w + bar_w + 50, height, label, body)
