"""The checkpoint of a batch run: ``OUTPUT.state.json``, replaced atomically.

It records what the run screens (the input file's fingerprint, the options, the snapshot
ids) and how far it got: the input rows done and the output's committed mark (bytes, or
Parquet parts), with the counts so far. ``--resume`` refuses to go on when anything but the
progress differs: one output comes from one input, one set of options and one set of list
snapshots, or it is not resumed.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson

from embargo.errors import UsageError

VERSION = 1


@dataclass(slots=True)
class Counts:
    rows: int = 0
    hits: int = 0
    rows_with_hits: int = 0
    errors: int = 0

    def add(self, other: Counts) -> None:
        self.rows += other.rows
        self.hits += other.hits
        self.rows_with_hits += other.rows_with_hits
        self.errors += other.errors


@dataclass(slots=True)
class State:
    """What a run is (``job``) and how far it got (``counts``, ``mark``, ``elapsed``)."""

    job: dict[str, Any]
    counts: Counts = field(default_factory=Counts)
    mark: int | None = None
    elapsed: float = 0.0
    peak_mb: dict[str, float] = field(default_factory=dict)  # per process, for monitoring
    cpu_s: dict[str, float] = field(default_factory=dict)  # per worker process
    start_cpu_s: dict[str, float] = field(default_factory=dict)  # of which its start-up
    worker_rows: dict[str, int] = field(default_factory=dict)  # rows each worker screened
    peak_pss_mb: dict[str, float] = field(default_factory=dict)  # per process, sampled


def state_path(output: Path) -> Path:
    return output.with_name(output.name + ".state.json")


def save(path: Path, state: State) -> None:
    data = {"version": VERSION, "job": state.job, "counts": asdict(state.counts),
            "mark": state.mark, "elapsed": round(state.elapsed, 3), "peak_mb": state.peak_mb,
            "cpu_s": state.cpu_s, "start_cpu_s": state.start_cpu_s,
            "worker_rows": state.worker_rows, "peak_pss_mb": state.peak_pss_mb}
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(orjson.dumps(data, option=orjson.OPT_INDENT_2))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def load(path: Path) -> State:
    try:
        data = orjson.loads(path.read_bytes())
        if data.get("version") != VERSION:
            raise ValueError(f"version {data.get('version')}")
        return State(data["job"], Counts(**data["counts"]), data["mark"], data["elapsed"],
                     data.get("peak_mb") or {}, data.get("cpu_s") or {},
                     data.get("start_cpu_s") or {}, data.get("worker_rows") or {},
                     data.get("peak_pss_mb") or {})
    except FileNotFoundError:
        raise UsageError(f"nothing to resume: no {path}") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{path} is not a batch checkpoint this version reads ({exc}); "
                         "remove it and start again without --resume") from None


def check_same(saved: dict[str, Any], now: dict[str, Any], path: Path) -> None:
    """A clear error naming what differs between the interrupted run and this one."""
    differ = sorted(k for k in set(saved) | set(now) if saved.get(k) != now.get(k))
    if differ:
        raise UsageError(f"cannot resume from {path}: {', '.join(differ)} differ from the "
                         "interrupted run (same input, options and list snapshots needed); "
                         "start again without --resume")
