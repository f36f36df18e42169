"""Rules about the client that its source alone can show (no browser needed).

The browser tests check behaviour; these keep the habits that make it safe: no HTML parsing of
strings (user text goes in through textContent/value only), nothing loaded from elsewhere, and
ES modules that import with explicit `.js` paths, as a no-build client must.
"""

import re
from pathlib import Path

import pytest

CLIENT = Path(__file__).resolve().parents[2] / "client"
SOURCES = sorted(p for p in CLIENT.rglob("*") if p.suffix in {".js", ".html", ".css", ".svg"})
SCRIPTS = [p for p in SOURCES if p.suffix == ".js"]


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
