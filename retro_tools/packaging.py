"""Build the Lambda deployment packages: ``dist/<function>.zip``, one per function.

The functions are the ones ``schema/resolvers.json`` names (``functions.*`` plus the
``authorizer``), so adding a function there adds a zip here. Each zip holds what its
handler imports, and nothing else (a cold start lists and maps what the zip holds):

- the modules of the project's ``retro`` and ``resolvers`` packages that the handler's module
  imports, directly or not, deferred imports included — found by reading the sources, so
  never ``appsync_local`` (the local AppSync) nor the tools;
- of the runtime dependencies from ``pyproject.toml``, those whose modules these import, with
  what they need — *minus boto3*: the Lambda Python runtime ships boto3 and botocore, and
  bundling them would triple the zip for nothing. They are installed as Linux wheels for the
  target architecture and Python version with
  ``pip install --platform ... --only-binary=:all: --target ...``, so a build on macOS still
  produces a package for Lambda's Linux. (So the authorizer, which parses no selection, ships
  without graphql-core.)

- bytecode for every module, compiled by a CPython of the runtime's version when the build
  machine has one (``python3.12`` on the PATH or under pyenv): Lambda's ``/var/task`` is
  read-only, so without it every cold start compiles every module it imports. The ``.pyc`` are
  *unchecked hash-based* (PEP 552): their bytes depend only on the source, and the runtime
  loads them without reading or even stat-ing the source. Without such an interpreter the zips
  carry sources only, and the command says so.

The zips are deterministic: the same sources and wheels (and the same interpreter compiling
them) give the same bytes (entries sorted, fixed timestamps and permissions, no cache but the
bytecode above, none of the install records pip writes with machine-dependent content).
Terraform's ``source_code_hash`` therefore changes only when the code or a dependency really
changed, and only then is a function redeployed.

Downloaded wheels are cached in ``dist/.wheels``: after the first build no network is needed,
and the dependency versions stay those of the cache until it is deleted (``rm -r dist/.wheels``
picks up new releases).

Run ``python -m retro_tools.packaging`` (``make package``); ``--help`` lists the options.
"""

from __future__ import annotations

import argparse
import ast
import base64
import csv
import glob
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ARCHITECTURES",
    "BuildResult",
    "Bytecode",
    "PackagingError",
    "Target",
    "build",
    "compile_bytecode",
    "find_python",
    "install_wheels",
    "lambda_functions",
    "main",
    "project_modules",
    "runtime_requirements",
]

#: Lambda architecture name -> the manylinux platform tag of its wheels. manylinux2014 (glibc
#: 2.17) wheels run on every Lambda Python runtime (Amazon Linux 2 and 2023).
ARCHITECTURES = {"x86_64": "manylinux2014_x86_64", "arm64": "manylinux2014_aarch64"}

#: The default architecture. x86_64, because the test suite can then import the very zip that
#: ships in a real CPython on the x86_64 machines this project is built and tested on; arm64
#: (about 20 % cheaper per GB-second) is one option away: ``--arch arm64`` here and
#: ``lambda_architecture = "arm64"`` in Terraform.
DEFAULT_ARCHITECTURE = "x86_64"
DEFAULT_PYTHON_VERSION = "3.12"

#: Provided by the Lambda Python runtime, so never bundled.
RUNTIME_PROVIDED = frozenset({"boto3", "botocore"})

#: The project's packages a Lambda function may import from: the runtime and the handlers.
PROJECT_PACKAGES = ("retro", "resolvers")

#: Files pip writes into ``*.dist-info`` that describe the installation rather than the
#: package; some vary between machines (RECORD lists compiled files, INSTALLER names the tool).
INSTALL_RECORDS = frozenset({"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"})

#: Zip entries get this timestamp (the earliest a zip can store) and these permissions, so the
#: bytes do not depend on when or where the build ran.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644  # regular file, rw-r--r--: Lambda only needs to read (dlopen needs no x)
UNIX_SYSTEM = 3  # "made on Unix", so external_attr carries the mode on every build machine


#: What a build says when it cannot ship bytecode (``{version}``: the target's, e.g. 3.12).
NO_BYTECODE = (
    "no CPython {version} here: the zips carry no bytecode; cold starts compile on first import"
    " (install python{version}, e.g. `pyenv install {version}`, and package again to ship it)"
)


class PackagingError(Exception):
    """The package cannot be built; the message says what is wrong and how to fix it."""


@dataclass(frozen=True)
class Target:
    """What the wheels are built for: a Lambda architecture and a CPython version."""

    architecture: str = DEFAULT_ARCHITECTURE
    python_version: str = DEFAULT_PYTHON_VERSION

    def __post_init__(self) -> None:
        if self.architecture not in ARCHITECTURES:
            known = ", ".join(sorted(ARCHITECTURES))
            raise PackagingError(f"architecture {self.architecture!r} is not one of: {known}")
        if not re.fullmatch(r"3\.\d{1,2}", self.python_version):
            raise PackagingError(
                f"python version {self.python_version!r} must look like '3.12' (major.minor)"
            )

    @property
    def platform(self) -> str:
        return ARCHITECTURES[self.architecture]

    @property
    def cache_tag(self) -> str:
        """The tag of this CPython's ``__pycache__`` files: ``cpython-312`` for 3.12."""
        return "cpython-" + self.python_version.replace(".", "")

    def pip_options(self) -> list[str]:
        """The pip options that select Linux CPython wheels for this target, and only wheels."""
        return [
            "--platform",
            self.platform,
            "--implementation",
            "cp",
            "--python-version",
            self.python_version,
            "--only-binary=:all:",
        ]


@dataclass(frozen=True)
class Bytecode:
    """The interpreter that compiled the zips' ``.pyc``, and how many it compiled."""

    python: str  # path of the interpreter
    version: str  # its full version, e.g. "3.12.1"
    modules: int = 0

    def describe(self) -> dict[str, str | int]:
        """The entry of ``build.json``: the compiler's version, not its path (which varies)."""
        return {
            "compiler": f"CPython {self.version}",
            "invalidation": "unchecked-hash",
            "modules": self.modules,
        }


@dataclass(frozen=True)
class BuildResult:
    """What ``build`` wrote: one zip per function, and the build description next to them.

    ``bytecode`` is None when the zips carry sources only (no interpreter of the target's
    version on this machine, or ``bytecode=False``).
    """

    target: Target
    zips: dict[str, Path]
    manifest: Path
    bytecode: Bytecode | None = None


def lambda_functions(resolver_map: Path) -> dict[str, str]:
    """Map every Lambda function named in ``resolvers.json`` to its handler (``module.attr``).

    The authorizer is a function like the others, under the name ``authorizer``.
    """
    try:
        spec = json.loads(resolver_map.read_text(encoding="utf-8"))
        handlers = {name: str(entry["handler"]) for name, entry in spec["functions"].items()}
        authorizer = str(spec["authorizer"]["handler"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise PackagingError(
            f"{resolver_map} must hold 'functions' (name -> {{handler}}) and "
            f"'authorizer' ({{handler}}): {error!r}"
        ) from error
    if "authorizer" in handlers:
        raise PackagingError(f"{resolver_map}: 'authorizer' is reserved for the authorizer")
    return {**handlers, "authorizer": authorizer}


def runtime_requirements(pyproject: Path) -> list[str]:
    """The project's dependencies that must be bundled: all of them but boto3/botocore."""
    try:
        dependencies = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"][
            "dependencies"
        ]
    except (OSError, tomllib.TOMLDecodeError, KeyError) as error:
        raise PackagingError(
            f"{pyproject}: cannot read [project].dependencies: {error!r}"
        ) from error
    return [
        requirement
        for requirement in dependencies
        if _distribution_name(requirement) not in RUNTIME_PROVIDED
    ]


def _distribution_name(requirement: str) -> str:
    """``"pydantic[email]>=2,<3"`` -> ``"pydantic"``, normalised as PEP 503 does."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    if match is None:
        raise PackagingError(f"cannot read the package name of requirement {requirement!r}")
    return re.sub(r"[-_.]+", "-", match.group(1)).lower()


def install_wheels(
    requirements: Sequence[str], destination: Path, target: Target, cache: Path
) -> None:
    """Install ``requirements`` for ``target`` into ``destination``, wheels only.

    pip first tries the wheel cache alone (fast, offline); only when something is missing
    there does it download into the cache, then install from the cache again. Either way the
    installed files come from the cache, so a second build uses the same wheels as the first.
    """
    cache.mkdir(parents=True, exist_ok=True)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    install = [
        *pip,
        "install",
        "--quiet",
        # No .pyc from pip: it would compile with this interpreter, which need not be the
        # runtime's, into timestamp-checked files; `compile_bytecode` does it right.
        "--no-compile",
        "--no-index",
        "--find-links",
        str(cache),
        *target.pip_options(),
        "--target",
        str(destination),
        *requirements,
    ]
    if _run(install, quiet=True).returncode == 0:
        return
    shutil.rmtree(destination, ignore_errors=True)
    download = [*pip, "download", "--quiet", "--dest", str(cache), *target.pip_options()]
    fetched = _run([*download, *requirements], quiet=False)
    if fetched.returncode != 0:
        raise PackagingError(
            f"pip could not download wheels for {target.platform} / Python "
            f"{target.python_version}: {' '.join(requirements)}\n{fetched.stderr.strip()}"
        )
    installed = _run(install, quiet=False)
    if installed.returncode != 0:
        raise PackagingError(f"pip install from {cache} failed:\n{installed.stderr.strip()}")


def _run(command: list[str], *, quiet: bool) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0 and not quiet:
        sys.stderr.write(result.stderr)
    return result


def _dependency_files(site: Path) -> Iterator[tuple[str, Path]]:
    """Files pip installed, as (name inside the zip, path), minus caches and install records."""
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        relative = path.relative_to(site)
        parts = relative.parts
        if "__pycache__" in parts or path.suffix == ".pyc" or parts[0] == "bin":
            continue
        if parts[0].endswith(".dist-info") and len(parts) == 2 and parts[1] in INSTALL_RECORDS:
            continue
        yield relative.as_posix(), path


def project_modules(root: Path, modules: Iterable[str]) -> dict[str, Path]:
    """The project's modules that importing `modules` loads, as {name inside the zip: path}.

    Imports are read from the source (``ast``), deferred ones inside functions included, and
    followed only inside `PROJECT_PACKAGES`; a package's ``__init__`` comes with its modules.
    """
    found: dict[str, Path] = {}
    pending = list(modules)
    while pending:
        name = pending.pop()
        if name.split(".")[0] not in PROJECT_PACKAGES:
            continue
        path, is_package = _module_path(root, name)
        if path is None:
            continue
        entry = path.relative_to(root).as_posix()
        if entry in found:
            continue
        found[entry] = path
        parts = name.split(".")
        pending += [".".join(parts[:i]) for i in range(1, len(parts))]
        package = name if is_package else ".".join(parts[:-1])
        pending += _imports(path, package)
    return found


def _imported_top_levels(paths: Iterable[Path]) -> set[str]:
    """The top-level names of the absolute imports in ``paths`` (``graphql``, ``json``...)."""
    names: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names.add(node.module.split(".")[0])
    return names


def _top_levels_by_distribution(site: Path) -> dict[str, set[str]]:
    """Each distribution pip installed into ``site`` (its PEP 503 name) -> the top-level
    modules and packages it installed there, read from its ``RECORD``."""
    found: dict[str, set[str]] = {}
    for info in site.glob("*.dist-info"):
        record = (info / "RECORD").read_text(encoding="utf-8")
        tops = {row[0].split("/")[0] for row in csv.reader(record.splitlines()) if row}
        found[_distribution_name(info.name.partition("-")[0])] = {
            # graphql -> graphql, typing_extensions.py -> typing_extensions, x.cpython-...so -> x
            top.split(".")[0]
            for top in tops
            if not top.endswith((".dist-info", ".data")) and top not in ("..", "bin")
        }
    return found


def _module_path(root: Path, name: str) -> tuple[Path | None, bool]:
    base = root.joinpath(*name.split("."))
    if (base / "__init__.py").is_file():
        return base / "__init__.py", True
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py"), False
    return None, False


def _imports(path: Path, package: str) -> list[str]:
    """Every module an import statement in `path` may load (``from a import b``: a and a.b)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the package, `level - 1` packages up
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*anchor, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            names.append(module)
            names += [f"{module}.{alias.name}" for alias in node.names]
    return names


def find_python(version: str) -> Bytecode | None:
    """A CPython ``version`` (``"3.12"``) on this machine, or None.

    Looked for in order: the interpreter running this, ``python<version>`` on the PATH,
    then pyenv's versions (``$PYENV_ROOT``, by default ``~/.pyenv``), newest patch first.
    Each candidate is run to ask its version: pyenv's shims exist on the PATH for versions
    that are not selected, and then fail.
    """
    pyenv_root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    installed = glob.glob(str(pyenv_root / "versions" / f"{version}.*" / "bin" / "python3"))
    newest_first = sorted(installed, key=_version_key, reverse=True)
    candidates = [sys.executable, shutil.which(f"python{version}"), *newest_first]
    for candidate in filter(None, candidates):
        found = _probe(candidate)
        if found is not None and found.version.rpartition(".")[0] == version:
            return found
    return None


def _version_key(path: str) -> tuple[int, ...]:
    """``.../versions/3.12.10/bin/python3`` -> (3, 12, 10), so 3.12.10 sorts after 3.12.9."""
    name = Path(path).parent.parent.name
    return tuple(int(part) if part.isdigit() else -1 for part in name.split("."))


def _probe(python: str) -> Bytecode | None:
    """The CPython at ``python``, with its real path and version, or None if it is not one."""
    code = (
        "import json, sys; print(json.dumps([sys.implementation.name, sys.executable, "
        "'%d.%d.%d' % sys.version_info[:3]]))"
    )
    try:
        probe = subprocess.run(  # noqa: S603
            [python, "-I", "-c", code], capture_output=True, text=True, check=False, timeout=30
        )
        implementation, executable, version = json.loads(probe.stdout)
    except (OSError, subprocess.TimeoutExpired, ValueError, TypeError):
        return None
    if probe.returncode != 0 or implementation != "cpython" or not executable:
        return None
    return Bytecode(python=str(executable), version=str(version))


#: Run by the target's interpreter: compile each (source, name in the zip) into ``out`` as the
#: zip's ``__pycache__`` file. ``dfile`` = the name in the zip, so no build path is embedded
#: (the runtime sets the real path when it loads the module). Prints {name: pyc name}.
_COMPILE = """
import importlib.util, json, os, py_compile, sys
jobs_file, out = sys.argv[1], sys.argv[2]
with open(jobs_file, encoding="utf-8") as jobs:
    sources = json.load(jobs)
compiled = {}
for name, source in sources.items():
    cached = importlib.util.cache_from_source(name, optimization="")
    py_compile.compile(
        source, cfile=os.path.join(out, cached), dfile=name, doraise=True, optimize=0,
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
    )
    compiled[name] = cached
print(json.dumps(compiled))
"""


def compile_bytecode(
    compiler: Bytecode, files: dict[str, Path], target: Target, scratch: Path
) -> dict[str, Path]:
    """Compile every ``.py`` of ``files`` with ``compiler``: {name in the zip: .pyc file}.

    The interpreter runs without the user's environment except a fixed hash seed: before
    Python 3.11, set constants were written in hash order, which a random seed changes.
    """
    if compiler.version.rpartition(".")[0] != target.python_version:
        raise PackagingError(
            f"{compiler.python} is CPython {compiler.version}; the runtime's bytecode needs "
            f"CPython {target.python_version}"
        )
    sources = {name: str(path) for name, path in sorted(files.items()) if name.endswith(".py")}
    jobs = scratch / "bytecode.json"
    jobs.write_text(json.dumps(sources), encoding="utf-8")
    out = scratch / "bytecode"
    done = subprocess.run(  # noqa: S603
        [compiler.python, "-S", "-s", "-c", _COMPILE, str(jobs), str(out)],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONHASHSEED": "0", "PYTHONUTF8": "1"},
    )
    if done.returncode != 0:
        raise PackagingError(
            f"CPython {compiler.version} could not compile the package's modules "
            f"(nor could the runtime import it; --no-bytecode packages anyway):\n"
            f"{done.stderr.strip()[-2000:]}"
        )
    compiled: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
    for cached in compiled.values():
        if not cached.endswith(f".{target.cache_tag}.pyc"):
            raise PackagingError(f"{compiler.python} wrote {cached}, not a {target.cache_tag} file")
    return {cached: out / cached for cached in compiled.values()}


def _cached(source: str, target: Target) -> str:
    """Where the target's CPython looks for the bytecode of ``source`` (a name in the zip):
    ``retro/ids.py`` -> ``retro/__pycache__/ids.cpython-312.pyc``."""
    folder, _, module = source.rpartition("/")
    return f"{folder}/__pycache__/{module.removesuffix('.py')}.{target.cache_tag}.pyc".lstrip("/")


def _check_handlers(functions: dict[str, str], contents: dict[str, dict[str, Path]]) -> None:
    """Fail early if a handler's module is not in its function's package (Lambda would fail
    at runtime), naming every function whose handler is missing."""
    problems = []
    for function, handler in sorted(functions.items()):
        module, _, attribute = handler.rpartition(".")
        if not module or not attribute:
            problems.append(f"function {function!r}: handler {handler!r} is not module.attr")
            continue
        path = module.replace(".", "/")
        present = contents[function]
        if f"{path}.py" not in present and f"{path}/__init__.py" not in present:
            problems.append(
                f"function {function!r}: handler module {module!r} is not in the package "
                f"(expected {path}.py)"
            )
    if problems:
        raise PackagingError("; ".join(problems))


def _zip_bytes(files: dict[str, Path]) -> bytes:
    """A zip of ``files`` whose bytes depend only on the names and contents."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.create_system = UNIX_SYSTEM
            info.external_attr = FILE_MODE << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name].read_bytes(), compresslevel=9)
    return buffer.getvalue()


def _write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` in one step, so Terraform never reads a half-written zip."""
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    partial.replace(path)


def build(
    root: Path,
    out: Path,
    target: Target | None = None,
    cache: Path | None = None,
    *,
    bytecode: bool = True,
    compiler: Bytecode | None = None,
    extra_requirements: Sequence[str] = (),
) -> BuildResult:
    """Build ``out/<function>.zip`` for every function of ``root/schema/resolvers.json``.

    Args:
        root: the repository root (holds ``pyproject.toml``, ``schema/`` and the packages).
        out: where the zips and ``build.json`` go; created if missing.
        target: architecture and Python version of the wheels; the Lambda defaults if None.
        cache: the wheel cache; ``<root>/dist/.wheels`` if None.
        bytecode: ship ``.pyc`` compiled for the target's Python (when one can be found).
        compiler: the interpreter that compiles them; `find_python` looks for one if None.
        extra_requirements: bundled as well as the runtime dependencies, for the same target
            (the tests bundle a small compiled package to check the platform's wheel is used).

    Returns:
        The zips written, the path of ``build.json`` — which records the target, whether the
        zips carry bytecode, and each zip's SHA-256 and requirements (Terraform checks the
        target against its own settings) — and the interpreter that compiled the bytecode,
        None if none did.
    """
    target = target or Target()
    if bytecode and compiler is None:
        compiler = find_python(target.python_version)
    cache = cache or root / "dist" / ".wheels"
    functions = lambda_functions(root / "schema" / "resolvers.json")
    requirements = [*runtime_requirements(root / "pyproject.toml"), *extra_requirements]

    with tempfile.TemporaryDirectory(prefix="retro-package-") as scratch:
        site = Path(scratch) / "site"
        install_wheels(requirements, site, target, cache)
        distributions = _top_levels_by_distribution(site)
        for requirement in requirements:
            if _distribution_name(requirement) not in distributions:
                raise PackagingError(f"pip installed no distribution for {requirement!r}")
        # Dependency files per set of requirements: pip resolves each set (with what its
        # members need, for this target) into a folder of its own.
        installed = {tuple(requirements): dict(_dependency_files(site)), (): {}}
        contents: dict[str, dict[str, Path]] = {}
        needs: dict[str, list[str]] = {}
        for function, handler in sorted(functions.items()):
            project = project_modules(root, [handler.rpartition(".")[0]])
            imported = _imported_top_levels(project.values())
            needed = [
                requirement
                for requirement in requirements
                if requirement in extra_requirements
                or distributions[_distribution_name(requirement)] & imported
            ]
            if tuple(needed) not in installed:
                own = Path(scratch) / f"site-{len(installed)}"
                install_wheels(needed, own, target, cache)
                installed[tuple(needed)] = dict(_dependency_files(own))
            files = dict(installed[tuple(needed)])
            for name, path in project.items():
                if name in files:
                    raise PackagingError(f"{name} is both a project file and a dependency file")
                files[name] = path
            contents[function], needs[function] = files, needed
        _check_handlers(functions, contents)
        compiled: Bytecode | None = None
        if bytecode and compiler is not None:
            # Compiled once for all zips (same name, same wheel or source, same bytes)
            every_file = {name: path for files in contents.values() for name, path in files.items()}
            pycs = compile_bytecode(compiler, every_file, target, Path(scratch))
            for files in contents.values():
                sources = [name for name in files if name.endswith(".py")]
                files.update({pyc: pycs[pyc] for pyc in (_cached(n, target) for n in sources)})
            compiled = Bytecode(compiler.python, compiler.version, modules=len(pycs))
        archives = {function: _zip_bytes(files) for function, files in contents.items()}

    out.mkdir(parents=True, exist_ok=True)
    zips: dict[str, Path] = {}
    described: dict[str, dict[str, str | int | list[str]]] = {}
    for function, handler in sorted(functions.items()):
        path = out / f"{function}.zip"
        data = archives[function]
        _write_atomically(path, data)
        zips[function] = path
        described[function] = {
            "handler": handler,
            "zip": path.name,
            "bytes": len(data),
            "modules": sum(name.endswith(".py") for name in contents[function]),
            "requirements": needs[function],
            # The encoding of Terraform's filebase64sha256(), to compare with a plan.
            "sha256": base64.b64encode(hashlib.sha256(data).digest()).decode("ascii"),
        }
    manifest = out / "build.json"
    description = {
        "architecture": target.architecture,
        "pythonVersion": target.python_version,
        "platform": target.platform,
        "requirements": requirements,
        "bytecode": compiled.describe() if compiled else None,
        "functions": described,
    }
    _write_atomically(manifest, (json.dumps(description, indent=2, sort_keys=True) + "\n").encode())
    return BuildResult(target=target, zips=zips, manifest=manifest, bytecode=compiled)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: build the zips and print their sizes."""
    root_default = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(
        prog="python -m retro_tools.packaging",
        description="Build dist/<function>.zip for every Lambda function in schema/resolvers.json.",
    )
    parser.add_argument("--arch", choices=sorted(ARCHITECTURES), default=DEFAULT_ARCHITECTURE)
    parser.add_argument(
        "--python-version",
        default=DEFAULT_PYTHON_VERSION,
        help="CPython version of the Lambda runtime (default: %(default)s)",
    )
    bytecode = parser.add_mutually_exclusive_group()
    bytecode.add_argument(
        "--bytecode-python",
        metavar="PYTHON",
        help="the interpreter that compiles the .pyc (default: found on the PATH or under pyenv)",
    )
    bytecode.add_argument(
        "--no-bytecode", action="store_true", help="ship sources only: no .pyc in the zips"
    )
    parser.add_argument("--root", type=Path, default=root_default, help="repository root")
    parser.add_argument("--out", type=Path, help="output folder (default: <root>/dist)")
    parser.add_argument("--cache", type=Path, help="wheel cache (default: <root>/dist/.wheels)")
    args = parser.parse_args(argv)

    root: Path = args.root
    try:
        target = Target(architecture=args.arch, python_version=args.python_version)
        compiler = None
        if args.bytecode_python:
            compiler = _probe(args.bytecode_python)
            if compiler is None:
                raise PackagingError(f"--bytecode-python {args.bytecode_python} is not a CPython")
        result = build(
            root,
            args.out or root / "dist",
            target,
            args.cache,
            bytecode=not args.no_bytecode,
            compiler=compiler,
        )
    except PackagingError as error:
        print(f"packaging failed: {error}", file=sys.stderr)
        return 1
    for function, path in result.zips.items():
        size = path.stat().st_size
        print(f"{path}  {size / 1_048_576:.2f} MB  ({function})")
    if result.bytecode is not None:
        compiled = f"bytecode of {result.bytecode.modules} modules by CPython "
        compiled += result.bytecode.version
    elif args.no_bytecode:
        compiled = "no bytecode (--no-bytecode)"
    else:
        compiled = "no bytecode"
        print(NO_BYTECODE.format(version=target.python_version))
    print(
        f"built for {result.target.architecture}, Python {result.target.python_version}, "
        f"{compiled}; boto3 is left to the Lambda runtime"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
