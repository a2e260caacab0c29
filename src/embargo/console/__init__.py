"""The analyst's web console."""
