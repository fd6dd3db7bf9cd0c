"""Benchmarks, evaluation and synthetic model packages for tests."""
