"""The CLI contract of the monitoring issue, end to end on the bundled demo lists."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from embargo.cli import main

DEMO = Path(__file__).resolve().parents[2] / "src" / "embargo" / "data" / "demo"
HISTORY = DEMO / "lists" / "ofac-sdn" / "history"


def run(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(["--home", str(home), *args])
        raise SystemExit(0)
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


def ok(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, str]:
    code, out, err = run(home, capsys, *args)
    assert code == 0, (args, out, err)
    return out, err


def test_monitoring_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    ok(home, capsys, "import", str(HISTORY / "sdn_2021-08-18.csv.xz"))
    ok(home, capsys, "users", "add", "ann", "--role", "analyst")
    ok(home, capsys, "users", "add", "bob", "--role", "approver")
    assert run(home, capsys, "users", "add", "ann", "--role", "admin")[0] == 9
    users = json.loads(ok(home, capsys, "users", "list", "--json")[0])
    assert [(u["name"], u["role"]) for u in users] == [("ann", "analyst"), ("bob", "approver")]
    ok(home, capsys, "monitor", "on")
    out, err = ok(home, capsys, "customers", "import", str(DEMO / "customers.csv"))
    assert "16 added" in out and "monitor delta run: 16 customers screened" in err

    lines = ok(home, capsys, "alerts", "list", "--json")[0].splitlines()
    alerts = [json.loads(line) for line in lines]
    assert alerts and all({"id", "customer_id", "entity_id", "state", "score", "snapshot"}
                          <= set(a) for a in alerts)
    kim = next(a for a in alerts if a["customer_id"] == "c04")
    assert kim["state"] == "open" and kim["entity_id"] == "ofac-sdn:20157"
    aid = str(kim["id"])

    ok(home, capsys, "alerts", "decide", aid, "--decision", "confirmed", "--reason",
       "same_person", "--user", "ann", "--comment", "DPRK leader")
    assert run(home, capsys, "alerts", "approve", aid, "--user", "ann")[0] == 10
    code, _, err = run(home, capsys, "alerts", "approve", aid, "--user", "zed")
    assert code == 4 and "unknown user 'zed'" in err
    ok(home, capsys, "alerts", "approve", aid, "--user", "bob")
    code, _, err = run(home, capsys, "alerts", "decide", aid, "--decision", "cleared",
                       "--reason", "x", "--user", "bob")
    assert code == 9 and "already confirmed" in err
    shown = json.loads(ok(home, capsys, "alerts", "show", aid, "--json")[0])
    assert shown["state"] == "confirmed" and [e["action"] for e in shown["events"]] == [
        "raised", "decide", "approve"]
    assert "confirmed" in ok(home, capsys, "alerts", "show", aid)[0]
    confirmed = ok(home, capsys, "alerts", "list", "--state", "confirmed", "--json")[0]
    assert [json.loads(x)["id"] for x in confirmed.splitlines()] == [kim["id"]]

    _, err = ok(home, capsys, "import", str(HISTORY / "sdn_2021-08-20.csv.xz"))
    assert "monitor delta run" in err
    export = tmp_path / "alerts.csv"
    ok(home, capsys, "alerts", "export", "--format", "csv", "-o", str(export))
    with export.open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= len(alerts) and rows[0]["customer_id"]
    jsonl = ok(home, capsys, "alerts", "export", "--format", "jsonl")[0].splitlines()
    assert "explanation" in json.loads(jsonl[0])["hit"]
    audit = ok(home, capsys, "alerts", "audit", "--format", "jsonl")[0].splitlines()
    decisions = [json.loads(x) for x in audit if json.loads(x)["user"]]
    assert [(d["action"], d["user"], d["reason"]) for d in decisions] == [
        ("decide", "ann", "same_person"), ("approve", "bob", None)]

    listed = [json.loads(x) for x in ok(home, capsys, "customers", "list", "--json")[0]
              .splitlines()]
    assert len(listed) == 16 and listed[0]["version"] == 1
    assert json.loads(ok(home, capsys, "customers", "show", "c04", "--json")[0])["alerts"]
    ok(home, capsys, "customers", "remove", "c16")
    assert run(home, capsys, "customers", "show", "nobody")[0] == 4
    status = json.loads(ok(home, capsys, "monitor", "status", "--json")[0])
    assert status["enabled"] and status["customers"] == 15 and status["lists_due"] == []
    full = json.loads(ok(home, capsys, "monitor", "run", "--full", "--json")[0])
    assert full["customers_screened"] == 15 and full["raised"] == []
    ok(home, capsys, "monitor", "off")

    out, _ = ok(home, capsys, "keys", "create", "desk", "--user", "ann", "--scope", "alerts")
    assert "acts as ann" in out
    assert run(home, capsys, "keys", "create", "desk", "--user", "zed")[0] == 4
    ok(home, capsys, "keys", "create", "plain")
    keys = json.loads(ok(home, capsys, "keys", "list", "--json")[0])
    assert sorted((k["name"], k["user"]) for k in keys) == [("desk", "ann"), ("plain", None)]
    table = ok(home, capsys, "keys", "list")[0].splitlines()
    assert "USER" in table[0] and any("desk" in r and " ann " in r for r in table[1:])


def test_alert_filters_on_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    ok(home, capsys, "import", str(HISTORY / "sdn_2021-08-18.csv.xz"))
    ok(home, capsys, "customers", "import", str(DEMO / "customers.csv"))
    ok(home, capsys, "monitor", "run")

    def alerts(*args: str) -> list[dict[str, Any]]:
        out = ok(home, capsys, "alerts", "list", "--json", *args)[0]
        return [json.loads(x) for x in out.splitlines()]

    def ids(*args: str) -> list[int]:
        return [a["id"] for a in alerts(*args)]

    every = ids()
    assert every and ids("--list", "ofac-sdn") == every and ids("--state", "open") == every
    assert ids("--state", "cleared") == [] and ids("--older-than", "1") == []
    assert ids("--newer-than", "1") == every
    scores = {a["id"]: a["score"] for a in alerts()}
    cut = sorted(scores.values())[len(scores) // 2]
    assert ids("--min-score", str(cut)) == [i for i in every if scores[i] >= cut]
    assert ids("--max-score", str(cut)) == [i for i in every if scores[i] <= cut]
    assert ids("--program", "DPRK3") and set(ids("--program", "DPRK3")) < set(every)
    code, _, err = run(home, capsys, "alerts", "list", "--list", "ofac_sdn")
    assert code == 2 and "unknown list 'ofac_sdn'" in err and "ofac-sdn" in err


def test_bad_customers_file_is_refused_whole(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,birthDate\nc1,Anna Lindqvist,\nc2,,\nc3,Bo Ek,1980-13-45\n")
    code, _, err = run(home, capsys, "customers", "import", str(bad))
    assert code == 3 and "2 bad rows, nothing imported" in err
    assert "no customers yet" in ok(home, capsys, "customers", "list")[0]
    out, err = ok(home, capsys, "customers", "import", str(bad), "--skip-errors")
    assert "1 added" in out and "2 rejected" in out and "line 3" in err
