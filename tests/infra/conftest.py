"""Fixtures for the deployment tier: the packaged functions and the tools that check infra/.

Terraform and checkov are external tools. Where one is missing the tests that need it skip
with a message, unless RETRO_REQUIRE_ALL=1 (CI), where a missing tool is a failure.
"""

import os

import pytest

from retro_tools.packaging import BuildResult, Target, build
from tests.conftest import ROOT

INFRA = ROOT / "infra"
#: The wheel cache `make package` uses too: the first run downloads, later runs are offline.
WHEEL_CACHE = ROOT / "dist" / ".wheels"


def require(available: bool, what: str) -> None:
    """Skip (or, under RETRO_REQUIRE_ALL=1, fail) when a tool the test needs is missing."""
    if available:
        return
    if os.environ.get("RETRO_REQUIRE_ALL") == "1":
        pytest.fail(f"{what} (RETRO_REQUIRE_ALL=1: infrastructure tests must run)")
    pytest.skip(what)


@pytest.fixture(scope="session")
def production_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The zips exactly as `make package` builds them (Linux, Python 3.12), in a temp dir."""
    return build(ROOT, tmp_path_factory.mktemp("dist"), Target(), cache=WHEEL_CACHE)
