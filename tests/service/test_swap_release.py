"""After an index swap under load, the old index is released (issue 15, item 8)."""

from __future__ import annotations

import gc
import threading
import weakref
from datetime import date

from fastapi.testclient import TestClient

from embargo.service.state import ServiceState
from embargo.settings import Settings
from embargo.store import Store

H = dict[str, dict[str, str]]
PUTIN = {"id": "p", "schema": "Person", "properties": {"name": ["Vladimir Putin"]}}
CHECK = {"items": [{"id": "t", "kind": "payment", "institution": {"jurisdiction": "us"},
                    "parties": [{"role": "payee", "name": "Vladimir Putin"}]}]}


def _load(client: TestClient, headers: dict[str, str], rounds: int, check: bool) -> None:
    def one() -> None:
        for _ in range(rounds):
            assert client.post("/screen", json={"queries": [PUTIN]},
                               headers=headers).status_code == 200
            assert client.post("/match/default", json={"queries": {"q": PUTIN}},
                               headers=headers).status_code == 200
            if check:
                assert client.post("/check", json=CHECK, headers=headers).status_code == 200

    threads = [threading.Thread(target=one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_old_index_is_collected_after_a_swap(client: TestClient, headers: H,
                                             filled: Settings) -> None:
    state: ServiceState = client.app.state.embargo  # type: ignore[attr-defined]
    old = state.holder.require()
    gone = weakref.ref(old)
    _load(client, headers["screen"], 5, check=True)  # list views of the old lists are built
    assert state.views.built >= 1
    with Store.open(filled.store_url) as store:
        store.add_snapshot(source="list-c", kind="test", published=date(2024, 8, 1),
                           content_hash="c", parser_version="t", entities=[], counts={})
    swapper = threading.Thread(target=state.holder.refresh)
    swapper.start()  # the swap happens under load
    _load(client, headers["screen"], 5, check=False)
    swapper.join()
    assert state.holder.require() is not old
    _load(client, headers["screen"], 2, check=False)  # served on the new index
    del old
    gc.collect()
    assert gone() is None, [type(r).__name__ for r in gc.get_referrers(gone())]
    assert len(state.views) == 0  # the list views of the old lists went with it
