"""The cold-start benchmark measures a handler as Lambda runs it (issue 16, item 1).

Lambda extracts the zip into a read-only /var/task, so the bytecode the build shipped is what
a cold start loads, and boto3 comes compiled from the runtime. The bench's layout keeps the
zip's `__pycache__` for the budget's figures and strips it only for the "without bytecode"
row; it runs the runtime's Python with nothing of this venv on its path but what it copies.
"""

import zipfile
from pathlib import Path

from bench.lambda_runtime import LambdaPython, find_lambda_python, task_folder


def _a_zip(folder: Path) -> Path:
    path = folder / "read.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("retro/__init__.py", "")
        archive.writestr("retro/__pycache__/__init__.cpython-312.pyc", b"\x00")
    return path


def test_the_budgets_layout_keeps_the_bytecode_the_build_shipped(tmp_path: Path):
    with task_folder(_a_zip(tmp_path), bytecode=True) as task:
        assert (task / "retro" / "__pycache__" / "__init__.cpython-312.pyc").is_file()
    with task_folder(_a_zip(tmp_path), bytecode=False) as task:
        assert (task / "retro" / "__init__.py").is_file()
        assert not list(task.rglob("__pycache__"))


def test_a_child_sees_the_task_then_the_runtime_and_writes_no_bytecode(tmp_path: Path):
    runtime = LambdaPython(python="/usr/bin/python3.12", version="3.12.1", runtime=tmp_path / "rt")
    env = runtime.env(tmp_path / "task")
    assert env["PYTHONPATH"].split(":") == [str(tmp_path / "task"), str(tmp_path / "rt")]
    assert env["PYTHONDONTWRITEBYTECODE"] == "1"
    assert runtime.command("import x")[:2] == ["/usr/bin/python3.12", "-S"]  # no site-packages


def test_without_a_build_it_says_why(tmp_path: Path):
    assert "build.json" in str(find_lambda_python(tmp_path))
