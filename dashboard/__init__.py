"""Shared UI of the dashboard: labels, formatting, cached loaders, components."""
