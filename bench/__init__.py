"""Benchmarks: `make bench` runs each module's main(); every figure comes with its baseline."""
