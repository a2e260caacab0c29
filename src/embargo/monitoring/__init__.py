"""Monitoring: delta re-screening of the customers when the lists or the customers change."""
