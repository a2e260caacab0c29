"""Screening a whole file on every core: streaming, ordered, resumable (``embargo batch``)."""

from embargo.batch.rows import Options
from embargo.batch.run import Request, Summary, default_workers, run_batch

__all__ = ["Options", "Request", "Summary", "default_workers", "run_batch"]
