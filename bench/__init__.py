"""Benchmarks: each prints its figures and ends with `ratio: N` against a baseline."""
