"""Benchmarks that print one JSON object per line with named figures."""
