"""Data access for the service database: no streamlit here.

Every query takes a :class:`~data_access.filters.Filters` value and an access
:class:`~data_access.filters.Scope`, aggregates in the database and returns a pandas
DataFrame with English snake_case columns.
"""
