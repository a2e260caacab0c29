"""Screening parties against the lists in force: the library behind ``embargo screen``."""
