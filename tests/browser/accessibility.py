"""axe-core, the accessibility engine (from npm, `node_modules/axe-core`), run inside a page.

The client's Content-Security-Policy allows scripts from its own origin only, and rightly: so
axe is not injected inline, it is served from the page's own origin by a route of the test
(`/__axe__/axe.min.js`, never a file of the client) and added as a script tag. Without
node_modules the checks skip with a message, unless RETRO_REQUIRE_ALL=1 (CI), where they fail.
"""

import os
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import ROOT

__all__ = ["AXE", "assert_accessible", "require_axe"]

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_PATH = "/__axe__/axe.min.js"

# The rule sets axe checks: WCAG 2.0-2.2 A and AA, and axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

RUN_AXE = """async ([selector, tags]) => {
    const result = await axe.run(selector ? document.querySelector(selector) : document, {
        runOnly: {type: 'tag', values: tags},
        resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => n.target.join(' ') + ' :: ' + n.failureSummary),
    }));
}"""


def require_axe() -> None:
    """Skip (or, in CI, fail) when axe-core is not installed."""
    if AXE.exists():
        return
    if os.environ.get("RETRO_REQUIRE_ALL") == "1":
        pytest.fail(f"{AXE} is missing (RETRO_REQUIRE_ALL=1: accessibility must be checked)")
    pytest.skip("node_modules is missing: run `make setup` to check accessibility with axe-core")


def _load_axe(page: Any) -> None:
    if page.evaluate("() => typeof window.axe === 'object'"):
        return
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    # Registered again after a reload is harmless: the first matching route answers.
    page.route(
        origin + AXE_PATH,
        lambda route: route.fulfill(path=AXE, content_type="text/javascript; charset=utf-8"),
    )
    page.add_script_tag(url=origin + AXE_PATH)


def assert_accessible(page: Any, where: str, selector: str | None = None) -> None:
    """axe finds no violation on the page (or in the element `selector` names)."""
    require_axe()
    _load_axe(page)
    violations: list[dict[str, Any]] = page.evaluate(RUN_AXE, [selector, TAGS])
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
        for v in violations
    )
    assert violations == [], f"axe found violations on {where}:\n{report}"
