"""The verified-lists contract: `import` holds (exit 7), `lists --held`, `release`, `verify`;
future dates refused; the same file imported twice at once is "unchanged"."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from embargo.cli import cli
from embargo.errors import EmbargoError
from embargo.ingest.importer import import_path
from embargo.settings import load_settings
from embargo.store import Store
from mirror import un_xml

pytestmark = pytest.mark.shared
UN_NEW = "consolidated_2026-02-27.xml"


class Run:
    """A CLI run with the exit code `embargo` itself gives (errors mapped as in main())."""

    def __init__(self, result: Result) -> None:
        error = result.exception
        self.exit_code = (error.exit_code if isinstance(error, EmbargoError)
                          else result.exit_code)
        message = f"embargo: error: {error.message}\n" if isinstance(error, EmbargoError) else ""
        self.output = result.output + message
        self.stdout = result.stdout


def run(home: Path, *args: str, stdin: str | None = None) -> Run:
    return Run(CliRunner().invoke(cli, ["--home", str(home), *args], input=stdin))


def _screen_hits(home: Path, name: str) -> set[str]:
    result = run(home, "screen", "-", "--format", "jsonl", stdin=f"id,name\nq1,{name}\n")
    assert result.exit_code == 0, result.output
    return {h["entity_id"] for h in json.loads(result.stdout.splitlines()[0])["hits"]}


def _sdn_drop(src: Path, dest: Path) -> None:
    """The SDN list with 40% of its rows removed (rows 3 and 4 of every 5)."""
    lines = src.read_bytes().split(b"\r\n")
    kept = [line for i, line in enumerate(lines) if i % 5 < 3 or not line.strip()]
    dest.write_bytes(b"\r\n".join(kept))


def test_large_drop_is_held_and_screening_keeps_the_old_list(tmp_path: Path,
                                                             lists_dir: Path) -> None:
    home = tmp_path / "home"
    source = lists_dir / "ofac-sdn" / "history" / "sdn_2021-08-20.csv"
    assert run(home, "import", str(source)).exit_code == 0
    dropped = tmp_path / "sdn_2021-08-24.csv"
    _sdn_drop(source, dropped)
    result = run(home, "import", str(dropped))
    assert result.exit_code == 7, result.output
    assert "HELD" in result.output and "removes 36" in result.output
    assert "(40.0%; the limit is 5.0%)" in result.output
    held = json.loads(run(home, "lists", "--held", "--json").output)
    assert [(s["published"], s["held"][:7]) for s in held] == [("2021-08-24", "removes")]
    assert "ofac-sdn:424" in _screen_hits(home, "BOUTIQUE LA MAISON")  # removed, held
    assert run(home, "show", "ofac-sdn:424", "--json").exit_code == 0
    shown = json.loads(run(home, "show", "ofac-sdn:424", "--json").output)
    assert shown["listed"] is True
    released = run(home, "release", str(held[0]["id"]), "--user", "alice")
    assert released.exit_code == 0 and "released" in released.output
    assert "ofac-sdn:424" not in _screen_hits(home, "BOUTIQUE LA MAISON")
    assert json.loads(run(home, "lists", "--held", "--json").output) == []
    verified = run(home, "verify", "--json")
    assert verified.exit_code == 0 and json.loads(verified.output)["records"] == 3


def test_max_removed_option(tmp_path: Path, lists_dir: Path) -> None:
    home = tmp_path / "home"
    source = lists_dir / "ofac-sdn" / "history" / "sdn_2021-08-20.csv"
    run(home, "import", str(source))
    dropped = tmp_path / "sdn_2021-08-24.csv"
    _sdn_drop(source, dropped)
    assert run(home, "import", str(dropped), "--max-removed", "0.5").exit_code == 0
    assert run(home, "import", str(dropped), "--max-removed", "2").exit_code == 2


def test_rollback_and_empty_are_held(tmp_path: Path, lists_dir: Path) -> None:
    home = tmp_path / "home"
    un = lists_dir / "un"
    assert run(home, "import", str(un / UN_NEW)).exit_code == 0
    result = run(home, "import", str(un / "consolidated_2025-04-19.xml"))
    assert result.exit_code == 7 and "rollback: published 2025-04-19" in result.output
    empty = tmp_path / "un_empty.xml"
    empty.write_bytes(un_xml(un / UN_NEW, generated="2026-03-02T00:00:00Z", keep=0.0))
    result = run(home, "import", str(empty))
    assert result.exit_code == 7 and "empty list: 0 entities read" in result.output
    shown = json.loads(run(home, "show", "un:QDi.001", "--json").output)
    assert shown["listed"] is True and shown["snapshot"]["published"] == "2026-02-27"
    assert run(home, "release", "1", "--user", "bob").exit_code == 2  # not held


def test_future_dates_are_refused(tmp_path: Path, lists_dir: Path) -> None:
    home = tmp_path / "home"
    un = lists_dir / "un"
    assert run(home, "import", str(un / UN_NEW)).exit_code == 0
    future = tmp_path / "un_future.xml"
    future.write_bytes(un_xml(un / UN_NEW, generated="2099-12-31T00:00:00Z",
                              drop_refs=("QDi.001",)))
    result = run(home, "import", str(future))
    assert result.exit_code == 3
    assert "published on 2099-12-31" in result.output and "refused" in result.output
    result = run(home, "import", str(un / "consolidated_2025-04-19.xml"),
                 "--published", "2099-01-01")
    assert result.exit_code == 2 and "--published 2099-01-01 is in the future" in result.output
    assert len(json.loads(run(home, "lists", "--json").output)) == 1
    assert json.loads(run(home, "show", "un:QDi.001", "--json").output)["listed"] is True


def test_verify_names_a_hand_edit(tmp_path: Path, lists_dir: Path) -> None:
    home = tmp_path / "home"
    assert run(home, "import", str(lists_dir / "un" / UN_NEW)).exit_code == 0
    assert run(home, "verify").exit_code == 0
    with sqlite3.connect(home / "embargo.sqlite3") as db:
        db.execute("DELETE FROM snapshot_members WHERE entity_id = 'un:QDi.001'")
    result = run(home, "verify")
    assert result.exit_code == 8
    assert "snapshot #1 (un 2026-02-27): membership differs" in result.output
    report = json.loads(run(home, "verify", "--json").stdout)
    assert report["ok"] is False and "1002 rows stored, 1003 logged" in report["problems"][0]


def test_same_file_imported_twice_at_once(tmp_path: Path, lists_dir: Path) -> None:
    url = load_settings(tmp_path).store_url
    Store.open(url).close()
    path = lists_dir / "un" / UN_NEW
    outcomes: list[object] = []

    def one() -> None:
        with Store.open(url) as store:
            try:
                outcomes.append(import_path(store, path)[0].created)
            except Exception as exc:  # the bug was a raw UNIQUE constraint error here
                outcomes.append(exc)

    threads = [threading.Thread(target=one) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes, key=str) == [False, False, True], outcomes
