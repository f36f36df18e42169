"""Retro's benchmark suite: plain scripts that print their figures (docs/PERFORMANCE.md).

`python -m bench` (`make bench`) runs every benchmark and prints one table; each module also runs
alone (`python -m bench.board_page`). Benchmarks measure, they do not assert: the counts that are
budgets are asserted by tests (tests/api, tests/perf), and wall-clock figures only ever appear in
this table and in docs/PERFORMANCE.md, never in a test.

| module | issue 8 | what |
|---|---|---|
| `board_page` | 1 | invocations and DynamoDB requests (total, sequential) of the board page |
| `rest_shape` | 2 | the same page the original REST way: requests, bytes, latency |
| `cold_start` | 3 | fresh-interpreter import of each handler vs `import boto3`; zip sizes |
| `warm_handler` | 4 | one warm invocation with DynamoDB replayed from memory; profile |
| `local_server` | 1, 2, 5 | the same through `retro serve`: throughput, latency, fan-out |
"""

__all__: list[str] = []
