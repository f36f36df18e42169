"""`python -m bench` ends with issue 16's table, before and now: each "now" is read from a row
a benchmark really produces, so a renamed row cannot silently read "not run".

No benchmark measures here: each benchmark's `run()` runs for real over fake measurements
(patched where it would seed a table, start a process or time a child), so the rows it returns
carry its real labels and value formats, and the summary is read over them. Counts and texts
only — no time is asserted.
"""

import functools
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import bench.__main__ as bench_main
from bench import (
    board_page,
    cold_start,
    handler_output,
    issue16,
    local_server,
    rest_shape,
    warm_handler,
)
from bench.common import FAILED_FIGURE, Row, Seeded
from bench.lambda_runtime import LambdaPython

# The CPU seconds of each import (and of each first call's import step): the handlers at
# 1.1-1.21x boto3's, under the 1.3x budget.
CPU = {"boto3": 0.100, "resolvers.read": 0.120, "resolvers.write": 0.121}
CPU["resolvers.authorizer"] = 0.110


def _fake_child(command: list[str], env: Any, cwd: Path) -> str:
    """What a measuring child prints: [[wall...], [cpu...]] of its steps."""
    code = command[command.index("-c") + 1]
    module = "boto3"
    found = re.search(r"import (resolvers\.\w+)", code)
    if found:
        module = found.group(1)
    seconds = CPU[module]
    if "handler(event)" in code or "get_item" in code:  # import, 1st call, 2nd call
        return json.dumps([[seconds, 0.05, 0.01], [seconds, 0.05, 0.01]])
    return json.dumps([[seconds], [seconds]])


@contextmanager
def _folder(*_: Any, **__: Any) -> Iterator[Path]:
    yield Path(".")


@contextmanager
def _no_table() -> Iterator[tuple[dict[str, str], dict[str, Any]]]:
    yield {}, {}


@contextmanager
def _no_process(*_: Any) -> Iterator[None]:
    yield None


def _page_costs(
    notes: int, versions: int, text_length: int = 0, char: str = ".", *, counted: bool = True
) -> dict[str, Any]:
    # a version without note counts takes a round more, as on moto
    return {
        "invocations": 1,
        "by_field": {"Query.board": 1},
        "total": 5,
        "sequential": 2 if counted else 3,
        "operations": {"GetItem": 1, "Query": 4},
    }


@pytest.fixture
def faked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> SimpleNamespace:
    """Every benchmark's measurements faked; `failed` sets the local server's failed requests,
    `load` the load average the run sees."""
    state = SimpleNamespace(failed=[], load="1.5, 1.0, 0.8")
    monkeypatch.setattr(board_page, "measure", _page_costs)
    monkeypatch.setattr(
        handler_output, "measure", lambda notes=10: handler_output.Output(1434, 1434, exact=True)
    )

    monkeypatch.setattr(cold_start, "build_zips", lambda: dict.fromkeys(issue16.HANDLERS, 3 << 20))
    runtime = LambdaPython(python="python3.12", version="3.12.1", runtime=tmp_path)
    monkeypatch.setattr(cold_start, "find_lambda_python", lambda: runtime)
    monkeypatch.setattr(cold_start, "task_folder", _folder)
    monkeypatch.setattr(cold_start, "subprocess", SimpleNamespace(run=lambda *_, **__: None))
    monkeypatch.setattr(cold_start, "a_seeded_table", _no_table)
    monkeypatch.setattr(cold_start, "run_child", _fake_child)

    seeded = Seeded("board", "user", "token", ("version",), 10)
    monkeypatch.setattr(local_server, "available", lambda: None)
    monkeypatch.setattr(local_server, "counts", list)
    monkeypatch.setattr(local_server, "_process", _no_process)
    monkeypatch.setattr(local_server, "_wait_ready", lambda _: ("http://127.0.0.1:1", "x"))
    monkeypatch.setattr(local_server, "default_store", functools.cache(lambda: None))
    monkeypatch.setattr(local_server, "seed_board", lambda *_: seeded)
    monkeypatch.setattr(local_server, "_overhead", lambda *_: (0.021, 0.020))
    monkeypatch.setattr(
        local_server, "_throughput", lambda *_: (20.0, [0.1] * 50, list(state.failed))
    )

    async def fan_out(*_: Any) -> tuple[list[float], list[float]]:
        last = [0.030] * 98 + [0.045, 0.250]  # p99: the 99th of 100, 45 ms
        return last, [0.020] * local_server.SUBSCRIBERS

    monkeypatch.setattr(local_server, "_fanout", fan_out)
    monkeypatch.setattr(local_server, "load", lambda: state.load)
    monkeypatch.setattr(bench_main, "_load", lambda: state.load)
    monkeypatch.setattr(rest_shape, "run", list)  # no row of the issue's table comes from these
    monkeypatch.setattr(warm_handler, "run", list)
    return state


def _lines(rows: list[Row]) -> dict[str, issue16.Line]:
    lines = issue16.summary(rows)
    assert [line.recorded for line in lines] == list(issue16.BEFORE.values())
    return dict(zip(issue16.BEFORE, lines, strict=True))


def test_every_row_of_the_issue_is_read_from_what_the_benchmarks_produce(faked: SimpleNamespace):
    rows = bench_main.run_benchmarks(bench_main.BENCHMARKS)
    assert [r for r in rows if r.figure == FAILED_FIGURE] == []
    lines = _lines(rows)

    assert lines["import"].now.text == (
        "as on Lambda: read 1.20x, write 1.21x, authorizer 1.10x; "
        "source tree: read 1.20x, write 1.21x, authorizer 1.10x"
    )
    assert lines["import"].verdict == "ok"
    assert lines["zip"].now.text == (
        "zip without bytecode: read 1.20x, write 1.21x, authorizer 1.10x"
    )
    assert lines["zip"].verdict == ""  # the issue set no budget there
    # import + what the 1st call does more than the 2nd: (0.12 + 0.04) / (0.10 + 0.04)
    first_call = lines["first call"].now.text
    assert "as on Lambda: read 1.14x, write 1.15x, authorizer 1.07x" in first_call
    assert "zip without bytecode: read 1.14x" in first_call
    assert "source tree: read 1.14x" in first_call
    assert lines["rounds"].now.text == (
        "2 at all 7 sizes; "
        "3 at 600 notes of 2,000 chars (over the limit, stored before note counts)"
    )
    assert lines["rounds"].verdict == "ok"
    assert lines["output"].now.text == "1,434 B returned, 1,434 B selected"
    assert lines["output"].verdict == "ok"
    assert lines["fan-out 100"].now.text == "not measured (the bench fans out to 300 subscribers)"
    assert lines["fan-out 100"].verdict == ""
    assert lines["fan-out 300"].now.text == "45.0 ms (p50 30.0 ms, max 250.0 ms) at load 1.5 -> 1.5"
    assert lines["fan-out 300"].verdict == "ok"
    assert lines["under load"].now.text == "ran to the end at load 1.5-1.5, 0 failed requests"
    assert lines["under load"].verdict == "ok"


def test_a_budget_missed_reads_missed(faked: SimpleNamespace, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(CPU, "resolvers.write", 0.140)  # 1.4x boto3's import
    faked.failed = ["the server answered errors: UnavailableError", "timed out"]
    faked.load = "3.2, 2.0, 1.1"
    lines = _lines(bench_main.run_benchmarks(bench_main.BENCHMARKS))
    assert lines["fan-out 300"].now.text.endswith(
        "at load 3.2 -> 3.2 (the budget holds at load <= 2)"
    )
    assert "write 1.40x" in lines["import"].now.text
    assert lines["import"].verdict == "MISSED"
    # two failed requests in each of the two throughput runs (10 and 100 notes)
    assert lines["under load"].now.text.endswith(", 4 failed requests")
    assert lines["under load"].verdict == "MISSED"


def test_a_benchmark_that_dies_is_reported_and_the_others_still_run(
    faked: SimpleNamespace, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    def dies() -> list[Row]:
        raise RuntimeError("UnavailableError: the database did not answer in time")

    monkeypatch.setattr(local_server, "run", dies)
    assert bench_main.main([]) == 1
    printed = capsys.readouterr().out
    summary = printed.split("Issue 16: before -> now", 1)[1]
    under_load = next(ln for ln in summary.splitlines() if ln.startswith("`make bench` under load"))
    assert "did not finish at load" in under_load
    assert "local_server: RuntimeError: UnavailableError: the database did not" in under_load
    assert under_load.rstrip().endswith("MISSED")
    assert "1,434 B returned, 1,434 B selected" in summary  # the others ran
    for recorded in issue16.BEFORE.values():  # each row of the issue, its before and its source
        line = next(ln for ln in summary.splitlines() if ln.startswith(recorded.measure))
        assert recorded.before in line
    assert all(f"] {source}" in summary for source in issue16.SOURCES.values())


def test_a_benchmark_not_run_reads_not_run():
    lines = _lines([])
    assert {line.now.text for line in lines.values()} == {"not run"}
    assert {line.verdict for line in lines.values()} == {""}
    assert set(issue16.NOW) == set(issue16.BEFORE)
