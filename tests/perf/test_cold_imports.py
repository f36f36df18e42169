"""What a handler's cold start imports (issue 16, item 1): counted as modules, never timed.

Each handler is imported in a fresh interpreter, as Lambda does, and builds its DynamoDB client
(its first call does, through `retro.store.table`). Neither may load pydantic (the Lambda path
checks with plain dataclasses and `retro.services.checks`), graphql-core (only selections that
are not plain names need it), boto3 with s3transfer (the client is botocore's, the wire format
`retro.store.codec`'s), nor the local server and its tools.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HANDLERS = ("resolvers.read", "resolvers.write", "resolvers.authorizer")
FORBIDDEN = {
    "boto3",  # botocore's client is all a handler needs; boto3 would bring s3transfer
    "s3transfer",
    "pydantic",
    "pydantic_core",
    "graphql",
    "strawberry",
    "moto",
    "appsync_local",
    "retro_tools",
}


def _loaded_after(code: str) -> set[str]:
    tops = "sorted({m.split('.')[0] for m in sys.modules})"
    program = f"import json, sys\n{code}\nprint(json.dumps({tops}))"
    done = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=ROOT,
        env={"AWS_REGION": "us-east-1", "PATH": "/usr/bin:/bin"},
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


@pytest.mark.parametrize("handler", HANDLERS)
def test_a_handler_imports_no_validation_library_nor_graphql(handler: str):
    loaded = _loaded_after(f"import {handler}")
    assert "retro" in loaded and "resolvers" in loaded  # it did import
    assert loaded & FORBIDDEN == set()


def test_building_the_dynamodb_client_imports_no_validation_library():
    loaded = _loaded_after(
        "from retro.settings import Settings\n"
        "from retro.store.table import Table\n"
        "Table(Settings()).client"
    )
    assert loaded & FORBIDDEN == set()
