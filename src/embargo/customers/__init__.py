"""Monitored customers: records read from CSV, FtM JSON lines or Parquet, kept with versions."""
