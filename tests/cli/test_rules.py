"""`embargo check` and `embargo ownership import` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from embargo.cli import cli

pytestmark = pytest.mark.shared


def run(home: Path, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), *args], input=stdin)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, lists_dir: Path) -> Path:
    home = tmp_path_factory.mktemp("home")
    for rel in ("ofac-consolidated/consolidated_2025-03-28.xml",
                "ofac-sdn/history/sdn_2024-05-03.csv"):
        assert run(home, "import", str(lists_dir / rel)).exit_code == 0
    return home


def bond(market: str, day: str = "2025-04-01") -> dict[str, object]:
    return {"id": market, "date": day, "kind": "purchase", "market": market,
            "instrument": {"kind": "bond", "issuer": "Central Bank of the Russian Federation",
                           "issue_date": "2025-03-30", "currency": "RUB"},
            "institution": {"jurisdiction": "US"},
            "parties": [{"role": "issuer", "name": "Central Bank of the Russian Federation"}]}


def test_check_directives_and_regions(home: Path, tmp_path: Path) -> None:
    items = [bond("primary"), bond("secondary"),
             {"id": "crimea", "date": "2025-04-01", "kind": "payment",
              "institution": {"jurisdiction": "US"},
              "parties": [{"role": "beneficiary", "name": "Ivan Petrov",
                           "address": "ул. Ленина 1, Симферополь"}]},
             {"id": "clean", "date": "2025-04-01", "kind": "payment",
              "institution": {"jurisdiction": "US"},
              "parties": [{"role": "beneficiary", "name": "Ingeborg Abrahamsen",
                           "address": "Rue de Rivoli 1, Paris, France"}]}]
    text = "\n".join(json.dumps(i) for i in items) + "\nnot json\n"
    out = tmp_path / "decisions.jsonl"
    result = run(home, "check", "-", "-o", str(out), stdin=text)
    assert result.exit_code == 0, result.output
    decisions = {d["id"]: d for d in map(json.loads, out.read_text().splitlines())}
    assert decisions["primary"]["decision"] == "prohibited"
    assert decisions["secondary"]["decision"] == "prohibited"  # Directive 4 by then
    assert decisions["crimea"]["decision"] == "prohibited"
    # the only SDN snapshot held is of 2024-05-03, eleven months before: a stale list (issue 16)
    assert decisions["clean"]["decision"] == "review"
    assert any("2024-05-03" in r["message"] and "no later snapshot" in r["message"]
               for r in decisions["clean"]["reasons"])
    assert decisions["5"]["decision"] == "review" and decisions["5"]["error"]
    cited = [r for r in decisions["primary"]["reasons"] if r["outcome"] == "prohibited"]
    assert cited and all(r["citation"] and r["snapshot"] for r in cited)


def test_ownership_import_all_or_nothing(home: Path, tmp_path: Path) -> None:
    good = tmp_path / "own.csv"
    good.write_text("owner_id,asset_id,percentage,source,as_of\n"
                    "ofac-sdn:35096,reg:acme,60,registry,2024-01-01\n")
    result = run(home, "ownership", "import", str(good))
    assert result.exit_code == 0 and "imported 1 holdings" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("owner_id,asset_id,percentage,source,as_of\n"
                   "ofac-sdn:1,reg:x,150,registry,2024-01-01\n")
    result = run(home, "ownership", "import", str(bad))
    assert result.exit_code != 0
    item = {"id": "sub", "date": "2025-04-01", "kind": "payment",
            "institution": {"jurisdiction": "US"},
            "parties": [{"role": "beneficiary", "name": "Acme Holdings", "ids": ["reg:acme"]}]}
    decision = json.loads(run(home, "check", "-", stdin=json.dumps(item)).stdout.splitlines()[0])
    assert decision["decision"] == "prohibited"
    assert any(r.get("ownership") or "50" in r["message"] for r in decision["reasons"])
