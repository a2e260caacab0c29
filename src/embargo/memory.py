"""This process's memory, as the kernel reports it (Linux ``/proc``; elsewhere what the
platform tells)."""

from __future__ import annotations

import resource


def _proc_mb(path: str, field: str) -> float | None:
    """A ``kB`` figure of a ``/proc/self`` file (``field`` with its colon), in MB; None when
    the file or the field is missing."""
    try:
        with open(path) as fh:
            for line in fh:
                if line.startswith(field):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (``VmHWM``), in MB. Where there is no
    ``/proc``, ``ru_maxrss`` (which, in a child started by ``subprocess``, also counts its
    parent's memory at the fork)."""
    got = _proc_mb("/proc/self/status", "VmHWM:")
    if got is not None:
        return got
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def pss_mb() -> float | None:
    """This process's proportional set size in MB: its private pages plus its share of the
    pages it shares (a forked worker's index pages count once over the processes, where the
    resident size counts them in each). None where the kernel does not tell."""
    return _proc_mb("/proc/self/smaps_rollup", "Pss:")
