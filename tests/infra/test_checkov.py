"""checkov on infra/: no failed check, and every skipped check says why, in the resource.

checkov pins dozens of packages, so it lives in its own venv, `.venv-checkov`, at the version
in infra/tests/requirements-checkov.txt. The fixture creates that venv when it is missing (a
fresh clone, CI), which needs PyPI once.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import INFRA, ROOT, require

VENV = ROOT / ".venv-checkov"
REQUIREMENTS = INFRA / "tests" / "requirements-checkov.txt"


def _pinned_version() -> str:
    for line in REQUIREMENTS.read_text().splitlines():
        if line.startswith("checkov=="):
            return line.removeprefix("checkov==").strip()
    raise AssertionError(f"{REQUIREMENTS} pins no checkov version")


def _installed_version(checkov: Path) -> str | None:
    if not checkov.exists():
        return None
    probe = subprocess.run([checkov, "--version"], capture_output=True, text=True, check=False)
    return probe.stdout.strip() if probe.returncode == 0 else None


@pytest.fixture(scope="session")
def checkov() -> Path:
    """The checkov executable at the pinned version, installed into .venv-checkov if needed."""
    executable = VENV / "bin" / "checkov"
    if _installed_version(executable) != _pinned_version():
        steps = [
            [sys.executable, "-m", "venv", str(VENV)],
            [
                str(VENV / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                "-r",
                str(REQUIREMENTS),
            ],
        ]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True, check=False, timeout=600)
            require(done.returncode == 0, f"checkov could not be installed:\n{done.stderr[-2000:]}")
    require(_installed_version(executable) == _pinned_version(), "checkov is not runnable")
    return executable


def _scan(checkov: Path) -> dict[str, Any]:
    result = subprocess.run(
        [
            str(checkov),
            "--directory",
            str(INFRA),
            "--framework",
            "terraform",
            "--skip-download",  # no call to the vendor's platform: offline and deterministic
            "--output",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "LOG_LEVEL": "ERROR"},
        timeout=300,
    )
    # checkov exits 1 when a check fails; the JSON report says which.
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    reports = report if isinstance(report, list) else [report]
    (terraform,) = [r for r in reports if r["check_type"] == "terraform"]
    scan: dict[str, Any] = terraform
    return scan


@pytest.fixture(scope="module")
def scan(checkov: Path) -> dict[str, Any]:
    return _scan(checkov)


def test_checkov_parsed_the_whole_configuration(scan: dict[str, Any]) -> None:
    summary = scan["summary"]
    assert summary["parsing_errors"] == 0
    # Table, functions, API, WAF, bucket, distribution...: a parse that found little is a bug.
    assert summary["resource_count"] >= 25, summary
    assert summary["passed"] >= 50, summary


def test_checkov_reports_no_failed_check(scan: dict[str, Any]) -> None:
    failed = [
        f"{check['check_id']} {check['check_name']} on {check['resource']} ({check['file_path']})"
        for check in scan["results"]["failed_checks"]
    ]
    assert failed == []


def test_every_skipped_check_has_an_inline_reason(scan: dict[str, Any]) -> None:
    skipped = scan["results"]["skipped_checks"]
    assert skipped, "the known exceptions (VPC, KMS keys, ...) are expected to be listed"
    for check in skipped:
        reason = (check.get("check_result") or {}).get("suppress_comment", "")
        where = f"{check['check_id']} on {check['resource']} ({check['file_path']})"
        assert len(reason.split()) >= 5, f"{where} is skipped without a real reason: {reason!r}"
        source = (INFRA / check["file_path"].lstrip("/")).read_text()
        assert f"#checkov:skip={check['check_id']}:" in source, where
