"""The browser client's limits are the server's: one module, `client/js/limits.js`, equal to
`retro.models` and `retro.services.checks`, and every use in the client goes through it.

A no-build client cannot import Python, so limits.js holds copies; this test reads its
`export const NAME = <number>;` lines and holds each to the server's value. (`MAX_NAME` has no
copy: the client never sends a name.)
"""

import re

import pytest

from retro import models
from retro.services import checks
from tests.conftest import ROOT

CLIENT_JS = ROOT / "client" / "js"
LIMITS_JS = CLIENT_JS / "limits.js"
OPERATIONS_JS = CLIENT_JS / "operations.js"

_EXPORT = re.compile(r"^export const ([A-Z][A-Z0-9_]*) = (\d+);$", re.MULTILINE)


def client_limits() -> dict[str, int]:
    """limits.js as {NAME: value}; every export of it must have the one readable form."""
    source = LIMITS_JS.read_text(encoding="utf-8")
    found = {name: int(value) for name, value in _EXPORT.findall(source)}
    assert len(found) == len(re.findall(r"^export\b", source, re.MULTILINE)), "unreadable export"
    return found


def vote_budget_bounds() -> tuple[int, int]:
    """The vote budget's bounds as BoardSettings validates them: found by trying each side."""
    for outside in (models.MIN_VOTE_BUDGET - 1, models.MAX_VOTE_BUDGET + 1):
        with pytest.raises(ValueError, match="vote_budget"):
            models.BoardSettings(vote_budget=outside)
    models.BoardSettings(vote_budget=models.MIN_VOTE_BUDGET)
    models.BoardSettings(vote_budget=models.MAX_VOTE_BUDGET)
    return models.MIN_VOTE_BUDGET, models.MAX_VOTE_BUDGET


def test_the_client_limits_are_the_servers() -> None:
    low, high = vote_budget_bounds()
    assert high == models.MAX_VOTE_BUDGET
    assert client_limits() == {
        "MAX_NOTE_TEXT": models.MAX_NOTE_TEXT,
        "MAX_TITLE": models.MAX_TITLE,
        "MAX_WHO": models.MAX_WHO,
        "MIN_VOTE_BUDGET": low,
        "MAX_VOTE_BUDGET": models.MAX_VOTE_BUDGET,
        "DEFAULT_VOTE_BUDGET": models.DEFAULT_VOTE_BUDGET,
        "MAX_PAGE": checks.MAX_PAGE,
    }


def test_no_other_module_writes_a_limit_as_a_number() -> None:
    # Form limits are props of h() (maxLength, min, max): each must name a limits.js constant.
    # The page shell sets none; the views set them all, from limits.js.
    prop = re.compile(r"\b(maxLength|minLength|min|max)\s*:\s*(\d+)")
    for path in sorted(CLIENT_JS.rglob("*.js")):
        if path != LIMITS_JS:
            found = prop.findall(path.read_text(encoding="utf-8"))
            assert found == [], f"{path.name} writes {found}: import them from limits.js"
    shell = (ROOT / "client" / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"\b(maxlength|minlength|min|max)=", shell, re.IGNORECASE)


def test_the_client_imports_every_limit_it_has() -> None:
    # A constant of limits.js that nothing imports is a copy nobody uses: drop it instead.
    sources = "\n".join(
        p.read_text(encoding="utf-8") for p in CLIENT_JS.rglob("*.js") if p != LIMITS_JS
    )
    imported: set[str] = set()
    for names in re.findall(r"^import \{([^}]*)\} from \"[./]+limits\.js\";$", sources, re.M):
        imported |= {name.strip() for name in names.split(",")}
    assert imported == set(client_limits())


def test_every_page_the_client_asks_for_is_within_the_servers_limit() -> None:
    source = OPERATIONS_JS.read_text(encoding="utf-8")
    sizes = re.findall(r"\blimit:\s*([^,)\s]+)", source)
    assert sizes, "operations.js asks for no page"
    limits = client_limits()
    for size in sizes:
        value = limits[size[2:-1]] if size.startswith("${") else int(size)
        assert 1 <= value <= checks.MAX_PAGE, size
