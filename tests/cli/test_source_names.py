"""`embargo screen --source` with a name that is no list: exit 2 naming the lists, never 0 hits."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from embargo.cli import main
from embargo.model.builder import EntityBuilder
from embargo.model.entity import Schema
from embargo.settings import load_settings
from embargo.store import Store

QUERIES = "id,schema,name\nq1,Person,Vladimir Putin\n"


def run(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Exit code and output (stdout, then stderr) of ``embargo screen QUERIES ARGS``."""
    queries = home / "queries.csv"
    queries.write_text(QUERIES)
    with pytest.raises(SystemExit) as exc:
        main(["--home", str(home), "screen", str(queries), *args])
        raise SystemExit(0)
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out + out.err


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    with Store.open(load_settings(home).store_url) as store:
        for source in ("list-x", "list-y"):
            b = EntityBuilder(source, "1", Schema.PERSON)
            b.add_name("Vladimir Putin")
            store.add_snapshot(source=source, kind="test", published=date(2024, 1, 1),
                               content_hash=source, parser_version="test/1",
                               entities=[b.build()], counts={"entities": 1})
    return home


@pytest.mark.parametrize("sources", [["ofac_sdn"], ["zzz"], ["list-x", "list_y"], [""]])
def test_unknown_source_is_a_usage_error(home: Path, capsys: pytest.CaptureFixture[str],
                                         sources: list[str]) -> None:
    code, output = run(home, capsys, *[a for name in sources for a in ("--source", name)])
    assert code == 2, output
    assert "lists in the store: list-x, list-y" in output and '"hits"' not in output


def test_known_source_not_in_force_then(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = run(home, capsys, "--source", "list-x", "--as-of", "2023-01-01")
    assert code == 4 and "no snapshot of list-x in force on 2023-01-01" in output


def test_known_sources_screen(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = run(home, capsys, "--source", "list-y")
    assert code == 0, output
    assert '"entity_id":"list-y:1"' in output and "list-x" not in output
