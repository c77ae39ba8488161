"""Baselines the benchmarks measure escolta against (kept out of the library on purpose)."""
