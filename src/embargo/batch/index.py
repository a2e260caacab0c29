"""The one index file every worker (and every Spark executor) loads.

It is the screening cache of ``embargo screen`` and the service
(``$EMBARGO_HOME/index/<key>.idx``, keyed by the snapshots and the matcher's
fingerprint): when it is there it is used as is, else it is built once, here, and saved.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from embargo.screening.lists import cache_path, screener_for
from embargo.store import Snapshot, Store


@contextmanager
def index_file(store: Store, snapshots: Iterable[Snapshot],
               cache_dir: Path | None) -> Iterator[Path]:
    """The path of the saved index of exactly these snapshots (built once if missing).

    Without a usable cache folder the index is saved to a temporary file for the run.
    """
    snapshots = list(snapshots)
    if cache_dir is not None:
        path = cache_path(snapshots, cache_dir)
        if not path.is_file():
            del_screener = screener_for(store, snapshots, cache_dir)  # builds and saves
            del del_screener
        if path.is_file():
            yield path
            return
    with tempfile.TemporaryDirectory(prefix="embargo-index-") as tmp:
        path = Path(tmp) / "lists.idx"
        screener_for(store, snapshots, None).save(path)
        yield path
