"""Benchmarks the project keeps (see README, docs/performance.md)."""
