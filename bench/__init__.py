"""Retro's benchmark suite: plain scripts that print their figures (docs/PERFORMANCE.md).

`python -m bench` (`make bench`) runs every benchmark and prints one table; each module also runs
alone (`python -m bench.board_page`). Benchmarks measure, they do not assert: the counts that are
budgets are asserted by tests (tests/api, tests/perf), and wall-clock figures only ever appear in
this table and in docs/PERFORMANCE.md, never in a test.

| module | issue, item | what |
|---|---|---|
| `board_page` | 8.1 | invocations and DynamoDB requests (total, sequential) of the board page |
| `rest_shape` | 8.2 | the same page the original REST way: requests, bytes, latency |
| `cold_start` | 8.3 | fresh-interpreter import of each handler vs `import boto3`; zip sizes |
| `warm_handler` | 8.4 | one warm invocation with DynamoDB replayed from memory; profile |
| `local_server` | 8.1, 8.2, 8.5 | the same through `retro serve`: throughput, latency, fan-out |
| `handler_output` | 16.4 | the read handler's answer for the page, in bytes, vs what is selected |

`python -m bench` ends with issue 16's table (`issue16`): each row of the issue, its figure
before the work and its source, and the figure this run measured, read from the rows above.
"""

__all__: list[str] = []
