"""Measuring matching quality on labelled data."""
