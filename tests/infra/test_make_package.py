"""`make package` on a machine with Python but no npm: what a deployer needs, and nothing more.

The target runs in a copy of the files it reads (the Makefile, pyproject.toml, package.json,
schema/ and the packages), without `.venv` or `node_modules`, with a PATH that holds only
`make` and `python3`. If the target still reached `setup`'s npm step, make would fail on the
missing npm (and create node_modules). The wheels come from the shared cache, so no network.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from retro_tools.packaging import Target, build

from .conftest import ROOT, WHEEL_CACHE, require

#: What `python -m retro_tools.packaging` reads, and the files whose rules `setup` would run.
COPIED = [
    "Makefile",
    "pyproject.toml",
    "package.json",
    "schema",
    "retro",
    "resolvers",
    "retro_tools",
]


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("checkout")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, copy / name)
    return copy


@pytest.fixture(scope="module")
def path_without_npm(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A PATH with make and the interpreter running the tests (as python3), nothing else."""
    make = shutil.which("make")
    require(make is not None, "make is not installed")
    assert make is not None
    tools = tmp_path_factory.mktemp("bin")
    (tools / "make").symlink_to(make)
    # The real interpreter, not this venv's python: `make package` must build its own venv.
    (tools / "python3").symlink_to(Path(sys.executable).resolve())
    return str(tools)


def test_make_package_needs_no_npm(checkout: Path, path_without_npm: str, tmp_path: Path) -> None:
    assert shutil.which("npm", path=path_without_npm) is None
    assert not (checkout / ".venv").exists() and not (checkout / "node_modules").exists()
    result = subprocess.run(
        ["make", "package", f"ARGS=--cache {WHEEL_CACHE}"],
        cwd=checkout,
        env={
            "PATH": path_without_npm,
            "HOME": str(tmp_path),
            "LANG": "C.UTF-8",
            # The machine's pyenv, where the packaging finds CPython 3.12 for the bytecode
            # (as the direct build below does), or none at all on a machine without it.
            "PYENV_ROOT": os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv")),
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, f"make package failed:\n{result.stdout}\n{result.stderr}"
    assert "npm" not in result.stdout + result.stderr
    assert not (checkout / "node_modules").exists()

    # The same zips, byte for byte, as the packaging called directly on the same sources.
    built = checkout / "dist"
    direct = build(checkout, tmp_path / "direct", Target(), cache=WHEEL_CACHE)
    for function, expected in direct.zips.items():
        assert (built / f"{function}.zip").read_bytes() == expected.read_bytes(), function
    assert (built / "build.json").read_bytes() == direct.manifest.read_bytes()
    # The bare venv has pip and nothing of the project's dependencies (graphql-core is one).
    site = list((checkout / ".venv" / "lib").glob("python3*/site-packages"))
    assert site and (site[0] / "pip").is_dir(), site
    assert not list(site[0].glob("graphql*")), "packaging must not install the project"


def test_make_package_passes_options_to_packaging(checkout: Path, path_without_npm: str) -> None:
    # ARGS reaches the packaging command: an unknown architecture is refused by name.
    env = {**os.environ, "PATH": path_without_npm}
    result = subprocess.run(
        ["make", "--no-print-directory", "package", "ARGS=--arch sparc"],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode != 0
    assert "sparc" in result.stderr and "arm64" in result.stderr
