from __future__ import annotations

from pathlib import Path

import pytest

from embargo.evaluation.pairs import evaluate_pairs, main, read_pairs


def test_small_file(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "case_group,schema,name1,name2,is_match\n"
        "g,Company,OOO Neobit,Neobit LLC,true\n"
        "g,Company,Bank 1,Bank 2,false\n", encoding="utf-8")
    report = evaluate_pairs(path)
    assert report.pairs == 2 and report.positives == 1
    assert report.default.f1 == 1.0
    assert report.us_per_pair > 0


def test_cross_script_layout(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("# comment\nВладимир Путин,Vladimir Putin,0.9,desc\n", encoding="utf-8")
    assert len(read_pairs(path)) == 1
    assert main([str(path)]) == 0


@pytest.mark.shared
@pytest.mark.parametrize(
    ("name", "floor"),
    [("cascade-name-pairs.csv", 0.85), ("cascade-name-pairs-2.csv", 0.85),
     ("cross_script_pairs.csv", 1.0)],
)
def test_shared_pair_files(shared: Path, name: str, floor: float) -> None:
    report = evaluate_pairs(shared / "eval" / "pairs" / name)
    assert report.default.f1 >= floor
