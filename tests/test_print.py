"""report.html and the referral letters print on A4 from a browser: rendered in headless Chromium to PDF and PNG.
Skipped where Chromium is not installed (Debian: apt-get install chromium fonts-noto-cjk)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from accountability.cli import cli

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "hongjiang-2025"
CHROMIUM = next(
    (shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome") if shutil.which(name)), None
)
A4_POINTS = (595.0, 842.0)

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")


def _chromium(tmp_path: Path, *args: str) -> None:
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
    ]  # fmt: skip
    subprocess.run([CHROMIUM, *flags, *args], check=True, capture_output=True, timeout=120)


def _pages(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height in points of every page of a PDF Chromium wrote."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    return [(float(w), float(h)) for w, h in boxes]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("print") / "out"
    result = CliRunner().invoke(
        cli,
        ["audit", str(EXAMPLE), "--pack", "hongjiang-2025", "--as-of", "2025-09-30", "--out", str(out), "--no-history"],
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("page", ["report.html", "letters/001-*.html"])
def test_prints_on_a4(outputs: Path, tmp_path: Path, page: str) -> None:
    source = next(outputs.glob(page))
    pdf, png = tmp_path / "page.pdf", tmp_path / "page.png"
    _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", source.as_uri())
    _chromium(tmp_path, "--window-size=1100,1600", f"--screenshot={png}", source.as_uri())
    pages = _pages(pdf.read_bytes())
    assert pages, "no pages in the PDF"
    assert all(abs(w - A4_POINTS[0]) < 2 and abs(h - A4_POINTS[1]) < 2 for w, h in pages), pages
    if page == "report.html":
        assert len(pages) > 3  # the overview, the summary, the findings and the referrals start on their own pages
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 20_000  # a page with content, not a blank shot


def test_all_letters_print_one_a_page_on_a4(outputs: Path, tmp_path: Path) -> None:
    letters = sorted(outputs.glob("letters/[0-9][0-9][0-9]-*.html"))
    pdf = tmp_path / "all.pdf"
    _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", (outputs / "letters" / "all.html").as_uri())
    pages = _pages(pdf.read_bytes())
    assert len(letters) == 14 and len(pages) >= len(letters)  # each letter starts a page of its own
    assert all(abs(w - A4_POINTS[0]) < 2 and abs(h - A4_POINTS[1]) < 2 for w, h in pages), pages
