"""The bench and the local server on a busy machine (issue 16, item 6), as settings and counts.

The handlers' DynamoDB client fails a stuck call after 5 s in Lambda; against the embedded
DynamoDB of `retro serve`, which shares the machine's cores with everything else, it waits
longer (`RETRO_DYNAMODB_READ_TIMEOUT`, set by `point_handlers_at`) instead of answering
UnavailableError. The cold-start benchmark finds the packaging command where it lives now.
"""

import os
from pathlib import Path

import pytest

from bench import cold_start
from retro.settings import Settings
from retro.store.table import Table
from retro_tools.serve import dynamodb


def test_lambda_keeps_its_short_timeout_and_few_retries():
    defaults = Settings.from_env({})
    assert (defaults.dynamodb_read_timeout, defaults.dynamodb_max_attempts) == (5, 3)
    client = Table(defaults).client
    assert client.meta.config.read_timeout == 5
    assert client.meta.config.retries["total_max_attempts"] == 3 + 1  # botocore counts the first


def test_the_embedded_dynamodb_is_waited_for_longer(monkeypatch: pytest.MonkeyPatch):
    touched = ("RETRO_DYNAMODB_ENDPOINT", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
    for name in (*touched, "AWS_SESSION_TOKEN", "AWS_REGION"):
        monkeypatch.setenv(name, os.environ.get(name, "us-east-1"))  # each put back afterwards
    monkeypatch.delenv("RETRO_DYNAMODB_READ_TIMEOUT", raising=False)
    dynamodb.point_handlers_at("http://127.0.0.1:1", dummy_credentials=True)
    try:
        settings = Settings.from_env()
        assert settings.dynamodb_read_timeout == dynamodb.EMBEDDED_READ_TIMEOUT == 20
        assert Table(settings).client.meta.config.read_timeout == 20
    finally:
        monkeypatch.delenv("RETRO_DYNAMODB_READ_TIMEOUT")
        from retro import settings as settings_module

        settings_module.settings.cache_clear()


@pytest.mark.parametrize(("value", "field"), [("0", "read"), ("11", "attempts")])
def test_timeouts_out_of_range_are_refused(value: str, field: str):
    env = {
        "RETRO_DYNAMODB_READ_TIMEOUT" if field == "read" else "RETRO_DYNAMODB_MAX_ATTEMPTS": value
    }
    with pytest.raises(ValueError, match="dynamodb_"):
        Settings.from_env(env)


def test_the_cold_start_benchmark_finds_the_packaging_command():
    assert (cold_start.ROOT / "retro_tools" / "packaging.py").exists()
    assert not (cold_start.ROOT / "retro" / "packaging.py").exists()
    source = Path(cold_start.__file__).read_text(encoding="utf-8")
    assert '"retro_tools" / "packaging.py"' in source
