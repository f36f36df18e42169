"""A Python laid out as Lambda's Python runtime lays a function out, for the cold-start bench.

On Lambda a function's zip is extracted to `/var/task` (read-only: nothing can write bytecode
there, so a module without a `.pyc` in the zip is compiled on every cold start) and boto3,
botocore and their dependencies come from the runtime's own `/var/runtime`, compiled when the
runtime image was built. Here the same shape is:

- the runtime's CPython: the version the zips were built for (`dist/build.json`, "3.12"),
  found where the packaging command finds its compiler (the PATH, then pyenv);
- "runtime": boto3 and its dependencies copied from this venv (the same versions the tests
  use) and compiled by that interpreter once, cached under `.retro/bench/`;
- "task": a zip's contents, as they are (with the `__pycache__` the build shipped) or without
  its bytecode (what a build machine without that CPython ships);
- `python -S` with `PYTHONPATH=task:runtime` and bytecode writing off: no site-packages of the
  interpreter's own, nothing written.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from retro_tools.packaging import find_python

__all__ = ["LambdaPython", "find_lambda_python", "run_child", "task_folder"]

ROOT = Path(__file__).resolve().parent.parent

#: What /var/runtime provides that a handler or the baseline imports: boto3 and what it needs.
RUNTIME_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six")


@dataclass(frozen=True)
class LambdaPython:
    """The runtime's interpreter and its compiled copy of boto3 with its dependencies."""

    python: str
    version: str  # full, e.g. "3.12.1"
    runtime: Path

    def env(self, task: Path) -> dict[str, str]:
        """The environment of a process that runs as a function of `task`'s zip would."""
        return {
            "PYTHONPATH": f"{task}{os.pathsep}{self.runtime}",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONNOUSERSITE": "1",
        }

    def command(self, code: str, *args: str) -> list[str]:
        return [self.python, "-S", "-c", code, *args]


def find_lambda_python(dist: Path = ROOT / "dist") -> LambdaPython | str:
    """The runtime's Python as above, or a sentence saying why there is none here."""
    try:
        wanted = json.loads((dist / "build.json").read_text(encoding="utf-8"))["pythonVersion"]
    except (OSError, ValueError, KeyError):
        return "no dist/build.json (package first: python -m retro_tools.packaging)"
    found = find_python(wanted)
    if found is None:
        return f"no CPython {wanted} on this machine (the zips' runtime; pyenv install {wanted})"
    tag = "cpython-" + wanted.replace(".", "")
    runtime = ROOT / ".retro" / "bench" / f"runtime-{tag}-{_versions()}"
    if not (runtime / ".complete").exists():
        _build_runtime(found.python, runtime)
    return LambdaPython(python=found.python, version=found.version, runtime=runtime)


def _versions() -> str:
    """boto3's and botocore's versions in this venv: a new release gets a new runtime copy."""
    import boto3  # noqa: PLC0415
    import botocore  # noqa: PLC0415

    return f"boto3-{boto3.__version__}-botocore-{botocore.__version__}"


def _site() -> Path:
    return Path(next(p for p in sys.path if p.endswith("site-packages")))


def _build_runtime(python: str, runtime: Path) -> None:
    """Copy RUNTIME_PACKAGES from this venv without their bytecode, compile them with `python`."""
    if runtime.exists():
        shutil.rmtree(runtime)
    runtime.mkdir(parents=True)
    site = _site()
    for name in RUNTIME_PACKAGES:
        package, module = site / name, site / f"{name}.py"
        if package.is_dir():
            shutil.copytree(package, runtime / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif module.is_file():
            shutil.copy2(module, runtime / module.name)
    subprocess.run(
        [python, "-m", "compileall", "-q", "-j", "0", str(runtime)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (runtime / ".complete").touch()


@contextmanager
def task_folder(zip_path: Path, *, bytecode: bool) -> Iterator[Path]:
    """`zip_path`'s contents in a temporary folder: as built, or without any `__pycache__`."""
    with tempfile.TemporaryDirectory(prefix="retro-task-") as folder:
        task = Path(folder)
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(task)
        if not bytecode:
            for cache in list(task.rglob("__pycache__")):
                shutil.rmtree(cache)
        yield task


def run_child(command: list[str], env: Mapping[str, str], cwd: Path, *, timeout: float = 60) -> str:
    """Run a measuring child process; its last line of output is its figures."""
    done = subprocess.run(
        command,
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{command[-1][:80]!r} failed:\n{done.stderr[-2000:]}")
    return done.stdout.strip().splitlines()[-1]
