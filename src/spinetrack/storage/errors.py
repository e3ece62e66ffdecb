"""The database library's failures that the edges answer, named here so that no edge imports
SQLAlchemy itself (tests/architecture checks it). Aliases, not wrappers: what the library raises is
caught unchanged, with its original message and cause."""

from sqlalchemy.exc import DataError, SQLAlchemyError

UnstorableValue = DataError
"""A value that passed validation but that the database cannot hold or compare (a number out of
its range, a character it cannot store): the caller's mistake, answered as invalid input."""

DatabaseFailure = SQLAlchemyError
"""Anything the database refused or failed at (the CLI's restore reports it and stops)."""
