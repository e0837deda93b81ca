"""Benchmarks and their data generators; run with `python -m bench` (or `make bench`), never by pytest."""
