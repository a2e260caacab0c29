"""The CLI contract of the foundation issue, end to end on the real history files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from embargo.cli import cli, main

pytestmark = pytest.mark.shared


def run(home: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), *args], catch_exceptions=False)


def run_main(home: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(["--home", str(home), *args])
        raise SystemExit(0)
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, lists_dir: Path) -> Path:
    home = tmp_path_factory.mktemp("home")
    history = lists_dir / "ofac-sdn" / "history"
    for day in ("2021-08-20", "2021-08-18", "2022-02-24"):  # out of order on purpose
        # an older file after a newer one is a rollback (held) unless it fills in history
        result = run(home, "import", "--backfill", str(history / f"sdn_{day}.csv"))
        assert result.exit_code == 0, result.output
    return home


def test_lists(home: Path) -> None:
    result = run(home, "lists", "--json")
    snaps = json.loads(result.output)
    assert [(s["source"], s["published"]) for s in snaps] == [
        ("ofac-sdn", "2021-08-18"), ("ofac-sdn", "2021-08-20"), ("ofac-sdn", "2022-02-24")]
    assert [s["entity_count"] for s in snaps] == [9083, 9115, 9123]


def test_reimport_is_idempotent(home: Path, lists_dir: Path) -> None:
    path = lists_dir / "ofac-sdn" / "history" / "sdn_2021-08-18.csv"
    result = run(home, "import", str(path))
    assert result.output.startswith("unchanged:")
    assert len(json.loads(run(home, "lists", "--json").output)) == 3


def test_diff_pipeline_designations(home: Path) -> None:
    data = json.loads(run(home, "diff", "ofac-sdn", "2021-08-18", "2021-08-20", "--json").output)
    added = {c["id"]: c["caption"] for c in data["added"]}
    assert added["ofac-sdn:31920"] == "AKADEMIK CHERSKIY"
    assert added["ofac-sdn:31914"] == "SAMARA HEAT AND ENERGY PROPERTY FUND"
    assert len(added) == 32 and data["removed"] == []
    assert all(c["fields"] for c in data["changed"])


def test_show_as_of(home: Path) -> None:
    show = ("show", "ofac-sdn:31920", "--json", "--as-of")
    before = json.loads(run(home, *show, "2021-08-19").output)
    assert before["listed"] is False
    after = json.loads(run(home, *show, "2021-08-20").output)
    assert after["listed"] is True
    assert after["entity"]["schema"] == "Vessel"
    imo = [i["value"] for i in after["entity"]["identifiers"] if i["kind"] == "imo"]
    assert imo == ["8770261"]
    assert after["history"][0]["change"] == "added"
    text = run(home, "show", "ofac-sdn:31920", "--as-of", "2021-08-19").output
    assert "not listed as of 2021-08-19" in text


def test_show_unknown_entity(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_main(home, "show", "ofac-sdn:999999999", capsys=capsys)
    assert code == 4 and err.startswith("embargo: error:")


def test_export_ftm(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.ftm.json"
    result = run(home, "export", "--format", "ftm", "--as-of", "2021-08-19", "-o", str(out))
    assert result.exit_code == 0
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert {"id", "schema", "properties"} <= set(lines[0])
    parties = [e for e in lines if e["schema"] in ("Person", "Organization", "Vessel",
                                                   "Airplane", "Company", "LegalEntity")]
    assert len(parties) == 9083


def test_bad_file_leaves_store_untouched(home: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "sdn.csv"
    bad.write_bytes(b'1,"A",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n2,"B",-0')
    before = run(home, "lists", "--json").output
    code, _, err = run_main(home, "import", str(bad), capsys=capsys)
    assert code == 3
    assert str(bad) in err and len(err.strip().splitlines()) == 1
    assert run(home, "lists", "--json").output == before


@pytest.mark.parametrize("content", [b"", b"\x89PNG\r\n\x1a\n\x00\x00", b"<html>nope</html>"])
def test_wrong_format(tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "list.bin"
    path.write_bytes(content)
    code, _, err = run_main(tmp_path / "h", "import", str(path), capsys=capsys)
    assert code == 3 and str(path) in err


def test_huge_file_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "sdn.csv"
    with path.open("wb") as fh:  # sparse: 2 GB on paper, no disk used
        fh.truncate(2 * 1024**3)
    code, _, err = run_main(tmp_path / "h", "import", str(path), capsys=capsys)
    assert code == 3 and "over the limit" in err


def test_folder_walk_and_gz(tmp_path: Path, lists_dir: Path) -> None:
    import gzip

    folder = tmp_path / "lists"
    folder.mkdir()
    src = lists_dir / "un" / "consolidated_2025-04-19.xml"
    (folder / "un.xml.gz").write_bytes(gzip.compress(src.read_bytes()))
    shutil.copy(lists_dir / "us-bis" / "dpl.txt", folder / "dpl.txt")
    (folder / "README.md").write_text("not a list")
    result = run(tmp_path / "h", "import", str(folder), "--published", "2021-06-01")
    assert result.exit_code == 0, result.output
    snaps = json.loads(run(tmp_path / "h", "lists", "--json").output)
    assert sorted(s["source"] for s in snaps) == ["bis-dpl", "un"]
    assert {s["source"]: s["entity_count"] for s in snaps}["un"] == 684 + 193
