"""Run a guided retro end to end: hidden writing, a shared timer, a secret ballot, the reveals.

    python examples/guided_retro.py
    python examples/guided_retro.py --seconds 10 --wait-for-timer

The facilitator (RETRO_TOKEN, or a new user) creates a board that hides note texts while people
write and vote counts while they vote, and two participants join (new users, made with the
anonymous credential). Then the meeting runs WRITE -> VOTE -> DISCUSS:

- WRITE, with a countdown that moves the stage on when it ends: everyone writes; every answer
  shows the notes face down (`text` is null, the author's own answer too) and each person reads
  their own texts on `participation { myNotes }`.
- VOTE: the texts are revealed; votes are taken and their counts are hidden (`votes` is null),
  each person seeing their own ballot on `participation { myVotes }`; new GOOD or BAD notes are
  refused, naming the stage.
- DISCUSS: the counts are revealed.

With --wait-for-timer the script waits for the countdown and lets it move the stage on; it
counts down from `remainingMs` as received, never from `endsAt` against its own clock. Without,
the facilitator extends the timer once and then moves on by hand (which stops it).
"""

import argparse
import contextlib
import sys
import time
import uuid
from collections import Counter
from typing import Any

from retro_api import ApiError, Connection, add_connection_arguments, call, main_wrapper

CREATE_GUIDED_BOARD = """
mutation CreateGuidedBoard($input: CreateBoardInput!) {
  createBoard(input: $input) { id title settings { hideWhileWriting secretBallot } }
}
"""

# Every mutation that fires onVersionChanged selects what a client re-renders the meeting from.
MEETING = "id boardId number stage textsHidden votesHidden"
TIMER = "timer { endsAt remainingMs durationSeconds advances running }"
SET_STAGE = f"""
mutation SetStage($input: SetStageInput!) {{
  setStage(input: $input) {{ {MEETING} {TIMER} }}
}}
"""
START_TIMER = f"""
mutation StartTimer($input: StartTimerInput!) {{
  startTimer(input: $input) {{ {MEETING} {TIMER} }}
}}
"""
EXTEND_TIMER = f"""
mutation ExtendTimer($boardId: ID!, $seconds: Int!, $key: String) {{
  extendTimer(boardId: $boardId, seconds: $seconds, clientRequestId: $key) {{ {MEETING} {TIMER} }}
}}
"""
NOTE = "id boardId versionId column text votes createdAt updatedAt"
WRITE_NOTE = f"""
mutation WriteNote($input: AddNoteInput!) {{
  addNote(input: $input) {{ {NOTE} }}
}}
"""
CAST_VOTE = f"""
mutation CastVote($boardId: ID!, $noteId: ID!, $key: String) {{
  vote(boardId: $boardId, noteId: $noteId, clientRequestId: $key) {{ {NOTE} }}
}}
"""
MEETING_PAGE = f"""
query MeetingPage($id: ID!) {{
  board(id: $id) {{
    currentVersion {{ {MEETING} {TIMER} notes {{ id column text votes }} }}
  }}
}}
"""
MINE = """
query Mine($boardId: ID!) {
  participation(boardId: $boardId) { myNotes { id column text } myVotes { noteId count } }
}
"""
JOIN = """
mutation Join($name: String) {
  createUser(name: $name) { token }
}
"""

PEOPLE = ("ana", "ben")  # the participants; the facilitator writes and votes too
# Who writes what: (person, column, text).
NOTES = [
    ("ana", "GOOD", "Pairing on the flaky test paid off"),
    ("ben", "BAD", "Deploys still take an hour"),
    ("ana", "BAD", "Too many meetings on Tuesday"),
    ("ben", "ACTION", "Cache the dependencies in CI"),
    ("facilitator", "GOOD", "We shipped the export on time"),
]
# Who votes on which note (by its text): two votes each.
VOTES = [
    ("ana", "Deploys still take an hour"),
    ("ana", "Cache the dependencies in CI"),
    ("ben", "Deploys still take an hour"),
    ("ben", "Pairing on the flaky test paid off"),
    ("facilitator", "Deploys still take an hour"),
    ("facilitator", "Cache the dependencies in CI"),
]


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run a guided Retro meeting end to end.")
    add_connection_arguments(parser)
    parser.add_argument(
        "--seconds", type=int, default=300, help="the writing countdown (10 to 3600; default 300)"
    )
    parser.add_argument(
        "--wait-for-timer",
        action="store_true",
        help="wait for the countdown to move the stage on (else the facilitator moves on)",
    )
    return parser.parse_args(argv)


def key() -> str:
    """A fresh idempotency key: a retried write is done once."""
    return str(uuid.uuid4())


def shown(text: str | None) -> str:
    return "face down" if text is None else repr(text)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    api = Connection.from_arguments(args)
    with contextlib.ExitStack() as stack:
        sessions = {"facilitator": stack.enter_context(api.user_client())}
        with api.anonymous_client() as anonymous:
            tokens = {n: call(anonymous, JOIN, {"name": n})["createUser"]["token"] for n in PEOPLE}
        for name, token in tokens.items():
            sessions[name] = stack.enter_context(api.client({"Authorization": token}))
        run(sessions, args)
    return 0


def run(sessions: dict[str, Any], args: argparse.Namespace) -> None:
    facilitator = sessions["facilitator"]
    settings = {"hideWhileWriting": True, "secretBallot": True}
    board_input = {"title": "Guided retro", "settings": settings, "clientRequestId": key()}
    board = call(facilitator, CREATE_GUIDED_BOARD, {"input": board_input})["createBoard"]
    print(f"board {board['id']} {board['title']!r}: texts hidden while writing, secret ballot")
    timer, received = write(sessions, board["id"], args.seconds)
    ids = reveal(sessions, board["id"], timer, received, args.wait_for_timer)
    vote(sessions, board["id"], ids)
    discuss(sessions, board["id"])


def set_stage(session: Any, board_id: str, stage: str) -> dict[str, Any]:
    stage_input = {"boardId": board_id, "stage": stage, "clientRequestId": key()}
    return call(session, SET_STAGE, {"input": stage_input})["setStage"]


def page(session: Any, board_id: str) -> dict[str, Any]:
    return call(session, MEETING_PAGE, {"id": board_id})["board"]["currentVersion"]


def write(sessions: dict[str, Any], board_id: str, seconds: int) -> tuple[dict[str, Any], float]:
    """WRITE with a countdown: everyone writes face down and reads their own notes."""
    set_stage(sessions["facilitator"], board_id, "WRITE")
    timer_input = {"boardId": board_id, "seconds": seconds, "advance": True}
    timer = call(sessions["facilitator"], START_TIMER, {"input": timer_input})["startTimer"]
    received = time.monotonic()
    print(f"stage WRITE: {timer['timer']['durationSeconds']} s on the clock, then it moves on")
    for name, column, text in NOTES:
        note_input = {"boardId": board_id, "column": column, "text": text, "clientRequestId": key()}
        note = call(sessions[name], WRITE_NOTE, {"input": note_input})["addNote"]
        print(f"{name} wrote in {column}; the answer shows the note {shown(note['text'])}")
    current = page(sessions["ana"], board_id)
    per_column = Counter(n["column"] for n in current["notes"] if n["text"] is None)
    counted = ", ".join(f"{column} {count}" for column, count in sorted(per_column.items()))
    print(f"everyone sees {sum(per_column.values())} notes being written ({counted})")
    for name, session in sessions.items():
        mine = call(session, MINE, {"boardId": board_id})["participation"]["myNotes"]
        print(f"{name} reads their own {len(mine)}: {', '.join(repr(n['text']) for n in mine)}")
    return timer["timer"], received


def reveal(
    sessions: dict[str, Any],
    board_id: str,
    timer: dict[str, Any],
    received: float,
    wait_for_timer: bool,
) -> dict[str, str]:
    """The timer, or the facilitator, moves the meeting on to VOTE; one read shows every text."""
    if wait_for_timer:
        left = timer["remainingMs"] / 1000 - (time.monotonic() - received)
        print(f"waiting {max(left, 0):.0f} s for the timer (counted from its answer)")
        time.sleep(max(left, 0) + 0.5)
        how = "the timer moved it on"
    else:
        extended = {"boardId": board_id, "seconds": 30, "key": key()}
        timer = call(sessions["facilitator"], EXTEND_TIMER, extended)["extendTimer"]["timer"]
        print(f"the facilitator adds 30 s: {timer['durationSeconds']} s in all")
        set_stage(sessions["facilitator"], board_id, "VOTE")
        how = "the facilitator moved it on"
    current = page(sessions["ben"], board_id)
    print(f"stage {current['stage']} ({how}): every text is readable, to everyone")
    for note in current["notes"]:
        print(f"  {note['column']:<6} {note['text']}")
    return {note["text"]: note["id"] for note in current["notes"]}


def vote(sessions: dict[str, Any], board_id: str, ids: dict[str, str]) -> None:
    """VOTE under a secret ballot: counts hidden, each sees their own ballot."""
    for name, text in VOTES:
        variables = {"boardId": board_id, "noteId": ids[text], "key": key()}
        # null under a secret ballot: the answer goes to every subscriber, and would name the
        # note voted on
        voted = call(sessions[name], CAST_VOTE, variables)["vote"]
        print(f"{name} voted for {text!r}: the answer is {voted}")
    try:
        late = {"boardId": board_id, "column": "GOOD", "text": "One more thing"}
        call(sessions["ana"], WRITE_NOTE, {"input": {**late, "clientRequestId": key()}})
    except ApiError as refused:
        print(f"a late GOOD note is refused: {refused.error_type}: {refused.message}")
    for name, session in sessions.items():
        ballot = call(session, MINE, {"boardId": board_id})["participation"]["myVotes"]
        print(f"{name} sees their own ballot: {sum(v['count'] for v in ballot)} votes")


def discuss(sessions: dict[str, Any], board_id: str) -> None:
    """DISCUSS: the counts are revealed."""
    set_stage(sessions["facilitator"], board_id, "DISCUSS")
    current = page(sessions["ana"], board_id)
    print(f"stage {current['stage']}: the counts are revealed")
    for note in sorted(current["notes"], key=lambda n: -n["votes"]):
        print(f"  {note['votes']}  {note['column']:<6} {note['text']}")


if __name__ == "__main__":
    sys.exit(main_wrapper(main))
