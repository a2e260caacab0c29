"""Alerts raised by monitoring: one per (customer, listed entry), with a reviewed lifecycle."""
