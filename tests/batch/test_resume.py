"""Resuming `embargo batch`: after kill -9, Ctrl-C or a full disk, no row lost or written twice."""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson
import pytest

from batch.helpers import customer_rows, run, run_failing, write_csv
from embargo.batch import Options, Request, run_batch
from embargo.batch.sinks import TextSink, partial_path
from embargo.batch.state import state_path
from embargo.errors import IncompleteError, UsageError
from embargo.settings import load_settings
from embargo.store import Store

COPIES = 60  # 60 x 20 rows: long enough to stop in the middle


@pytest.fixture
def many(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "many.csv", customer_rows(COPIES))


def batch_cmd(home: Path, source: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "embargo.cli", "--home", str(home), "batch", str(source),
            "-o", str(out), "--workers", "2", "--checkpoint-seconds", "0",
            "--chunk-rows", "50", *extra]


def wait_for_rows(state: Path, at_least: int, proc: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            rows = int(orjson.loads(state.read_bytes())["counts"]["rows"])
        except (OSError, ValueError, KeyError):
            rows = 0
        if rows >= at_least:
            return rows
        time.sleep(0.02)
    pytest.fail(f"the run ended or stalled before {at_least} rows (exit {proc.poll()})")


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_resume_after_kill_9_equals_an_uninterrupted_run(home: Path, many: Path,
                                                         tmp_path: Path, fmt: str) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    whole = tmp_path / f"whole.{fmt}"
    subprocess.run(batch_cmd(home, many, whole, "--format", fmt), check=True,
                   capture_output=True)
    out = tmp_path / f"out.{fmt}"
    total = len(customer_rows(COPIES))
    for _ in range(3):  # a fast machine may finish before the kill: try an earlier point
        proc = subprocess.Popen(batch_cmd(home, many, out, "--format", fmt, "--workers", "1"),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        rows = wait_for_rows(state_path(out), random.randrange(1, total // 3), proc)
        time.sleep(random.random() * 0.05)  # a random point between checkpoints
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if proc.returncode == -signal.SIGKILL and not out.exists():
            break
        for path in (out, partial_path(out), state_path(out)):
            shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
    else:
        pytest.skip("every run finished before it could be killed")
    assert not out.exists(), "an interrupted run must not leave a file under the output name"
    assert partial_path(out).exists() and rows < len(customer_rows(COPIES))
    done = subprocess.run(batch_cmd(home, many, out, "--format", fmt, "--resume"),
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert _content(out, fmt) == _content(whole, fmt)
    assert not partial_path(out).exists() and not state_path(out).exists()


def _content(path: Path, fmt: str) -> Any:
    if fmt != "parquet":
        return path.read_bytes()
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pylist()


def test_ctrl_c_stops_at_a_checkpoint_and_resumes(home: Path, many: Path,
                                                   tmp_path: Path) -> None:
    whole, out = tmp_path / "whole.jsonl", tmp_path / "out.jsonl"
    subprocess.run(batch_cmd(home, many, whole), check=True, capture_output=True)
    proc = subprocess.Popen(batch_cmd(home, many, out), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    wait_for_rows(state_path(out), 1, proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    if proc.returncode == 0:
        pytest.skip("the run finished before the signal arrived")
    assert proc.returncode == 130 and b"--resume" in err and b"incomplete" in err
    state = orjson.loads(state_path(out).read_bytes())
    assert partial_path(out).stat().st_size == state["mark"]  # stopped at a checkpoint
    done = subprocess.run(batch_cmd(home, many, out, "--resume"), capture_output=True,
                          check=False)
    assert done.returncode == 0 and out.read_bytes() == whole.read_bytes()


def test_resume_refuses_other_options_and_a_fresh_run_refuses_a_leftover(
        home: Path, many: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    partial_path(out).write_bytes(b"")
    state_path(out).write_bytes(orjson.dumps({
        "version": 1, "counts": {"rows": 0, "hits": 0, "rows_with_hits": 0, "errors": 0},
        "mark": 0, "elapsed": 0, "job": {"threshold": 0.9}}))
    resumed = run_failing(home, "batch", str(many), "-o", str(out), "--resume")
    assert isinstance(resumed.exception, UsageError) and "threshold" in str(resumed.exception)
    fresh = run_failing(home, "batch", str(many), "-o", str(out))
    assert isinstance(fresh.exception, UsageError) and "--resume" in str(fresh.exception)


def test_a_dead_worker_stops_the_run_at_its_checkpoint(home: Path, many: Path,
                                                        tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen(batch_cmd(home, many, out), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    wait_for_rows(state_path(out), 1, proc)
    children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True,
                              check=False).stdout.split()
    workers = [int(pid) for pid in children]
    if not workers:
        proc.kill()
        pytest.skip("no worker process found")
    os.kill(max(workers), signal.SIGKILL)  # as the kernel's out-of-memory killer would
    _, err = proc.communicate(timeout=120)
    if proc.returncode == 0:
        pytest.skip("the run finished before the worker was killed")
    assert proc.returncode == 11 and not out.exists() and state_path(out).exists()
    assert b"worker process died" in err and b"--resume" in err
    done = subprocess.run(batch_cmd(home, many, out, "--resume"), capture_output=True,
                          check=False)
    assert done.returncode == 0 and len(out.read_bytes().splitlines()) == \
        len(customer_rows(COPIES))


def test_a_full_disk_is_an_incomplete_run_that_resumes(home: Path, many: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    whole, out = tmp_path / "whole.jsonl", tmp_path / "out.jsonl"
    assert run(home, "batch", str(many), "-o", str(whole), "--workers", "1").exit_code == 0
    writes = {"left": 3}
    real_add = TextSink.add

    def add(self: TextSink, seq: int, payload: Any) -> None:
        writes["left"] -= 1
        if writes["left"] < 0:
            self.fh.write(payload[: len(payload) // 2])  # half a chunk reached the disk
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_add(self, seq, payload)

    monkeypatch.setattr(TextSink, "add", add)
    store = Store.open(load_settings(home).store_url)
    request = Request(many, out, workers=1, checkpoint_s=0.0, chunk=64, options=Options())
    try:
        with pytest.raises(IncompleteError, match="No space left"):
            run_batch(store, home / "index", request)
        assert not out.exists() and state_path(out).exists()
        monkeypatch.setattr(TextSink, "add", real_add)
        with pytest.raises(UsageError):
            run_batch(store, home / "index", request)  # a leftover needs --resume
        summary = run_batch(store, home / "index", Request(many, out, workers=1, resume=True,
                                                           chunk=64))
    finally:
        store.close()
    assert out.read_bytes() == whole.read_bytes()
    assert summary.counts.rows == len(customer_rows(COPIES))
