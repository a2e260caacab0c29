"""Golden files for parser tests: compare, or rewrite with EMBARGO_UPDATE_GOLDEN=1."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent / "golden"


def check_golden(path: Path, data: Any) -> None:
    """Assert ``data`` equals the golden JSON at ``path`` (rewritten when updating)."""
    text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("EMBARGO_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"golden {path} is missing: run with EMBARGO_UPDATE_GOLDEN=1"
    assert json.loads(text) == json.loads(path.read_text(encoding="utf-8")), (
        f"golden {path.name} differs (EMBARGO_UPDATE_GOLDEN=1 rewrites it)")
