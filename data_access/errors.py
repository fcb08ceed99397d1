"""Errors the data layer raises; each names the problem with a stable ``code``.

The dashboard maps the code (and ``detail``) to a Chinese message; nothing here is shown
to a user as a traceback.
"""

from __future__ import annotations


class DataAccessError(Exception):
    """Base class: ``code`` is stable, ``detail`` names the offending thing."""

    code = "data_access_error"

    def __init__(self, message: str, detail: str | None = None):
        super().__init__(message)
        self.detail = detail


class ConfigError(DataAccessError):
    code = "config_error"


class DatabaseUnavailable(DataAccessError):
    code = "database_unavailable"


class SchemaError(DataAccessError):
    """Tables or columns missing from the service database."""

    code = "schema_missing"

    def __init__(self, message: str, missing: list[str]):
        super().__init__(message, ", ".join(missing))
        self.missing = missing


class EmptyDatabase(DataAccessError):
    code = "empty_database"


class FilterError(DataAccessError, ValueError):
    """A filter value that cannot be applied: unknown code, empty selection, bad period."""

    code = "bad_filter"

    def __init__(self, message: str, field: str, reason: str, values: tuple = ()):
        super().__init__(message, field)
        self.field = field
        self.reason = reason  # unknown_value / empty_selection / inverted_period / out_of_scope
        self.values = values
