# The benchmark driver's pieces (see benchmarks/bench.py and docs/benchmarks.md).
