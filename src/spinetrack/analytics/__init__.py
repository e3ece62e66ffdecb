"""Whole-cohort computation with polars, tested to agree row for row with spinetrack.domain."""
