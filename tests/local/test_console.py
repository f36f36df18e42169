"""`retro console`: a Python shell on the configured table, with the shared code loaded."""

import os
import subprocess
import sys

from tests.conftest import ROOT


def test_console_reads_the_table_the_environment_names(live_server):
    token, user_id = live_server.create_user("Console")
    live_server.data(
        'mutation { createBoard(input: {title: "From the console"}) { id } }', token=token
    )
    script = f"print([b.title for b in services.boards_of(store, {user_id!r})[0]])\n"
    answer = subprocess.run(
        [sys.executable, "-m", "retro_tools.cli", "console"],
        input=script,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=ROOT,
        env=dict(os.environ),  # the live server put its DynamoDB endpoint and table here
    )
    assert "['From the console']" in answer.stdout
    assert "Retro console — table" in answer.stderr
