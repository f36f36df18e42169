"""The layer contracts of `make lint` (import-linter, `[tool.importlinter]` in pyproject.toml).

Each contract is shown to hold on the tree and to fail on one forbidden import: a copy of the
packages gets that import, and `lint-imports` must then fail naming the contract.
"""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("retro", "resolvers", "appsync_local", "retro_tools")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACTS = {
    c["id"]: c["name"]
    for c in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
        "contracts"
    ]
}

# contract id -> (module that gets the import, the forbidden import)
VIOLATIONS = {
    "runtime": ("retro/errors.py", "import retro_tools.console"),
    "resolvers": ("resolvers/views.py", "import appsync_local.engine"),
    "resolvers-call-services": ("resolvers/queries.py", "from retro.store import default_store"),
    "emulator": ("appsync_local/pubsub.py", "import retro.services"),
    "one-way": ("retro/store/keys.py", "import retro.services.checks"),
}


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": ""},
    )


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("layers")
    shutil.copy(ROOT / "pyproject.toml", root)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, root / package, ignore=shutil.ignore_patterns("*.pyc"))
    return root


def test_every_contract_of_the_architecture_is_declared() -> None:
    assert set(CONTRACTS) == set(VIOLATIONS)


def test_the_tree_keeps_every_contract(tree: Path) -> None:
    result = _lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    for name in CONTRACTS.values():
        assert f"{name} KEPT" in result.stdout


@pytest.mark.parametrize("contract", sorted(VIOLATIONS))
def test_a_forbidden_import_fails_its_contract(tree: Path, contract: str) -> None:
    module, statement = VIOLATIONS[contract]
    path = tree / module
    original = path.read_text()
    path.write_text(original + f"\n{statement}  # a forbidden import\n")
    try:
        result = _lint(tree)
    finally:
        path.write_text(original)
    assert result.returncode != 0
    assert f"{CONTRACTS[contract]} BROKEN" in result.stdout, result.stdout
