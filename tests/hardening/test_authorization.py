"""The authorization matrix: every field of the API, for every kind of caller → what must happen.

Callers:
- `none`: no credential at all;
- `anonymous`: the public anonymous credential only (`Authorization: anonymous`, what every
  browser sends before it has a user; the API has no API key);
- `stranger`: a real user who holds the board's link but has done nothing on it — the link is
  the invitation (DESIGN §5), so reading and joining are allowed, owning and authoring are not;
- `participant`: the user who wrote the probed note and put a vote on it;
- `owner`: the user who created the board.

Outcomes: `ok` (the field has a value), `401` (HTTP 401 `UnauthorizedException`, nothing runs;
over the realtime channel a `connection_error` with errorCode 401), `unauthorized` (the field is
refused by AppSync's `@aws_*` rules: `Unauthorized`), `forbidden` (`ForbiddenError`: known
caller, not allowed), `conflict` (`ConflictError`, e.g. no vote of yours to take back).

The rows cover every Query, Mutation and Subscription field of `schema/schema.graphql` and every
nested field `schema/resolvers.json` resolves; a field added to either without a row here fails
`test_every_field_has_a_row`. Each mutation cell runs on a fresh board; a refused one must leave
the board exactly as it was. Subscriptions go over AppSync's realtime protocol.
"""

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import websockets

from appsync_local.sdl import load_api
from resolvers.authorizer import ANONYMOUS_TOKEN
from tests.appsync_realtime import Frames, appsync_url, start
from tests.conftest import LiveServer

from .conftest import (
    ROOT,
    User,
    World,
    add_note,
    board_state,
    new_user,
    new_world,
    raw_request,
)

OK, R401, UNAUTHORIZED, FORBIDDEN, CONFLICT = "ok", "401", "unauthorized", "forbidden", "conflict"
CALLERS = ("none", "anonymous", "stranger", "participant", "owner")

# fmt: off
MATRIX: dict[str, tuple[str, str, str, str, str]] = {
    # field                        none  anonymous     stranger   participant owner
    "Query.board":                 (R401, UNAUTHORIZED, OK,        OK,        OK),
    "Query.me":                    (R401, UNAUTHORIZED, OK,        OK,        OK),
    "Query.participation":         (R401, UNAUTHORIZED, OK,        OK,        OK),
    "Query.trend":                 (R401, UNAUTHORIZED, OK,        OK,        OK),
    "User.boards":                 (R401, UNAUTHORIZED, OK,        OK,        OK),
    "Board.version":               (R401, UNAUTHORIZED, OK,        OK,        OK),
    "BoardVersion.export":         (R401, UNAUTHORIZED, OK,        OK,        OK),
    "Mutation.createUser":         (R401, OK,           UNAUTHORIZED, UNAUTHORIZED, UNAUTHORIZED),
    "Mutation.createBoard":        (R401, UNAUTHORIZED, OK,        OK,        OK),
    "Mutation.updateBoard":        (R401, UNAUTHORIZED, FORBIDDEN, FORBIDDEN, OK),
    "Mutation.deleteBoard":        (R401, UNAUTHORIZED, FORBIDDEN, FORBIDDEN, OK),
    "Mutation.startNewVersion":    (R401, UNAUTHORIZED, FORBIDDEN, FORBIDDEN, OK),
    "Mutation.addNote":            (R401, UNAUTHORIZED, OK,        OK,        OK),
    "Mutation.updateNote":         (R401, UNAUTHORIZED, FORBIDDEN, OK,        FORBIDDEN),
    "Mutation.deleteNote":         (R401, UNAUTHORIZED, FORBIDDEN, OK,        OK),  # moderation
    "Mutation.vote":               (R401, UNAUTHORIZED, OK,        OK,        OK),
    "Mutation.unvote":             (R401, UNAUTHORIZED, CONFLICT,  OK,        CONFLICT),
    "Mutation.setStage":           (R401, UNAUTHORIZED, FORBIDDEN, FORBIDDEN, OK),
    "Mutation.startTimer":         (R401, UNAUTHORIZED, FORBIDDEN, FORBIDDEN, OK),
    "Mutation.extendTimer":        (R401, UNAUTHORIZED, FORBIDDEN, FORBIDDEN, OK),
    "Mutation.stopTimer":          (R401, UNAUTHORIZED, FORBIDDEN, FORBIDDEN, OK),
    # the follow-through: a team's agreement, so anyone with the link
    "Mutation.updateAction":       (R401, UNAUTHORIZED, OK,        OK,        OK),
    "Mutation.groupNotes":         (R401, UNAUTHORIZED, OK,        OK,        OK),
    "Mutation.renameGroup":        (R401, UNAUTHORIZED, OK,        OK,        OK),
    "Mutation.ungroupNote":        (R401, UNAUTHORIZED, OK,        OK,        OK),
    "Subscription.onNoteAdded":    (R401, UNAUTHORIZED, OK,        OK,        OK),
    "Subscription.onNoteUpdated":  (R401, UNAUTHORIZED, OK,        OK,        OK),
    "Subscription.onNoteDeleted":  (R401, UNAUTHORIZED, OK,        OK,        OK),
    "Subscription.onBoardUpdated": (R401, UNAUTHORIZED, OK,        OK,        OK),
    "Subscription.onBoardDeleted": (R401, UNAUTHORIZED, OK,        OK,        OK),
    "Subscription.onVersionStarted": (R401, UNAUTHORIZED, OK,      OK,        OK),
    "Subscription.onVersionChanged": (R401, UNAUTHORIZED, OK,      OK,        OK),
    "Subscription.onGroupChanged": (R401, UNAUTHORIZED, OK,        OK,        OK),
}
# fmt: on


@dataclass(frozen=True)
class Probe:
    """How a field is exercised: a document, its variables, and where its value lands."""

    document: str
    path: tuple[str, ...]
    variables: Callable[[World], dict[str, Any]] = lambda w: {"b": w.board, "n": w.note}
    # the anonymous credential cannot reach a nested field through `me`/`board`: another way in
    anonymous_document: str | None = None
    # what the world needs first (an action to tick off, a group to rename), made by its owner
    prepare: Callable[[LiveServer, World], World] | None = None


def _with_action(server: LiveServer, world: World) -> World:
    """The world with its note an ACTION (the participant's, as the GOOD one was)."""
    action = add_note(server, world.participant.token, world.board, "an action", "ACTION")
    return World(world.owner, world.participant, world.stranger, world.board, action)


def _with_group(server: LiveServer, world: World) -> World:
    """The world with its note in a group (`g`), grouped by the owner."""
    data = server.data(
        'mutation($b: ID!, $n: ID!) { groupNotes(input: {boardId: $b, noteIds: [$n], title: "G"})'
        " { id } }",
        {"b": world.board, "n": world.note},
        token=world.owner.token,
    )
    world.extra["g"] = data["groupNotes"]["id"]
    return world


def _variables(world: World) -> dict[str, Any]:
    return {"b": world.board, "n": world.note, **world.extra}


BOARD_ARGS = "query($b: ID!)"
PROBES: dict[str, Probe] = {
    "Query.board": Probe(f"{BOARD_ARGS} {{ board(id: $b) {{ id title }} }}", ("board",)),
    "Query.me": Probe("{ me { id } }", ("me",), lambda w: {}),
    "Query.participation": Probe(
        f"{BOARD_ARGS} {{ participation(boardId: $b) {{ boardId votesLeft }} }}",
        ("participation",),
    ),
    "User.boards": Probe(
        "{ me { boards { items { id } } } }",
        ("me", "boards"),
        lambda w: {},
        anonymous_document=(
            'mutation { createUser(name: "p") { user { boards { items { id } } } } }'
        ),
    ),
    "Board.version": Probe(
        f"{BOARD_ARGS} {{ board(id: $b) {{ version(number: 1) {{ id }} }} }}", ("board", "version")
    ),
    "BoardVersion.export": Probe(
        f"{BOARD_ARGS} {{ board(id: $b) {{ currentVersion {{ export(format: CSV) }} }} }}",
        ("board", "currentVersion", "export"),
    ),
    "Mutation.createUser": Probe(
        'mutation { createUser(name: "probe") { token } }', ("createUser",), lambda w: {}
    ),
    "Mutation.createBoard": Probe(
        'mutation { createBoard(input: {title: "probe"}) { id } }', ("createBoard",), lambda w: {}
    ),
    "Mutation.updateBoard": Probe(
        'mutation($b: ID!) { updateBoard(input: {id: $b, title: "renamed"}) { id title } }',
        ("updateBoard",),
    ),
    "Mutation.deleteBoard": Probe(
        "mutation($b: ID!) { deleteBoard(id: $b) { id } }", ("deleteBoard",)
    ),
    "Mutation.startNewVersion": Probe(
        "mutation($b: ID!) { startNewVersion(input: {boardId: $b}) { id number } }",
        ("startNewVersion",),
    ),
    "Mutation.addNote": Probe(
        'mutation($b: ID!) { addNote(input: {boardId: $b, column: BAD, text: "probe"}) { id } }',
        ("addNote",),
    ),
    "Mutation.updateNote": Probe(
        'mutation($b: ID!, $n: ID!) { updateNote(input: {boardId: $b, id: $n, text: "x"}) { id } }',
        ("updateNote",),
    ),
    "Mutation.deleteNote": Probe(
        "mutation($b: ID!, $n: ID!) { deleteNote(boardId: $b, id: $n) { id } }", ("deleteNote",)
    ),
    "Mutation.vote": Probe(
        "mutation($b: ID!, $n: ID!) { vote(boardId: $b, noteId: $n) { id votes } }", ("vote",)
    ),
    "Mutation.unvote": Probe(
        "mutation($b: ID!, $n: ID!) { unvote(boardId: $b, noteId: $n) { id votes } }", ("unvote",)
    ),
    "Query.trend": Probe(
        f"{BOARD_ARGS} {{ trend(boardId: $b) {{ boardId versions {{ number actionsOpen }} }} }}",
        ("trend",),
    ),
    "Mutation.updateAction": Probe(
        "mutation($b: ID!, $n: ID!) { updateAction(input: {boardId: $b, id: $n, done: true, "
        'who: "Ana"}) { id done who } }',
        ("updateAction",),
        prepare=_with_action,
    ),
    "Mutation.groupNotes": Probe(
        "mutation($b: ID!, $n: ID!) { groupNotes(input: {boardId: $b, noteIds: [$n], "
        'title: "Probe"}) { id noteIds } }',
        ("groupNotes",),
    ),
    "Mutation.renameGroup": Probe(
        'mutation($b: ID!, $g: ID!) { renameGroup(input: {boardId: $b, id: $g, title: "R"}) '
        "{ id title } }",
        ("renameGroup",),
        _variables,
        prepare=_with_group,
    ),
    "Mutation.ungroupNote": Probe(
        "mutation($b: ID!, $n: ID!) { ungroupNote(input: {boardId: $b, noteId: $n}) { id "
        "noteIds } }",
        ("ungroupNote",),
        prepare=_with_group,
    ),
    "Mutation.setStage": Probe(
        "mutation($b: ID!) { setStage(input: {boardId: $b, stage: WRITE}) { id stage } }",
        ("setStage",),
    ),
    "Mutation.startTimer": Probe(
        "mutation($b: ID!) { startTimer(input: {boardId: $b, seconds: 60}) { id timer { "
        "running } } }",
        ("startTimer",),
    ),
    # extending and stopping need a running timer: started first, in the same request (a
    # mutation's root fields run one after the other); a refused start leaves none to touch
    "Mutation.extendTimer": Probe(
        "mutation($b: ID!) { startTimer(input: {boardId: $b, seconds: 60}) { id } "
        "extendTimer(boardId: $b, seconds: 30) { id timer { durationSeconds } } }",
        ("extendTimer",),
    ),
    "Mutation.stopTimer": Probe(
        "mutation($b: ID!) { startTimer(input: {boardId: $b, seconds: 60}) { id } "
        "stopTimer(boardId: $b) { id timer { running } } }",
        ("stopTimer",),
    ),
}
SUBSCRIPTION_ARGUMENT = {"onBoardUpdated": "id", "onBoardDeleted": "id"}

# The mutations again, each with a `clientRequestId` (every mutation but createUser takes one):
# a key changes nothing about who may do what, and an allowed one sent twice is done once.
KEYED: dict[str, str] = {
    "Mutation.createBoard": 'mutation($k: String) { createBoard(input: {title: "probe", '
    "clientRequestId: $k}) { id } }",
    "Mutation.updateBoard": "mutation($b: ID!, $k: String) { updateBoard(input: {id: $b, title: "
    '"renamed", clientRequestId: $k}) { id title } }',
    "Mutation.startNewVersion": "mutation($b: ID!, $k: String) { startNewVersion(input: "
    "{boardId: $b, clientRequestId: $k}) { id number } }",
    "Mutation.addNote": "mutation($b: ID!, $k: String) { addNote(input: {boardId: $b, "
    'column: BAD, text: "probe", clientRequestId: $k}) { id } }',
    "Mutation.updateNote": "mutation($b: ID!, $n: ID!, $k: String) { updateNote(input: "
    '{boardId: $b, id: $n, text: "x", clientRequestId: $k}) { id } }',
    "Mutation.deleteNote": "mutation($b: ID!, $n: ID!, $k: String) { deleteNote(boardId: $b, "
    "id: $n, clientRequestId: $k) { id } }",
    "Mutation.vote": "mutation($b: ID!, $n: ID!, $k: String) { vote(boardId: $b, noteId: $n, "
    "clientRequestId: $k) { id votes } }",
    "Mutation.unvote": "mutation($b: ID!, $n: ID!, $k: String) { unvote(boardId: $b, "
    "noteId: $n, clientRequestId: $k) { id votes } }",
    "Mutation.setStage": "mutation($b: ID!, $k: String) { setStage(input: {boardId: $b, "
    "stage: VOTE, clientRequestId: $k}) { id stage } }",
    "Mutation.startTimer": "mutation($b: ID!, $k: String) { startTimer(input: {boardId: $b, "
    "seconds: 90, advance: true, clientRequestId: $k}) { id timer { endsAt } } }",
    "Mutation.extendTimer": "mutation($b: ID!, $k: String) { startTimer(input: {boardId: $b, "
    "seconds: 60, clientRequestId: $k}) { id } extendTimer(boardId: $b, seconds: 30, "
    "clientRequestId: $k) { id timer { endsAt durationSeconds } } }",
    "Mutation.stopTimer": "mutation($b: ID!, $k: String) { startTimer(input: {boardId: $b, "
    "seconds: 60, clientRequestId: $k}) { id } stopTimer(boardId: $b, clientRequestId: $k) { "
    "id timer { running } } }",
    "Mutation.deleteBoard": "mutation($b: ID!, $k: String) { deleteBoard(id: $b, "
    "clientRequestId: $k) { id } }",
    "Mutation.updateAction": "mutation($b: ID!, $n: ID!, $k: String) { updateAction(input: "
    "{boardId: $b, id: $n, done: true, clientRequestId: $k}) { id done } }",
    "Mutation.groupNotes": "mutation($b: ID!, $n: ID!, $k: String) { groupNotes(input: "
    '{boardId: $b, noteIds: [$n], title: "K", clientRequestId: $k}) { id noteIds } }',
    "Mutation.renameGroup": "mutation($b: ID!, $g: ID!, $k: String) { renameGroup(input: "
    '{boardId: $b, id: $g, title: "K", clientRequestId: $k}) { id title } }',
    "Mutation.ungroupNote": "mutation($b: ID!, $n: ID!, $k: String) { ungroupNote(input: "
    "{boardId: $b, noteId: $n, clientRequestId: $k}) { id noteIds } }",
}

ERROR_OUTCOMES = {
    "Unauthorized": UNAUTHORIZED,
    "UnauthorizedError": UNAUTHORIZED,
    "UnauthorizedException": UNAUTHORIZED,
    "ForbiddenError": FORBIDDEN,
    "ConflictError": CONFLICT,
    "NotFoundError": "not found",
}


def required_fields() -> set[str]:
    """Every root field of the SDL and every field resolvers.json maps."""
    schema = load_api((ROOT / "schema" / "schema.graphql").read_text(encoding="utf-8")).schema
    fields = set()
    for root in (schema.query_type, schema.mutation_type, schema.subscription_type):
        assert root is not None
        fields |= {f"{root.name}.{name}" for name in root.fields}
    resolvers = json.loads((ROOT / "schema" / "resolvers.json").read_text(encoding="utf-8"))
    return fields | set(resolvers["resolvers"])


def test_every_field_has_a_row() -> None:
    required = required_fields()
    assert set(MATRIX) == required, {
        "no row": sorted(required - set(MATRIX)),
        "no such field": sorted(set(MATRIX) - required),
    }
    for field in MATRIX:
        assert field.startswith("Subscription.") or field in PROBES, f"{field} has no probe"


@pytest.fixture(scope="module")
def users(live_server: LiveServer) -> dict[str, User]:
    return {
        "owner": new_user(live_server, "Owner"),
        "participant": new_user(live_server, "Participant"),
        "stranger": new_user(live_server, "Stranger"),
    }


@pytest.fixture(scope="module")
def shared_world(live_server: LiveServer, users: dict[str, User]) -> World:
    """For the cells that change nothing (queries, subscriptions)."""
    return new_world(live_server, users["owner"], users["participant"], users["stranger"])


def _headers(server: LiveServer, caller: str, users: dict[str, User]) -> dict[str, str]:
    headers = {"content-type": "application/json"}
    if caller == "anonymous":
        headers.update(server.public_headers)
    elif caller in users:
        headers["authorization"] = users[caller].token
    return headers


def _value(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def outcome_over_http(
    server: LiveServer, probe: Probe, caller: str, users: dict[str, User], world: World
) -> str:
    document = (
        probe.anonymous_document
        if caller == "anonymous" and probe.anonymous_document
        else probe.document
    )
    body = json.dumps({"query": document, "variables": probe.variables(world)}).encode()
    response = raw_request(server, body, _headers(server, caller, users))
    answer = response.json()
    if response.status == 401:
        assert answer["errors"][0]["errorType"] == "UnauthorizedException", answer
        return R401
    assert response.status == 200, response.text
    errors = answer.get("errors") or []
    if errors:
        error_type = errors[0]["errorType"]
        assert error_type in ERROR_OUTCOMES, errors
        assert errors[0]["message"], errors  # a refusal says why
        return ERROR_OUTCOMES[error_type]
    assert _value(answer["data"], probe.path) is not None, answer
    return OK


CELLS = [
    (field, caller, expected)
    for field, row in MATRIX.items()
    if not field.startswith("Subscription.")
    for caller, expected in zip(CALLERS, row, strict=True)
]


@pytest.mark.parametrize(("field", "caller", "expected"), CELLS)
def test_http_field(
    live_server: LiveServer,
    users: dict[str, User],
    shared_world: World,
    field: str,
    caller: str,
    expected: str,
) -> None:
    probe = PROBES[field]
    mutation = field.startswith("Mutation.")
    world = (
        new_world(live_server, users["owner"], users["participant"], users["stranger"])
        if mutation
        else shared_world
    )
    if probe.prepare is not None:
        world = probe.prepare(live_server, world)
    owner = users["owner"].token
    before = board_state(live_server, owner, world.board)
    assert outcome_over_http(live_server, probe, caller, users, world) == expected
    if expected != OK or not mutation:
        # refused (or a read): the board is exactly as it was
        assert board_state(live_server, owner, world.board) == before


SUBSCRIPTION_CELLS = [
    (field.split(".")[1], caller, expected)
    for field, row in MATRIX.items()
    if field.startswith("Subscription.")
    for caller, expected in zip(CALLERS, row, strict=True)
]


async def outcome_over_realtime(
    server: LiveServer, field: str, caller: str, users: dict[str, User], board: str
) -> str:
    if caller == "none":
        url = f"ws://127.0.0.1:{server.server.port}/graphql/realtime"
        auth: dict[str, str] | None = None
    else:
        credential = (
            {"Authorization": ANONYMOUS_TOKEN}
            if caller == "anonymous"
            else {"Authorization": users[caller].token}
        )
        auth = {"host": f"127.0.0.1:{server.server.port}", **credential}
        url = appsync_url(server, auth, path="/graphql/realtime")
    async with websockets.connect(url, subprotocols=["graphql-ws"]) as ws:
        frames = Frames(ws)
        if auth is None:
            await frames.send({"type": "connection_init"})  # refused connections answer it
            frame = await frames.next()
            assert frame["type"] == "connection_error", frame
            (error,) = frame["payload"]["errors"]
            assert (error["errorType"], error["errorCode"]) == ("UnauthorizedException", 401)
            return R401
        await frames.send({"type": "connection_init"})
        assert (await frames.next())["type"] == "connection_ack"
        argument = SUBSCRIPTION_ARGUMENT.get(field, "boardId")
        query = f"subscription($b: ID!) {{ {field}({argument}: $b) {{ id }} }}"
        await frames.send(start("probe", query, {"b": board}, auth=auth))
        frame = await frames.next()
        assert frame.get("id") == "probe", frame
        if frame["type"] == "start_ack":
            return OK
        assert frame["type"] == "error", frame
        error_type = frame["payload"]["errors"][0]["errorType"]
        assert error_type in ERROR_OUTCOMES, frame
        return ERROR_OUTCOMES[error_type]


@pytest.mark.parametrize(("field", "caller", "expected"), SUBSCRIPTION_CELLS)
def test_subscription_field(
    live_server: LiveServer,
    users: dict[str, User],
    shared_world: World,
    field: str,
    caller: str,
    expected: str,
) -> None:
    outcome = asyncio.run(
        asyncio.wait_for(
            outcome_over_realtime(live_server, field, caller, users, shared_world.board), 30
        )
    )
    assert outcome == expected


def test_every_mutation_but_create_user_is_probed_with_a_key() -> None:
    mutations = {field for field in MATRIX if field.startswith("Mutation.")}
    assert set(KEYED) == mutations - {"Mutation.createUser"}


KEYED_CELLS = [
    (field, caller, expected)
    for field in KEYED
    for caller, expected in zip(CALLERS, MATRIX[field], strict=True)
]


@pytest.mark.parametrize(("field", "caller", "expected"), KEYED_CELLS)
def test_http_field_with_a_key(
    live_server: LiveServer, users: dict[str, User], field: str, caller: str, expected: str
) -> None:
    """As `test_http_field`, with a clientRequestId; an allowed call sent again is answered the
    same and changes nothing more (a refused one stays refused)."""
    world = new_world(live_server, users["owner"], users["participant"], users["stranger"])
    if (prepare := PROBES[field].prepare) is not None:
        world = prepare(live_server, world)
    owner = users["owner"].token
    probe = Probe(
        KEYED[field],
        PROBES[field].path,
        lambda w: {**_variables(w), "k": f"probe-{w.note}"},
    )
    before = board_state(live_server, owner, world.board)
    assert outcome_over_http(live_server, probe, caller, users, world) == expected
    after = board_state(live_server, owner, world.board)
    if expected != OK:
        assert after == before
    assert outcome_over_http(live_server, probe, caller, users, world) == expected
    assert board_state(live_server, owner, world.board) == after


# -- what each stage lets in ---------------------------------------------------------------------
# The participant (author of the world's GOOD note, with one vote on it) in each stage: a stage
# refuses the same to everyone, with a ConflictError that names the stage, and changes nothing.
STAGE_PROBES: dict[str, str] = {
    "vote": "mutation($b: ID!, $n: ID!) { vote(boardId: $b, noteId: $n) { id votes } }",
    "unvote": "mutation($b: ID!, $n: ID!) { unvote(boardId: $b, noteId: $n) { id votes } }",
    "addNote GOOD": 'mutation($b: ID!) { addNote(input: {boardId: $b, column: GOOD, text: "g"}) '
    "{ id } }",
    "addNote ACTION": "mutation($b: ID!) { addNote(input: {boardId: $b, column: ACTION, "
    'text: "a"}) { id } }',
    "updateNote GOOD": "mutation($b: ID!, $n: ID!) { updateNote(input: {boardId: $b, id: $n, "
    'text: "x"}) { id } }',
    "deleteNote": "mutation($b: ID!, $n: ID!) { deleteNote(boardId: $b, id: $n) { id } }",
}
# fmt: off
STAGE_MATRIX: dict[str, tuple[str, str, str, str]] = {
    # operation          FREE  WRITE     VOTE      DISCUSS
    "vote":             (OK,   CONFLICT, OK,       CONFLICT),
    "unvote":           (OK,   CONFLICT, OK,       CONFLICT),
    "addNote GOOD":     (OK,   OK,       CONFLICT, CONFLICT),
    "addNote ACTION":   (OK,   OK,       OK,       OK),
    "updateNote GOOD":  (OK,   OK,       CONFLICT, CONFLICT),
    "deleteNote":       (OK,   OK,       OK,       OK),
}
# fmt: on
STAGES = ("FREE", "WRITE", "VOTE", "DISCUSS")
STAGE_CELLS = [
    (operation, stage, expected)
    for operation, row in STAGE_MATRIX.items()
    for stage, expected in zip(STAGES, row, strict=True)
]


@pytest.mark.parametrize(("operation", "stage", "expected"), STAGE_CELLS)
def test_each_stage_refuses_what_it_closes_naming_the_stage(
    live_server: LiveServer, users: dict[str, User], operation: str, stage: str, expected: str
) -> None:
    world = new_world(live_server, users["owner"], users["participant"], users["stranger"])
    owner = users["owner"].token
    live_server.data(
        "mutation($b: ID!, $s: Stage!) { setStage(input: {boardId: $b, stage: $s}) { id } }",
        {"b": world.board, "s": stage},
        token=owner,
    )
    before = board_state(live_server, owner, world.board)
    body = json.dumps(
        {"query": STAGE_PROBES[operation], "variables": {"b": world.board, "n": world.note}}
    ).encode()
    answer = raw_request(live_server, body, _headers(live_server, "participant", users)).json()
    errors = answer.get("errors") or []
    assert (CONFLICT if errors else OK) == expected, answer
    if errors:
        assert errors[0]["errorType"] == "ConflictError", errors
        assert f"the board is in {stage}" in errors[0]["message"], errors
        assert board_state(live_server, owner, world.board) == before
