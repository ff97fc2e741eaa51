"""report.html and the pages it links to (pages/findings-NNN.html, pages/referrals-NNN.html) when an audit is
too large for one page, rendered from the context html.py builds."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from accountability.report.html import DETAIL_LIMIT, PAGES_DIR, REPORT_FILE, TEMPLATE, context, environment
from accountability.tuning import DEFAULT_TUNING, Tuning

PAGE_FILES = re.compile(r"(findings|referrals)-\d{3,}\.html")


def render_html(
    doc: Mapping[str, Any], referrals: Sequence[Mapping[str, Any]], lang: str = "zh", detail_limit: int = DETAIL_LIMIT
) -> str:
    return render_pages(doc, referrals, lang, detail_limit=detail_limit)[REPORT_FILE]


def render_pages(
    doc: Mapping[str, Any],
    referrals: Sequence[Mapping[str, Any]],
    lang: str = "zh",
    tuning: Tuning = DEFAULT_TUNING,
    detail_limit: int = DETAIL_LIMIT,
) -> dict[str, str]:
    """report.html, and the pages it links to when the findings span more than `tuning.page_units` units or more
    than `tuning.page_people` people are referred: a province's audit on one page would be tens of megabytes that no
    browser opens comfortably. The pages (pages/findings-001.html …, pages/referrals-001.html …) show those sections in
    full, a page of units or people at a time; report.html keeps everything else and lists what is on each page."""
    page_units, page_people = tuning.page_units, tuning.page_people
    ctx = {**context(doc, referrals, lang, detail_limit), "page_units": page_units, "page_people": page_people}
    template = environment().get_template(TEMPLATE)
    units = ctx["units"]
    people = [(group, person) for group in ctx["referral_groups"] for person in group["people"]]
    if len(units) <= page_units and len(people) <= page_people:
        return {REPORT_FILE: template.render(**ctx)}
    pages: dict[str, str] = {}
    unit_pages: list[dict[str, Any]] = []
    unit_chunks = _chunks(units, page_units) if len(units) > page_units else []
    for number, chunk in enumerate(unit_chunks, start=1):
        name = _page_name("findings", number)
        pages[name] = template.render({**ctx, "units": chunk, "page": _page("findings", number, len(unit_chunks))})
        unit_pages += [{"name": u["name"], "count": u["count"], "severities": u["severities"], "page": number,
                        "href": f"{name}#{u['anchor']}"} for u in chunk]  # fmt: skip
    referral_pages: list[dict[str, Any]] = []
    people_chunks = _chunks(people, page_people) if len(people) > page_people else []
    for number, chunk in enumerate(people_chunks, start=1):
        name = _page_name("referrals", number)
        groups = _regrouped(chunk)
        page = _page("referrals", number, len(people_chunks))
        pages[name] = template.render({**ctx, "referral_groups": groups, "page": page})
        referral_pages.append({"number": number, "href": name, "count": len(chunk), "first": chunk[0][1]["name"],
                               "last": chunk[-1][1]["name"], "labels": [g["label"] for g in groups]})  # fmt: skip
    index = template.render({**ctx, "unit_pages": unit_pages, "referral_pages": referral_pages})
    return {REPORT_FILE: index, **pages}


def _chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _page_name(kind: str, number: int) -> str:
    return f"{PAGES_DIR}/{kind}-{number:03d}.html"


def _page(kind: str, number: int, total: int) -> dict[str, Any]:
    """Where a page is among its kind, with the links (relative to pages/) to the one before and after."""

    def link(n: int) -> str | None:
        return _page_name(kind, n).removeprefix(f"{PAGES_DIR}/") if 1 <= n <= total else None

    return {"kind": kind, "number": number, "total": total, "prev": link(number - 1), "next": link(number + 1)}


def _regrouped(chunk: list[tuple[dict[str, Any], dict[str, Any]]]) -> list[dict[str, Any]]:
    """A page's people under their disposition headings, counted on the page; letters linked from pages/."""
    groups: dict[int, dict[str, Any]] = {}
    for group, person in chunk:
        entry = groups.setdefault(id(group), {**group, "people": []})
        entry["people"].append({**person, "letter": f"../{person['letter']}" if person.get("letter") else None})
    for entry in groups.values():
        entry["count"] = len(entry["people"])
    return list(groups.values())
