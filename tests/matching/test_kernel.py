"""The compiled kernel: reported as compiled or not, stale extensions found."""

from __future__ import annotations

import importlib
import logging
import os
import sys
import types
from pathlib import Path

import pytest

from embargo.matching import kernel


def _fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source_newer: bool) -> None:
    for name in kernel.KERNEL:
        short = name.rsplit(".", 1)[1]
        ext = tmp_path / f"{short}.cpython-311-x86_64-linux-gnu.so"
        src = tmp_path / f"{short}.py"
        ext.write_bytes(b"")
        src.write_text("")
        os.utime(ext, (1000, 1000))
        os.utime(src, (2000, 2000) if source_newer else (500, 500))
        module = types.ModuleType(name)
        module.__file__ = str(ext)
        monkeypatch.setitem(sys.modules, name, module)


def test_fresh_extensions_are_not_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake(tmp_path, monkeypatch, source_newer=False)
    assert kernel.compiled()
    assert kernel.stale() == []


def test_edited_source_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   caplog: pytest.LogCaptureFixture) -> None:
    _fake(tmp_path, monkeypatch, source_newer=True)
    assert kernel.stale() == list(kernel.KERNEL)
    with caplog.at_level(logging.WARNING, logger="embargo.matching.kernel"):
        kernel.check()
    assert "pip install -e ." in caplog.text


def test_pure_python_is_never_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in kernel.KERNEL:
        module = types.ModuleType(name)
        module.__file__ = f"/somewhere/{name.rsplit('.', 1)[1]}.py"
        monkeypatch.setitem(sys.modules, name, module)
    assert not kernel.compiled()
    assert kernel.stale() == []


def test_kernel_list_matches_setup() -> None:
    """``setup.py`` cannot import the package: its list of compiled modules must agree."""
    import ast

    setup = Path(__file__).resolve().parents[2] / "setup.py"
    tree = ast.parse(setup.read_text(encoding="utf-8"))
    compiled = next(ast.literal_eval(node.value) for node in tree.body
                    if isinstance(node, ast.Assign)
                    and any(getattr(t, "id", None) == "COMPILED" for t in node.targets))
    modules = tuple(p.removeprefix("src/").removesuffix(".py").replace("/", ".")
                    for p in compiled)
    assert modules == kernel.KERNEL


def test_modules_not_yet_imported_are_looked_at(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "embargo.matching.canonical", raising=False)
    installed = all(str(getattr(importlib.import_module(name), "__file__", "")).endswith(".so")
                    for name in kernel.KERNEL)
    monkeypatch.delitem(sys.modules, "embargo.matching.canonical", raising=False)
    assert kernel.compiled() is installed
