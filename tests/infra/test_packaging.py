"""The Lambda packages: one zip per function, deterministic, small, importable, and holding
only what its handler imports.

"Importable" is checked the way Lambda loads the code: the zip extracted into one folder, the
runtime's boto3 in another, a fresh interpreter that sees nothing else (``-I -S``: no
environment variables, no site-packages), then ``import`` of the zip's handler module. The zip
that ships is built for Linux CPython 3.12; it is imported in a CPython 3.12 when this machine
has one. A build for the interpreter running the tests, made by the same code, is imported
always. "Only what it imports": each handler, run so from its zip against moto's DynamoDB
server, loads from the zip every top-level module the zip holds.
"""

import glob
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.common import appsync_event
from retro import services
from retro.settings import settings
from retro.store import default_store
from retro_tools.packaging import (
    ARCHITECTURES,
    NO_BYTECODE,
    BuildResult,
    PackagingError,
    Target,
    build,
    find_python,
    install_wheels,
    lambda_functions,
    main,
    project_modules,
    runtime_requirements,
)

from .conftest import ROOT, WHEEL_CACHE, require

RESOLVER_MAP = ROOT / "schema" / "resolvers.json"
MAX_ZIP_BYTES = 5 * 1024 * 1024  # the project's budget (Lambda itself allows 50 MB zipped)

#: A small, well-known package with a compiled module (24 KB wheels, built for every platform
#: and CPython): the tests bundle it to check that a compiled dependency is the wheel of the
#: target's platform and Python, now that no runtime dependency of the project is compiled.
COMPILED = "markupsafe>=3,<4"
COMPILED_MODULE = "markupsafe._speedups"  # its C extension (markupsafe falls back without it)
#: The part of a CPython extension's file name that names the platform, per Lambda architecture.
TRIPLETS = {"x86_64": "x86_64-linux-gnu", "arm64": "aarch64-linux-gnu"}


@pytest.fixture(scope="module")
def compiled_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The production build with the compiled package bundled too."""
    out = tmp_path_factory.mktemp("compiled")
    return build(ROOT, out, Target(), cache=WHEEL_CACHE, extra_requirements=[COMPILED])


def _expected_functions() -> dict[str, str]:
    spec = json.loads(RESOLVER_MAP.read_text())
    handlers = {name: entry["handler"] for name, entry in spec["functions"].items()}
    return {**handlers, "authorizer": spec["authorizer"]["handler"]}


def _boto3_requirement() -> str:
    """boto3 as pyproject.toml requires it: what the Lambda runtime is trusted to provide."""
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    boto3: str = next(
        d for d in dependencies if re.split(r"[<>=!~\[;\s]", d, maxsplit=1)[0] == "boto3"
    )
    return boto3


def _local_machine_architecture() -> str:
    machine = platform.machine().lower()
    return {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "arm64", "arm64": "arm64"}[machine]


def _python(version: str) -> str | None:
    """A CPython ``version`` interpreter on this machine (PATH, then pyenv), or None."""
    candidates = [shutil.which(f"python{version}")]
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates += sorted(
        glob.glob(str(pyenv_root / "versions" / f"{version}.*" / "bin" / "python3"))
    )
    for candidate in filter(None, candidates):
        probe = subprocess.run(
            [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=False,
        )
        if probe.returncode == 0 and probe.stdout.strip() == version:
            return candidate
    return None


#: What every source file of the extracted zip becomes when only bytecode may be used.
NOT_THE_SOURCE = "raise ImportError('the source was read: its bytecode was not used')\n"


def _import_handlers(
    python: str,
    zip_path: Path,
    target: Target,
    workdir: Path,
    modules: tuple[str, ...] = ("graphql",),
    *,
    sources_replaced: bool = False,
) -> dict[str, Any]:
    """Import the handler of the zip (``read.zip``: the read function's) from the extracted
    zip in a clean ``python``.

    With ``sources_replaced`` every ``.py`` of the zip is replaced by a ``raise`` first, and
    the interpreter may not write bytecode (``-B``, as on Lambda's read-only /var/task): the
    import succeeds only from the zip's own ``.pyc``.

    Returns where boto3 and each of ``modules`` (imported after the handlers) were loaded
    from, and whether the local server was imported, for the caller to check.
    """
    task = workdir / "task"  # Lambda's /var/task
    runtime = workdir / "runtime"  # stands in for the runtime's own boto3
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(task)
    if sources_replaced:
        for source in task.rglob("*.py"):
            source.write_text(NOT_THE_SOURCE)
    install_wheels([_boto3_requirement()], runtime, target, WHEEL_CACHE)
    script = f"""
import importlib, json, sys
sys.path[:0] = [{str(task)!r}, {str(runtime)!r}]
handler = {_expected_functions()[zip_path.stem]!r}
module_name, _, attribute = handler.rpartition(".")
module = importlib.import_module(module_name)
assert callable(getattr(module, attribute)), handler
loaded = {{name: importlib.import_module(name).__file__ for name in ["boto3", *{list(modules)!r}]}}
print(json.dumps({{**loaded, "local": "appsync_local" in sys.modules}}))
"""
    result = subprocess.run(
        [python, "-I", "-S", *(["-B"] if sources_replaced else []), "-c", script],
        capture_output=True,
        text=True,
        check=False,
        cwd=workdir,
        env={"PATH": os.environ.get("PATH", ""), "AWS_REGION": "us-east-1"},
    )
    assert result.returncode == 0, f"importing the handler failed:\n{result.stderr}"
    loaded: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def test_build_writes_one_zip_per_function_of_the_map(production_build: BuildResult) -> None:
    expected = _expected_functions()
    assert set(production_build.zips) == set(expected)
    assert {path.name for path in production_build.zips.values()} == {
        f"{name}.zip" for name in expected
    }
    manifest = json.loads(production_build.manifest.read_text())
    assert manifest["architecture"] == "x86_64"
    assert manifest["pythonVersion"] == "3.12"
    assert {name: entry["handler"] for name, entry in manifest["functions"].items()} == expected


def test_each_zip_is_within_the_size_budget(production_build: BuildResult) -> None:
    for function, path in production_build.zips.items():
        size = path.stat().st_size
        assert size <= MAX_ZIP_BYTES, f"{function}.zip is {size} bytes, over {MAX_ZIP_BYTES}"


def test_zip_holds_the_code_and_its_dependencies_but_not_boto3_or_local_server(
    production_build: BuildResult,
) -> None:
    with zipfile.ZipFile(production_build.zips["read"]) as archive:
        names = archive.namelist()
    tops = {name.split("/")[0] for name in names}
    assert {"retro", "resolvers", "graphql"} <= tops
    assert not tops & {"boto3", "botocore", "s3transfer"}, "boto3 is the Lambda runtime's"
    assert not tops & {"appsync_local", "retro_tools"}, "the local server or a tool ships"
    for function, handler in _expected_functions().items():
        with zipfile.ZipFile(production_build.zips[function]) as archive:
            assert handler.rpartition(".")[0].replace(".", "/") + ".py" in archive.namelist()


def _extensions(names: list[str], package: str) -> list[str]:
    return [n for n in names if n.startswith(f"{package}/") and n.endswith(".so")]


def test_a_compiled_dependency_is_bundled_as_the_wheel_of_lambdas_platform(
    compiled_build: BuildResult,
) -> None:
    manifest = json.loads(compiled_build.manifest.read_text())
    assert COMPILED in manifest["requirements"]
    # An extra requirement goes in every zip, though no handler imports it
    for function, path in compiled_build.zips.items():
        with zipfile.ZipFile(path) as archive:
            binaries = _extensions(archive.namelist(), "markupsafe")
        assert binaries, f"markupsafe's compiled module is missing from {function}.zip"
        assert all("cpython-312-x86_64-linux-gnu" in n for n in binaries), binaries
        assert COMPILED in manifest["functions"][function]["requirements"]


@pytest.mark.parametrize(
    ("architecture", "python_version"), [("x86_64", "3.12"), ("arm64", "3.12"), ("arm64", "3.13")]
)
def test_wheels_are_chosen_for_the_targets_architecture_and_python(
    architecture: str, python_version: str, tmp_path: Path
) -> None:
    # WHEN the compiled package is installed for a target, whatever this machine is
    target = Target(architecture=architecture, python_version=python_version)
    install_wheels([COMPILED], tmp_path, target, WHEEL_CACHE)
    # THEN its extension is the one built for that CPU and that CPython
    binaries = [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.so")]
    expected = f"cpython-{python_version.replace('.', '')}-{TRIPLETS[architecture]}"
    assert _extensions(binaries, "markupsafe"), binaries
    assert all(expected in n for n in binaries), (expected, binaries)


def test_every_architecture_has_a_triplet_checked_here() -> None:
    assert set(TRIPLETS) == set(ARCHITECTURES)


def test_zip_holds_exactly_the_project_modules_the_handlers_import(
    production_build: BuildResult, tmp_path: Path
) -> None:
    # GIVEN the sources with one runtime module that no handler imports
    copy = tmp_path / "checkout"
    for folder in ("retro", "resolvers"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "retro" / "unused_helper.py").write_text("VALUE = 1\n")
    # THEN the project files in each zip are the runtime and handler modules its handler
    # imports, found by following its imports — and the unused module is not among them
    for function, handler in _expected_functions().items():
        with zipfile.ZipFile(production_build.zips[function]) as archive:
            names = archive.namelist()
        project = {n for n in names if n.split("/")[0] in {"retro", "resolvers"}}
        modules = {n for n in project if n.endswith(".py")}
        imported = project_modules(copy, [handler.rpartition(".")[0]])
        assert modules == set(imported), function
        assert "retro/unused_helper.py" not in imported
        assert {"retro/services/__init__.py", "retro/store/table.py"} <= modules
        # Only modules and, when the build compiled it, their bytecode: no py.typed, no data
        bytecode = {_cached(n) for n in modules} if production_build.bytecode else set()
        assert project - modules == bytecode, function
    # and a handler's zip holds no other handler's module
    with zipfile.ZipFile(production_build.zips["authorizer"]) as archive:
        assert not {"resolvers/read.py", "resolvers/write.py"} & set(archive.namelist())


def test_zip_entries_are_normalised(production_build: BuildResult) -> None:
    with zipfile.ZipFile(production_build.zips["write"]) as archive:
        infos = archive.infolist()
    names = [info.filename for info in infos]
    assert names == sorted(names)
    # No cache but the bytecode the build compiled for the runtime (when it did): one
    # cpython-312 file per module, none of pip's or of another interpreter's.
    cached = {n for n in names if "__pycache__" in n or n.endswith(".pyc")}
    modules = [n for n in names if n.endswith(".py")]
    assert cached == ({_cached(n) for n in modules} if production_build.bytecode else set())
    records = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}
    assert not [n for n in names if ".dist-info/" in n and n.rsplit("/", 1)[-1] in records]
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {info.external_attr >> 16 for info in infos} == {0o100644}


def test_building_twice_from_copied_sources_gives_identical_bytes(
    production_build: BuildResult, tmp_path: Path
) -> None:
    # GIVEN the sources copied elsewhere: new paths, new timestamps, other permissions
    copy = tmp_path / "checkout"
    copy.mkdir()
    shutil.copy(ROOT / "pyproject.toml", copy)
    for folder in ("schema", "retro", "resolvers"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for path in copy.rglob("*.py"):
        path.chmod(0o600)
    # WHEN it is built again
    again = build(copy, tmp_path / "dist", Target(), cache=WHEEL_CACHE)
    # THEN every zip and the build description are byte for byte the same
    for function, path in production_build.zips.items():
        assert again.zips[function].read_bytes() == path.read_bytes(), function
    assert again.manifest.read_bytes() == production_build.manifest.read_bytes()


def _cached(source: str) -> str:
    """Where CPython 3.12 looks for the bytecode of ``source`` (a name inside the zip)."""
    folder, _, module = source.rpartition("/")
    return f"{folder}/__pycache__/{module[:-3]}.cpython-312.pyc".lstrip("/")


def _require_bytecode(result: BuildResult) -> None:
    require(
        result.bytecode is not None,
        "no CPython 3.12 on this machine: the zips carry no bytecode (this machine kind has "
        "one under pyenv: `pyenv install 3.12`)",
    )


def test_zip_carries_unchecked_bytecode_of_the_runtimes_python_for_every_module(
    production_build: BuildResult,
) -> None:
    _require_bytecode(production_build)
    assert production_build.bytecode is not None
    python = production_build.bytecode.python
    magic = subprocess.run(
        [python, "-I", "-c", "import importlib.util; print(importlib.util.MAGIC_NUMBER.hex())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    manifest = json.loads(production_build.manifest.read_text())
    every_source: set[str] = set()
    for function, path in production_build.zips.items():
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            sources = [n for n in names if n.endswith(".py")]
            pycs = {n: archive.read(n) for n in names if n.endswith(".pyc")}
        assert set(pycs) == {_cached(n) for n in sources}, function
        assert len(pycs) == len(sources) == manifest["functions"][function]["modules"]
        for name, data in pycs.items():
            # PEP 552 header: the 3.12 magic, then flags 0b01 = hash-based, source not checked
            # (Lambda never reads or stats the source), then the source's hash.
            assert data[:4].hex() == magic, name
            assert int.from_bytes(data[4:8], "little") == 0b01, name
        every_source |= set(sources)
    assert manifest["functions"]["read"]["modules"] > 100, "every module, graphql-core's too"
    assert manifest["bytecode"] == {
        "compiler": f"CPython {production_build.bytecode.version}",
        "invalidation": "unchecked-hash",
        "modules": len(every_source),  # each module compiled once for all the zips
    }
    assert production_build.bytecode.version.startswith("3.12.")


def test_handlers_import_from_the_zips_bytecode_alone(
    production_build: BuildResult, tmp_path: Path
) -> None:
    _require_bytecode(production_build)
    assert production_build.bytecode is not None
    if _local_machine_architecture() != production_build.target.architecture:
        pytest.skip("the production zip is for another CPU architecture than this machine's")
    # GIVEN the zip extracted with every source file replaced by a `raise`
    # WHEN each handler is imported in a clean CPython 3.12 that may not write bytecode
    loaded = _import_handlers(
        production_build.bytecode.python,
        production_build.zips["write"],
        production_build.target,
        tmp_path,
        sources_replaced=True,
    )
    # THEN the imports succeeded from the zip's bytecode: no source was read
    assert not [p for p in (tmp_path / "task").rglob("*.py") if p.read_text() != NOT_THE_SOURCE], (
        "every source was replaced"
    )
    assert loaded["graphql"].startswith(str(tmp_path / "task")), loaded
    assert loaded["local"] is False


def test_bytecode_is_found_under_pyenv_when_the_path_has_none(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    python = _python("3.12")
    require(python is not None, "no CPython 3.12 on this machine to stand in a pyenv tree")
    assert python is not None
    if sys.version_info[:2] == (3, 12):
        pytest.skip("the interpreter running the tests is the runtime's: it is found first")
    # GIVEN no python3.12 on the PATH, and pyenv holding 3.12.1 and a newer 3.12 patch
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "pyenv"))
    for patch in ("3.12.1", "3.12.10"):
        folder = tmp_path / "pyenv" / "versions" / patch / "bin"
        folder.mkdir(parents=True)
        (folder / "python3").symlink_to(Path(python).resolve())
    # THEN the newest patch is the one chosen (3.12.10 after 3.12.9, not before 3.12.2)
    found = find_python("3.12")
    assert found is not None
    assert found.python == str(tmp_path / "pyenv" / "versions" / "3.12.10" / "bin" / "python3")
    assert found.version.startswith("3.12.")
    assert find_python("3.99") is None


def test_without_the_runtimes_python_the_build_says_so_and_ships_sources(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if sys.version_info[:2] == (3, 12):
        pytest.skip("the interpreter running the tests is the runtime's: it is always found")
    # GIVEN a machine with no CPython 3.12: none on the PATH, no pyenv
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "pyenv"))
    # WHEN the command packages
    status = main(["--out", str(tmp_path / "dist"), "--cache", str(WHEEL_CACHE)])
    # THEN it says clearly that the zips carry no bytecode, and still builds them
    out = capsys.readouterr().out
    assert status == 0
    assert NO_BYTECODE.format(version="3.12") in out
    assert "no CPython 3.12 here: the zips carry no bytecode" in out
    with zipfile.ZipFile(tmp_path / "dist" / "read.zip") as archive:
        names = archive.namelist()
    assert "resolvers/read.py" in names
    assert not [n for n in names if n.endswith(".pyc") or "__pycache__" in n]
    assert json.loads((tmp_path / "dist" / "build.json").read_text())["bytecode"] is None


def test_no_bytecode_option_ships_sources_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["--no-bytecode", "--out", str(tmp_path / "dist"), "--cache", str(WHEEL_CACHE)])
    out = capsys.readouterr().out
    assert status == 0 and "no bytecode (--no-bytecode)" in out
    assert NO_BYTECODE.format(version="3.12") not in out, "not a missing interpreter"
    with zipfile.ZipFile(tmp_path / "dist" / "write.zip") as archive:
        assert not [n for n in archive.namelist() if n.endswith(".pyc")]
    assert json.loads((tmp_path / "dist" / "build.json").read_text())["bytecode"] is None


def test_bytecode_from_an_interpreter_of_another_version_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN an interpreter that is not CPython 3.12 (3.13 if the tests run on 3.12)
    other = sys.executable if sys.version_info[:2] != (3, 12) else _python("3.13")
    if other is None:
        pytest.skip("no interpreter of another version than 3.12 to refuse")
    status = main(["--bytecode-python", other, "--out", str(tmp_path), "--cache", str(WHEEL_CACHE)])
    # THEN the command fails naming both versions, and writes no zip
    err = capsys.readouterr().err
    assert status == 1
    assert "CPython 3.12" in err and re.search(r"is CPython 3\.\d+\.\d+", err), err
    assert not list(tmp_path.glob("*.zip"))


def test_manifest_records_terraforms_hash_of_each_zip(production_build: BuildResult) -> None:
    import base64
    import hashlib

    manifest = json.loads(production_build.manifest.read_text())
    for function, path in production_build.zips.items():
        digest = base64.b64encode(hashlib.sha256(path.read_bytes()).digest()).decode()
        assert manifest["functions"][function]["sha256"] == digest


def test_production_zip_imports_in_a_clean_python_3_12(
    production_build: BuildResult, tmp_path: Path
) -> None:
    if _local_machine_architecture() != production_build.target.architecture:
        pytest.skip("the production zip is for another CPU architecture than this machine's")
    python = _python(production_build.target.python_version)
    if python is None:
        pytest.skip("no CPython 3.12 on this machine; the local-interpreter build is checked")
    loaded = _import_handlers(
        python, production_build.zips["read"], production_build.target, tmp_path
    )
    assert loaded["graphql"].startswith(str(tmp_path / "task")), loaded
    assert loaded["boto3"].startswith(str(tmp_path / "runtime")), loaded
    assert loaded["local"] is False, "a handler imported the local server"


#: Run in the extracted zip as Lambda would: the handler imported, one invocation, then the
#: top-level names of every module loaded from the zip's folder. {event}: the JSON event.
_INVOKE = """
import importlib, json, sys
task, runtime, handler, event = sys.argv[1:5]
sys.path[:0] = [task, runtime]
module_name, _, attribute = handler.rpartition(".")
answer = getattr(importlib.import_module(module_name), attribute)(json.loads(event), None)
from_task = sorted({
    name.split(".")[0] for name, module in list(sys.modules.items())
    if (getattr(module, "__file__", None) or "").startswith(task + "/")
})
print(json.dumps({"answer": answer, "from_task": from_task}))
"""


@pytest.fixture
def seeded_dynamodb(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """moto's DynamoDB server on 127.0.0.1 with Retro's table, a user and a board; yields the
    environment a handler needs, with ``token``, ``userId`` and ``boardId`` added."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        env = {
            "RETRO_DYNAMODB_ENDPOINT": f"http://{host}:{port}",
            "RETRO_TABLE": "retro-packaging",
            "AWS_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "RETRO_LOG_LEVEL": "ERROR",
        }
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        settings.cache_clear()
        default_store.cache_clear()
        store = default_store()
        store.table.create()
        user, token = services.create_user(store, "Packager")
        board = services.create_board(store, user.id, "Packaged")
        yield {**env, "token": token, "userId": user.id, "boardId": board.id}
    finally:
        server.stop()
        settings.cache_clear()
        default_store.cache_clear()


def _top_levels_in_zip(names: list[str]) -> set[str]:
    """The importable top-level names of a zip's entries (not metadata, not bytecode caches)."""
    tops = {name.split("/")[0] for name in names}
    return {
        top.split(".")[0]  # a top-level module: typing_extensions.py, x.cpython-312-...so
        for top in tops
        if not top.endswith(".dist-info") and top != "__pycache__"
    }


def test_each_zip_holds_the_top_level_modules_its_handler_imports_and_nothing_else(
    production_build: BuildResult, seeded_dynamodb: dict[str, str], tmp_path: Path
) -> None:
    """Issue 16's acceptance: no module in a zip that its handler does not import.

    Each handler runs from its extracted zip in a clean interpreter, for one invocation whose
    selection has an alias — the case that loads graphql-core (resolvers/selection.py) — and
    the top-level names of the modules it loaded from the zip are compared with the zip's.
    """
    with zipfile.ZipFile(production_build.zips["read"]) as archive:
        compiled = [n for n in archive.namelist() if n.endswith(".so")]
    # The production zip is pure Python: it runs in CPython 3.12 when this machine has one
    # (using its bytecode), else in the interpreter running the tests (from the sources).
    python = _python("3.12") or sys.executable
    if compiled and python == sys.executable and sys.version_info[:2] != (3, 12):
        pytest.skip(f"the zip holds compiled modules for CPython 3.12: {compiled[:3]}")
    runtime = tmp_path / "runtime"
    install_wheels([_boto3_requirement()], runtime, production_build.target, WHEEL_CACHE)
    user, token, board = (seeded_dynamodb[k] for k in ("userId", "token", "boardId"))
    events = {
        "read": appsync_event(
            "Query.board", {"id": board}, user=user, selection="{\n  id\n  name: title\n}"
        ),
        "write": appsync_event(
            "Mutation.addNote",
            {"input": {"boardId": board, "column": "GOOD", "text": "packed"}},
            user=user,
            selection="{\n  id\n  words: text\n}",
        ),
        "authorizer": {
            "authorizationToken": token,
            "requestContext": {"apiId": "local", "accountId": "000000000000"},
            "requestHeaders": {"authorization": token},
        },
    }
    assert set(events) == set(production_build.zips)
    env = {k: v for k, v in seeded_dynamodb.items() if k.isupper()}
    expected = {
        "read": {"retro", "resolvers", "graphql"},
        "write": {"retro", "resolvers", "graphql"},
        "authorizer": {"retro", "resolvers"},  # it parses no selection
    }
    for function, path in production_build.zips.items():
        # GIVEN the function's zip extracted as Lambda's /var/task
        task = tmp_path / function
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            archive.extractall(task)
        # WHEN its handler is imported and invoked once in a clean interpreter
        done = subprocess.run(
            [
                python,
                "-I",
                "-S",
                "-B",
                "-c",
                _INVOKE,
                str(task),
                str(runtime),
                _expected_functions()[function],
                json.dumps(events[function]),
            ],
            capture_output=True,
            text=True,
            check=False,
            cwd=tmp_path,
            env={"PATH": os.environ.get("PATH", ""), **env},
        )
        assert done.returncode == 0, f"{function}: the invocation failed:\n{done.stderr}"
        ran = json.loads(done.stdout.strip().splitlines()[-1])
        # THEN it answered (the selection's aliases are AppSync's to apply: the fields come
        # under their names)
        if function == "read":
            assert ran["answer"]["id"] == board and ran["answer"]["title"] == "Packaged"
        elif function == "write":
            assert ran["answer"]["text"] == "packed", ran
        else:
            assert ran["answer"]["isAuthorized"] is True, ran
        # AND the zip's top-level modules are exactly those it loaded from the zip
        assert set(ran["from_task"]) == expected[function], (function, ran["from_task"])
        assert _top_levels_in_zip(names) == set(ran["from_task"]), function
        # AND the only metadata is that of the distributions it imports
        metadata = {n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info")}
        assert {m.split("-")[0] for m in metadata} == (
            {"graphql_core"} if "graphql" in expected[function] else set()
        ), metadata
        assert not {"tests", "appsync_local", "retro_tools", "bench"} & {
            n.split("/")[0] for n in names
        }


def test_a_compiled_dependency_loads_in_a_clean_python_3_12(
    compiled_build: BuildResult, tmp_path: Path
) -> None:
    if _local_machine_architecture() != compiled_build.target.architecture:
        pytest.skip("the zip is for another CPU architecture than this machine's")
    python = _python(compiled_build.target.python_version)
    if python is None:
        pytest.skip("no CPython 3.12 on this machine; the local-interpreter build is checked")
    # The extension itself, not markupsafe's pure-Python fallback, is loaded from the zip
    loaded = _import_handlers(
        python, compiled_build.zips["read"], compiled_build.target, tmp_path, (COMPILED_MODULE,)
    )
    assert loaded[COMPILED_MODULE].startswith(str(tmp_path / "task")), loaded
    assert loaded[COMPILED_MODULE].endswith("cpython-312-x86_64-linux-gnu.so"), loaded


def test_build_for_this_interpreter_imports_in_a_clean_interpreter(tmp_path: Path) -> None:
    target = Target(
        architecture=_local_machine_architecture(),
        python_version=f"{sys.version_info.major}.{sys.version_info.minor}",
    )
    result = build(
        ROOT, tmp_path / "dist", target, cache=WHEEL_CACHE, extra_requirements=[COMPILED]
    )
    loaded = _import_handlers(
        sys.executable, result.zips["read"], target, tmp_path, (COMPILED_MODULE,)
    )
    # This interpreter's build of the extension, loaded from the zip
    assert loaded[COMPILED_MODULE].startswith(str(tmp_path / "task")), loaded
    assert f"cpython-{sys.version_info.major}{sys.version_info.minor}-" in loaded[COMPILED_MODULE]
    assert loaded["boto3"].startswith(str(tmp_path / "runtime")), loaded


def test_runtime_requirements_leave_boto3_to_lambda() -> None:
    requirements = runtime_requirements(ROOT / "pyproject.toml")
    assert requirements, "the project has dependencies to bundle"
    assert not [r for r in requirements if r.lower().startswith(("boto3", "botocore"))]


def test_resolver_map_without_authorizer_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "resolvers.json"
    broken.write_text(json.dumps({"functions": {"read": {"handler": "resolvers.read.handler"}}}))
    with pytest.raises(PackagingError, match="authorizer"):
        lambda_functions(broken)


def test_unknown_architecture_is_refused() -> None:
    with pytest.raises(PackagingError, match="s390x"):
        Target(architecture="s390x")


def test_command_reports_a_missing_package_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a checkout whose resolver map names a handler module that does not exist
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    shutil.copytree(ROOT / "retro", tmp_path / "retro")
    (tmp_path / "resolvers").mkdir()
    (tmp_path / "resolvers" / "__init__.py").write_text("")
    # WHEN the command runs
    status = main(["--root", str(tmp_path), "--cache", str(WHEEL_CACHE)])
    # THEN it fails, naming the missing handler module, and writes no zip
    assert status == 1
    assert "resolvers.read" in capsys.readouterr().err
    assert not list((tmp_path / "dist").glob("*.zip"))
