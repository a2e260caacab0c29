"""Embargo: sanctions screening and compliance."""

__version__ = "0.1.0"
