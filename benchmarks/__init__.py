"""Performance benchmarks, run by `make bench` and never by `make test`.

Each benchmark reports its figure next to a baseline measured in the same run, as a ratio, so
that a shared, noisy machine still gives a meaningful answer.
"""
