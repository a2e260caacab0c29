"""The original-script alias evaluation: Latin-only index, each other-script alias screened."""

from __future__ import annotations

from pathlib import Path

import pytest

from embargo.evaluation.aliases import alias_recall, split_aliases
from embargo.evaluation.aliases import main as aliases_main
from embargo.evaluation.screening import main as screening_main
from embargo.model import Entity, Name, NameKind, Schema


def party(eid: str, *names: str) -> Entity:
    return Entity(id=eid, source="t", native_id=eid, schema=Schema.PERSON,
                  names=tuple(Name(n, NameKind.PRIMARY if i == 0 else NameKind.ALIAS)
                              for i, n in enumerate(names)))


PARTIES = [
    party("putin", "Vladimir Putin", "Владимир Путин"),
    party("zarif", "Mohammad Javad Zarif", "محمدجواد ظریف"),
    party("houthi", "Abd al-Khaliq al-Houthi", "عبدالخالق الحوثي"),
    party("lounici", "Djamel Lounici", "جمال لونيسي"),
    party("nobody", "Maria Schneider"),
    party("only-native", "习近平"),  # no Latin name: not indexed, not asked for
]


def test_split_keeps_latin_names_and_lists_the_others() -> None:
    latin, aliases = split_aliases(PARTIES)
    assert [e.id for e in latin] == ["putin", "zarif", "houthi", "lounici", "nobody"]
    assert all(len(e.names) == 1 for e in latin)
    assert (aliases[0][0].id, aliases[0][1].full) == ("putin", "Владимир Путин")
    assert len(aliases) == 4


def test_every_alias_finds_its_party_first() -> None:
    report = alias_recall(PARTIES, misses=5)
    assert report["scripts"]["Arabic"] == {"aliases": 3, "top5": 1.0, "first_matching": 1.0}
    assert report["scripts"]["Cyrillic"]["first_matching"] == 1.0
    assert report["missed"] == []


def test_missing_shared_folder_is_a_clear_error(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert aliases_main(["--shared", str(tmp_path / "nowhere")]) == 2
    assert screening_main(["--shared", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert err.count("error: no folder") == 2 and "EMBARGO_SHARED" in err
