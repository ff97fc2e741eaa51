"""Where the bundled rule packs and report templates live, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_SOURCE_ROOT = _PACKAGE.parents[1]
_SOURCE_PATHS = {"rules": _SOURCE_ROOT / "rules", "templates": _SOURCE_ROOT / "reports" / "templates"}


def resource_dir(name: str) -> Path:
    """The wheel carries rules/ and templates/ inside the package; an editable checkout has them at the top."""
    bundled = _PACKAGE / name
    return bundled if bundled.is_dir() else _SOURCE_PATHS[name]
