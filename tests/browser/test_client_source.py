"""Rules about the client that its source alone can show (no browser needed).

The browser tests check behaviour; these keep the habits that make it safe: no HTML parsing of
strings (user text goes in through textContent/value only), nothing loaded from elsewhere,
ES modules that import with explicit `.js` paths, as a no-build client must, and JSDoc types
that TypeScript's compiler accepts (`tsc -p client`, strict, no output).
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

CLIENT = ROOT / "client"
SOURCES = sorted(p for p in CLIENT.rglob("*") if p.suffix in {".js", ".html", ".css", ".svg"})
SCRIPTS = [p for p in SOURCES if p.suffix == ".js"]
TSC = ROOT / "node_modules" / ".bin" / "tsc"


def test_the_client_has_its_parts() -> None:
    names = {p.relative_to(CLIENT).as_posix() for p in SOURCES}
    assert {"index.html", "css/retro.css", "js/app.js", "js/api.js", "js/realtime.js"} <= names
    assert "js/store.js" in names
    assert "js/operations.js" in names


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_no_string_is_ever_parsed_as_html(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in source, f"{path.name} uses {sink}"
    assert "new Function" not in source


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_nothing_is_loaded_from_another_origin(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    # The SVG namespace is a name, not a request.
    found = re.findall(r"(?:https?:)?//[\w.-]+\.\w+[^\s\"'`)]*", source)
    urls = [u for u in found if u != "http://www.w3.org/2000/svg" and not u.startswith("//[")]
    assert urls == [], f"{path.name} refers to {urls}"
    assert "@import" not in source


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_imports_are_relative_with_a_js_extension(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    targets = re.findall(r"^import .* from \"([^\"]+)\";$", source, re.MULTILINE)
    # An import the pattern cannot read (e.g. wrapped over lines) would escape the checks below.
    assert len(targets) == len(re.findall(r"^import\b", source, re.MULTILINE)), path.name
    for target in targets:
        assert target.startswith(("./", "../")), target
        assert target.endswith(".js"), target
        assert (path.parent / target).resolve().exists(), f"{path.name} imports missing {target}"


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_every_module_asks_to_be_type_checked(path: Path) -> None:
    # Editors check a module that says so even without the project's tsconfig.
    assert path.read_text(encoding="utf-8").startswith("// @ts-check\n"), path.name


def test_the_browsers_identity_is_kept_by_the_api_module_only() -> None:
    # One module owns the token's storage key: another writing it (the demo owner's handover)
    # goes through Api.adopt, so the key cannot drift apart between two copies.
    holders = [p.name for p in SCRIPTS if "retro.token" in p.read_text(encoding="utf-8")]
    assert holders == ["api.js"]
    app = (CLIENT / "js" / "app.js").read_text(encoding="utf-8")
    assert "api.adopt(" in app


def _tsc(project: Path) -> subprocess.CompletedProcess[str]:
    """Runs TypeScript's compiler on `project` (checks only: the config says noEmit)."""
    if not TSC.exists():
        if os.environ.get("RETRO_REQUIRE_ALL") == "1":
            pytest.fail(f"{TSC} is missing (RETRO_REQUIRE_ALL=1: the client must be type-checked)")
        pytest.skip("node_modules is missing: run `make setup` to type-check the client")
    return subprocess.run(
        [str(TSC), "-p", str(project)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_client_type_checks_strictly() -> None:
    options = json.loads((CLIENT / "tsconfig.json").read_text())["compilerOptions"]
    assert options["checkJs"] is True
    assert options["noEmit"] is True
    assert options["strict"] is True
    run = _tsc(CLIENT)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_type_check_fails_on_a_type_error(tmp_path: Path) -> None:
    """The check has teeth: the same config on a copy with one type error fails, naming it."""
    copy = tmp_path / "client"
    shutil.copytree(CLIENT, copy)
    with (copy / "js" / "dom.js").open("a", encoding="utf-8") as module:
        module.write("\nexport const wrong = slug(42);\n")
    run = _tsc(copy)
    assert run.returncode != 0
    assert re.search(r"dom\.js\(\d+,\d+\): error TS\d+", run.stdout), run.stdout + run.stderr
