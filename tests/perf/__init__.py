"""Benchmarks: scripts that print figures; not part of the default test run."""
