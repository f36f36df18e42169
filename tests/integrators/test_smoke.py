"""`retro smoke` against the real API on the local AppSync, as a deployer runs it after apply.

The command runs as its own process, configured only by its arguments, talking HTTP and the
realtime protocol to `live_server`; its report is checked line by line, and what it claims
is checked against the server.
"""

import os
import re
import subprocess
import sys

from resolvers.authorizer import ANONYMOUS_TOKEN
from retro_tools import smoke as smoke_module
from retro_tools.smoke import MEETING_STEPS
from tests.conftest import LiveServer

STEPS = ["endpoints", *MEETING_STEPS]
BOARD = "query($b: ID!) { board(id: $b) { id } }"


def smoke(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "retro_tools.cli", "smoke", "--timeout", "30", *args],
        env={"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def outcomes(stdout: str) -> list[tuple[str, str]]:
    """(PASS|FAIL|SKIP, step name) for each step line of the report, in order."""
    return [
        (match.group(1), match.group(2).strip())
        for match in re.finditer(r"^(PASS|FAIL|SKIP)  (.{14}) ", stdout, flags=re.MULTILINE)
    ]


def test_smoke_runs_a_whole_meeting_against_retro_serve(live_server: LiveServer) -> None:
    result = smoke(live_server.url)

    assert result.returncode == 0, result.stdout + result.stderr
    assert outcomes(result.stdout) == [("PASS", step) for step in STEPS], result.stdout
    assert f"{len(STEPS)} of {len(STEPS)} steps passed: all passed" in result.stdout
    # It read where the API is from the server's config.json, as the browser client does.
    assert f"{live_server.url}/config.json" in result.stdout
    assert live_server.realtime_url in result.stdout
    # The users were made with the API's own anonymous credential (there is no API key).
    assert smoke_module.ANONYMOUS_TOKEN == ANONYMOUS_TOKEN

    # The board it reported is really gone: the smoke test leaves nothing behind.
    board_id = re.search(r"board (\w+) \(facilitator", result.stdout)
    assert board_id, result.stdout
    token, _ = live_server.create_user("Checker")
    response = live_server.post(BOARD, {"b": board_id.group(1)}, token=token)
    assert response.body.get("data", {}).get("board") is None, response.body


def test_smoke_can_keep_its_board(live_server: LiveServer) -> None:
    # Given the GraphQL endpoint itself (a stack without hosting): no config.json to read.
    result = smoke(live_server.graphql_url, "--keep-board")

    assert result.returncode == 0, result.stdout + result.stderr
    assert outcomes(result.stdout) == [("PASS", step) for step in STEPS[:-1]], result.stdout
    assert "(flags)" in result.stdout
    board_id = re.search(r"board (\w+) \(facilitator", result.stdout)
    assert board_id, result.stdout
    token, _ = live_server.create_user("Checker")
    board = live_server.data(BOARD, {"b": board_id.group(1)}, token=token)["board"]
    assert board == {"id": board_id.group(1)}


def test_a_wrong_credential_fails_the_first_call_and_skips_the_rest(
    live_server: LiveServer,
) -> None:
    result = smoke(
        "--graphql-url", live_server.graphql_url, "--anonymous-token", "da2-notthekeyofthisapi0000"
    )

    assert result.returncode == 1, result.stdout + result.stderr
    steps = outcomes(result.stdout)
    assert steps[:2] == [("PASS", "endpoints"), ("FAIL", "create users")], result.stdout
    assert steps[2:] == [("SKIP", step) for step in STEPS[2:]], result.stdout
    assert re.search(r"^FAIL  create users +Unauthorized", result.stdout, re.MULTILINE)
    assert f"0 of {len(STEPS)} steps passed" not in result.stdout  # endpoints did pass
    assert f"1 of {len(STEPS)} steps passed: FAILED" in result.stdout


def test_an_address_without_config_json_fails_the_first_step(live_server: LiveServer) -> None:
    # A client URL that serves no config.json: the report says so, and nothing else runs.
    result = smoke(f"{live_server.url}/no-such-client/")

    assert result.returncode == 1, result.stdout + result.stderr
    steps = outcomes(result.stdout)
    assert steps[0] == ("FAIL", "endpoints"), result.stdout
    assert "no-such-client/config.json" in result.stdout
    assert steps[1:] == [("SKIP", step) for step in STEPS[1:]], result.stdout
