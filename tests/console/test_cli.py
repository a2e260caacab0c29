"""``embargo users passwd`` and ``users add --password-stdin``: set console passwords."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from embargo.cli import main
from embargo.console.passwords import has_password, verify
from embargo.settings import load_settings
from embargo.store import Store
from embargo.store.users import UserStore


def run(home: Path, monkeypatch: pytest.MonkeyPatch, stdin: str, *args: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    with pytest.raises(SystemExit) as exc:
        main(["--home", str(home), *args])
        raise SystemExit(0)
    return int(exc.value.code or 0)


def test_passwords_from_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    assert run(home, monkeypatch, "a long passphrase\n", "users", "add", "ann", "--role",
               "analyst", "--password-stdin") == 0
    assert "console password set" in capsys.readouterr().out
    assert run(home, monkeypatch, "", "users", "add", "bob", "--role", "approver") == 0
    assert run(home, monkeypatch, "short\n", "users", "add", "cy", "--role", "analyst",
               "--password-stdin") == 2  # too short: refused before the user is added
    assert run(home, monkeypatch, "bob's new passphrase\n", "users", "passwd", "bob",
               "--password-stdin") == 0
    assert run(home, monkeypatch, "", "users", "passwd", "bob", "--password-stdin") == 2
    assert run(home, monkeypatch, "whatever password\n", "users", "passwd", "nobody",
               "--password-stdin") == 4
    with Store.open(load_settings(home).store_url) as store:
        assert verify(store.engine, "ann", "a long passphrase") is not None
        assert verify(store.engine, "bob", "bob's new passphrase") is not None
        assert verify(store.engine, "ann", "a long passphrase ") is None
        assert not has_password(store.engine, "cy")
        assert [u.name for u in UserStore(store.engine).list()] == ["ann", "bob"]
        # piped without --password-stdin (no terminal): the first line is the password
    assert run(home, monkeypatch, "piped passphrase\n", "users", "passwd", "ann") == 0
    with Store.open(load_settings(home).store_url) as store:
        assert verify(store.engine, "ann", "piped passphrase") is not None
