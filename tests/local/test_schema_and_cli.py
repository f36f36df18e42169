"""The schema built from the SDL prints back as the SDL; `retro serve` starts and stops cleanly."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from graphql import (
    DirectiveDefinitionNode,
    DocumentNode,
    ScalarTypeDefinitionNode,
    SchemaDefinitionNode,
    StringValueNode,
    parse,
    print_ast,
)
from graphql.language import Visitor, visit

from appsync_local.builder import FieldSpec, build_schema
from appsync_local.sdl import load_api
from tests.conftest import ROOT

from .conftest import FAKE


class _Plain(Visitor):
    def enter_string_value(self, node: StringValueNode, *_: Any) -> StringValueNode:
        return StringValueNode(value=node.value, block=False)


def normalised(sdl: str) -> str:
    """The SDL without AppSync's declarations, descriptions in one style, types sorted."""
    document = visit(parse(sdl), _Plain())
    kept = [
        d
        for d in document.definitions
        if not isinstance(
            d, ScalarTypeDefinitionNode | DirectiveDefinitionNode | SchemaDefinitionNode
        )
    ]
    kept.sort(key=lambda d: d.name.value)  # type: ignore[attr-defined]
    return print_ast(DocumentNode(definitions=tuple(kept)))


class _NoResolvers:
    def resolver(self, spec: FieldSpec) -> Any:
        return None


@pytest.mark.parametrize("path", [ROOT / "schema" / "schema.graphql", FAKE / "schema.graphql"])
def test_the_strawberry_schema_prints_as_the_sdl(path: Path) -> None:
    api = load_api(path.read_text(encoding="utf-8"))
    built = build_schema(api, _NoResolvers())
    printed = str(built.schema)
    assert normalised(printed) == normalised(api.sdl)
    # the AppSync directives print but are never declared
    assert "directive @aws" not in printed
    assert "@aws_subscribe(mutations:" in printed or "subscription" not in api.sdl.lower()


def _serve(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("RETRO_DYNAMODB_ENDPOINT", None)
    # --in-memory: not the checkout's data directory, which a running `make run` holds.
    return subprocess.Popen(
        [sys.executable, "-m", "retro_tools.cli", "serve", "--port", "0", "--in-memory", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _ready(process: subprocess.Popen[str]) -> tuple[str, list[str]]:
    lines: list[str] = []
    deadline = time.monotonic() + 60
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip())
        if line.startswith("Retro is ready at "):
            return line.split()[-1], lines
    process.kill()
    raise AssertionError("no ready line:\n" + "\n".join(lines))


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_retro_serve_starts_prints_and_stops_cleanly(stop: signal.Signals) -> None:
    process = _serve("--schema", str(FAKE / "schema.graphql"), "--no-introspection")
    try:
        url, lines = _ready(process)
        text = "\n".join(lines)
        for part in (f"{url}/graphql", f"{url}/graphiql", "/graphql/realtime", "AWS_LAMBDA"):
            assert part in text
        with urllib.request.urlopen(f"{url}/config.json", timeout=10) as answer:
            config = json.loads(answer.read())
        assert set(config) == {"graphqlUrl", "realtimeUrl"}  # Retro's API has no API key
        process.send_signal(stop)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()


def test_retro_serve_reports_a_bad_schema(tmp_path: Path) -> None:
    bad = tmp_path / "schema.graphql"
    bad.write_text("scalar AWSDateTime\ntype Query { a: String }\n")
    (tmp_path / "resolvers.json").write_text('{"functions": {}, "resolvers": {}}')
    process = _serve("--schema", str(bad))
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 2
    assert "'AWSDateTime' is built into AppSync and must not be declared" in output
    assert "Traceback" not in output
