"""Fuzzing the API over real sockets: schema-generated operations and malformed bodies.

hypothesis-graphql generates queries and mutations from the very schema the server runs
(`PRELUDE` + `schema/schema.graphql`, as `appsync_local.sdl` builds it) — valid ones and, in
negative mode, invalid ones — with ids drawn from real boards, notes and versions so that
generated calls reach the services instead of stopping at "not a valid id". They go over HTTP
with a user's token, a stranger's token or the anonymous credential only. Subscriptions are
generated the same way (from a schema whose query type is the Subscription type) and sent over
AppSync's realtime protocol. Raw bodies — bytes, random JSON, wrong types, deep nesting, huge
strings, unicode edge cases — go at the HTTP endpoint.

Every answer must be one AppSync could give: a sane status, JSON, no stack trace, no exception
class name, no AWS or mock words, no `InternalFailure` (a masked crash is still a crash). The
server must answer `{ __typename }` afterwards. Seeds are fixed (`derandomize=True`): CI runs the
same cases every time, and a failure reproduces.
"""

import asyncio
import json
from collections import Counter
from datetime import UTC
from typing import Any

import graphql
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema, queries
from hypothesis_graphql import nodes as gql_nodes

from appsync_local.sdl import load_api
from tests.appsync_realtime import Frames, appsync_url, start
from tests.conftest import LiveServer

from .conftest import ROOT, Raw, User, add_note, create_board, leaks, new_user, raw_request

SCHEMA = load_api((ROOT / "schema" / "schema.graphql").read_text(encoding="utf-8")).schema

# Statuses AppSync answers with; 500 never (it would mean the server failed).
SANE_STATUSES = {200, 400, 401, 405, 413, 415}
# errorTypes a client may see: Retro's taxonomy, AppSync's own, and graphql's validation.
KNOWN_ERROR_TYPES = {
    None,  # AppSync's refusals of a document (validation, variables) carry none
    "BadInputError",
    "NotFoundError",
    "ForbiddenError",
    "ConflictError",
    "UnauthorizedError",
    "Unauthorized",
    "UnauthorizedException",
    "MalformedHttpRequestException",
    "MethodNotAllowedException",
    "PayloadTooLargeException",
    "BadRequestException",
    "UnsupportedOperation",
    "ResolverExecutionLimitReached",
}

COUNTS: Counter[str] = Counter()  # cases sent, per kind (reported by the last test)
OUTCOMES: Counter[str] = Counter()  # what the answers were: "data" or the first errorType

COMMON = settings(
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def check(response: Raw, sent: str) -> None:
    """What every answer must satisfy, whatever was sent."""
    assert response.status in SANE_STATUSES, (response.status, response.text[:500], sent[:500])
    found = leaks(response.text, sent)
    assert not found, (found, response.text[:1000], sent[:500])
    body = response.json()
    assert isinstance(body, dict), response.text[:500]
    errors = body.get("errors") or []
    OUTCOMES[str(errors[0].get("errorType")) if errors else "data"] += 1
    for error in body.get("errors") or []:
        assert error.get("errorType") in KNOWN_ERROR_TYPES, (error, sent[:500])
        assert isinstance(error.get("message"), str) and error["message"], error
    if response.status != 200:
        assert body.get("errors"), body  # a refusal always says why
    assert response.headers.get("x-amzn-requestid"), response.headers


@pytest.fixture(scope="module")
def world(live_server: LiveServer) -> dict[str, Any]:
    """Two users, boards (one with a second version), notes: real ids for the fuzzer.

    A third user's board is in the pool too: the fuzzing callers cannot delete it, so generated
    notes, votes and exports keep reaching a live board however many deleteBoard calls hit.
    """
    owner, guest = new_user(live_server, "Fuzz owner"), new_user(live_server, "Fuzz guest")
    keeper = new_user(live_server, "Fuzz keeper")
    boards = [
        create_board(live_server, owner.token, "Fuzz A"),
        create_board(live_server, guest.token, "Fuzz B"),
    ]
    kept = create_board(live_server, keeper.token, "Fuzz kept")
    notes = [add_note(live_server, guest.token, boards[0], "fuzzed note", "ACTION")]
    notes.append(add_note(live_server, owner.token, boards[1], "other board's note"))
    notes.append(add_note(live_server, guest.token, kept, "guest's note on the kept board"))
    version = live_server.data(
        "mutation($b: ID!) { startNewVersion(input: {boardId: $b}) { id } }",
        {"b": boards[0]},
        token=owner.token,
    )["startNewVersion"]["id"]
    notes.append(add_note(live_server, owner.token, boards[0], "live note"))
    # a guided meeting that hides texts and counts, in WRITE with a timer that moves it on
    guided = live_server.data(
        """mutation { createBoard(input: {title: "Fuzz guided",
          settings: {hideWhileWriting: true, secretBallot: true}}) { id } }""",
        token=owner.token,
    )["createBoard"]["id"]
    live_server.data(
        """mutation($b: ID!) { setStage(input: {boardId: $b, stage: WRITE}) { id }
          startTimer(input: {boardId: $b, seconds: 600, advance: true}) { id } }""",
        {"b": guided},
        token=owner.token,
    )
    notes.append(add_note(live_server, guest.token, guided, "hidden note"))
    ids = [*boards, kept, kept, kept, guided, guided, *notes, version, owner.id, guest.id]
    return {"users": {"owner": owner, "guest": guest}, "ids": ids}


def scalars(ids: list[str]) -> dict[str, st.SearchStrategy[graphql.ValueNode]]:
    moments = st.datetimes(timezones=st.just(UTC))
    return {
        # Mostly real ids (so calls reach the services), sometimes anything at all.
        "ID": st.one_of(st.sampled_from(ids), st.sampled_from(ids), st.text(max_size=40)).map(
            gql_nodes.String
        ),
        "AWSDateTime": moments.map(
            lambda d: gql_nodes.String(d.isoformat().replace("+00:00", "Z"))
        ),
    }


def post_document(
    server: LiveServer,
    document: str,
    who: str,
    users: dict[str, User],
    extra: dict[str, Any] | None = None,
) -> tuple[Raw, str]:
    headers = {"content-type": "application/json"}
    if who == "key":
        headers.update(server.public_headers)
    else:
        headers["authorization"] = users[who].token
    sent = json.dumps({"query": document, **(extra or {})})
    return raw_request(server, sent.encode(), headers), sent


def _generated(world: dict[str, Any], mode: Mode) -> st.SearchStrategy[str]:
    return from_schema(SCHEMA, custom_scalars=scalars(world["ids"]), mode=mode)  # type: ignore[return-value]


def test_generated_operations_over_http(live_server: LiveServer, world: dict[str, Any]) -> None:
    """Valid queries and mutations (positive mode), as a user, a stranger or anonymously."""

    @settings(COMMON, max_examples=400)
    @given(
        document=_generated(world, Mode.POSITIVE),
        who=st.sampled_from(["owner", "guest", "owner", "key"]),
    )
    def run(document: str, who: str) -> None:
        response, sent = post_document(live_server, document, who, world["users"])
        COUNTS["positive"] += 1
        check(response, sent)
        if who == "key":
            # Only createUser is open to `anonymous`: nothing else may come back with data.
            data = response.json().get("data") or {}
            assert {k for k, v in data.items() if v is not None} <= {"createUser"}, data

    run()


def test_invalid_operations_over_http(live_server: LiveServer, world: dict[str, Any]) -> None:
    """Documents that break the schema's rules (negative mode): refused, never a crash."""

    @settings(COMMON, max_examples=200)
    @given(document=_generated(world, Mode.NEGATIVE), who=st.sampled_from(["owner", "guest"]))
    def run(document: str, who: str) -> None:
        response, sent = post_document(live_server, document, who, world["users"])
        COUNTS["negative"] += 1
        check(response, sent)
        assert response.json().get("errors"), (document, response.text[:300])

    run()


JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
EDGE_TEXT = st.text(
    alphabet=st.characters(categories=["Cs", "Cc", "Cf", "Zs", "Zl", "Mn", "So", "Co"]),
    min_size=1,
    max_size=20,
) | st.sampled_from(["\x00", "\ufeff", "\u202e", "\ud800", "\udfff", "🙂" * 3000, "e\u0301" * 700])

TYPED = [  # documents whose variables the fuzzer fills with anything
    "mutation($i: AddNoteInput!) { addNote(input: $i) { id boardId text } }",
    "mutation($i: CreateBoardInput!) { createBoard(input: $i) { id title } }",
    "mutation($i: UpdateNoteInput!) { updateNote(input: $i) { id text column } }",
    "mutation($i: UpdateBoardInput!) { updateBoard(input: $i) { id title } }",
    "mutation($i: StartVersionInput!) { startNewVersion(input: $i) { id number } }",
    "mutation($b: ID!, $n: ID!) { vote(boardId: $b, noteId: $n) { id votes } }",
    # every mutation but createUser takes a clientRequestId: keys of any shape, reused across
    # operations and targets
    "mutation($b: ID!, $n: ID!, $k: String) { vote(boardId: $b, noteId: $n, clientRequestId: $k) "
    "{ id votes } }",
    "mutation($b: ID!, $n: ID!, $k: String) { unvote(boardId: $b, noteId: $n, "
    "clientRequestId: $k) { id votes } }",
    "mutation($b: ID!, $n: ID!, $k: String) { deleteNote(boardId: $b, id: $n, "
    "clientRequestId: $k) { id text } }",
    "mutation($n: String) { createUser(name: $n) { user { name } } }",
    # the meeting: stages, the timer, settings that hide (stage names and seconds of any shape)
    "mutation($i: SetStageInput!) { setStage(input: $i) { id stage textsHidden } }",
    "mutation($i: StartTimerInput!) { startTimer(input: $i) { id timer { remainingMs } } }",
    "mutation($b: ID!, $l: Int!, $k: String) { extendTimer(boardId: $b, seconds: $l, "
    "clientRequestId: $k) { id timer { durationSeconds } } }",
    "mutation($b: ID!, $k: String) { stopTimer(boardId: $b, clientRequestId: $k) { id } }",
    """query($b: ID!) { participation(boardId: $b) { myNotes { id text } }
      board(id: $b) { currentVersion { stage timer { endsAt } notes { text votes } } } }""",
    """query($b: ID!, $c: Column, $f: ExportFormat!) {
      board(id: $b) { currentVersion { notes(column: $c) { id } export(format: $f) } } }""",
    """query($l: Int, $t: String) {
      me { boards(limit: $l, nextToken: $t) { items { id } nextToken } } }""",
]
VARIABLE_NAMES = ["i", "b", "n", "c", "f", "l", "t", "k"]


def variables(ids: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    field_values = st.one_of(
        JSON_VALUES,
        EDGE_TEXT,
        st.sampled_from(ids),
        st.sampled_from(["GOOD", "BAD", "ACTION", "PURPLE", "CSV"]),
        st.sampled_from(["FREE", "WRITE", "VOTE", "DISCUSS", 9, 10, 3600, 3601]),
        st.sampled_from(["k-1", "k-2", "#", "x" * 65]),  # clientRequestIds, reused and refused
    )
    inputs = st.fixed_dictionaries(
        {},
        optional=dict.fromkeys(
            [
                "boardId",
                "id",
                "column",
                "text",
                "title",
                "clientRequestId",
                "settings",
                "stage",
                "seconds",
                "advance",
                "extra",
            ],
            field_values,
        ),
    )
    return st.dictionaries(
        st.sampled_from(VARIABLE_NAMES), st.one_of(field_values, inputs), max_size=4
    )


def test_typed_documents_with_random_variables(
    live_server: LiveServer, world: dict[str, Any]
) -> None:
    """Real operations whose variables are anything JSON can carry: coercion and services refuse."""

    @settings(COMMON, max_examples=150)
    @given(
        document=st.sampled_from(TYPED),
        values=variables(world["ids"]),
        who=st.sampled_from(["owner", "guest"]),
    )
    def run(document: str, values: dict[str, Any], who: str) -> None:
        response, sent = post_document(
            live_server, document, who, world["users"], {"variables": values}
        )
        COUNTS["typed, random variables"] += 1
        check(response, sent)

    run()


def _json_body(value: Any) -> bytes:
    return json.dumps(value).encode()


RAW_BODIES = st.one_of(
    st.binary(max_size=300),
    JSON_VALUES.map(_json_body),
    st.fixed_dictionaries(
        {"query": st.one_of(JSON_VALUES, EDGE_TEXT)},
        optional={
            "variables": JSON_VALUES,
            "operationName": JSON_VALUES,
            "extensions": JSON_VALUES,
        },
    ).map(_json_body),
    EDGE_TEXT.map(lambda t: _json_body({"query": "{ me { id " + t + " } }"})),
    EDGE_TEXT.map(
        lambda t: _json_body({"query": "query($t: String) { me { name } }", "variables": {"t": t}})
    ),
)

# Bodies no generator is likely to stumble on; each one broke a GraphQL server somewhere.
FIXED_BODIES = [
    b"",
    b"null",
    b"[]",
    b"{}",
    b'{"query": null}',
    b'{"query": ""}',
    b'{"query": "   "}',
    b"[" * 100_000 + b"]" * 100_000,  # nesting beyond any parser's recursion
    b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    b'{"query": "{ me { id } }", "variables": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    b'{"query": "' + b"{ me " * 5000 + b'"}',
    b'{"query": "{ me { id } }", "operationName": "nope"}',
    b'{"query": "fragment F on Query { me { id } }"}',
    b'{"query": "subscription { onNoteAdded(boardId: \\"x\\") { id } }"}',
    b'{"query": "query A { me { id } } query B { me { name } }", "operationName": "C"}',
    b'{"query": "{ me { id } }"' + b" " * 10,  # truncated
    b"\xef\xbb\xbf" + b'{"query": "{ me { id } }"}',  # UTF-8 BOM
    '{"query": "{ me { id } }"}'.encode("utf-16"),
    b'{"query": "{ me { id } }", "variables": {"x": "\xff\xfe"}}',  # invalid UTF-8
    b'{"query": "\\ud800{ me { id } }"}',  # a lone surrogate in the document
    b'{"query": "{ board(id: \\"\\u0000\\") { id } }"}',
    b'{"query": "{ me { id } }", "variables": {"x": 1e999}}',
    b'{"query": "{ me { id } }", "variables": {"x": 123456789012345678901234567890}}',
    _json_body({"query": "{ me { id } }", "variables": {"big": "x" * 900_000}}),
    _json_body({"query": "{ me { id } }", "variables": {"big": "x" * 2_000_000}}),  # over 1 MB: 413
    _json_body({"query": "{ __typename }" + " " * 900_000}),
    _json_body({"query": "{ " + "__typename " * 50_000 + "}"}),
    _json_body({"query": "query { " + "...F " * 500 + "} fragment F on Query { __typename }"}),
    _json_body({"query": "{ __typename " + "@skip(if: false) " * 2000 + "}"}),
]


def test_malformed_bodies(live_server: LiveServer, world: dict[str, Any]) -> None:
    token = world["users"]["owner"].token
    for body in FIXED_BODIES:
        response = raw_request(
            live_server, body, {"content-type": "application/json", "authorization": token}
        )
        COUNTS["malformed"] += 1
        check(response, body.decode("utf-8", errors="replace"))

    @settings(COMMON, max_examples=150)
    @given(
        body=RAW_BODIES,
        content_type=st.sampled_from(
            [
                "application/json",
                "application/json",
                "application/json; charset=utf-8",
                "text/plain",
            ]
        ),
    )
    def run(body: bytes, content_type: str) -> None:
        response = raw_request(
            live_server, body, {"content-type": content_type, "authorization": token}
        )
        COUNTS["malformed"] += 1
        check(response, body.decode("utf-8", errors="replace"))

    run()


def _subscription_schema() -> graphql.GraphQLSchema:
    """The same types with the Subscription type as the query root, for the generator."""
    subscription = SCHEMA.subscription_type
    assert subscription is not None
    return graphql.GraphQLSchema(query=subscription, types=list(SCHEMA.type_map.values()))


def test_generated_subscriptions_over_the_realtime_channel(
    live_server: LiveServer, world: dict[str, Any]
) -> None:
    documents: list[str] = []
    owner: User = world["users"]["owner"]
    # The fuzzer above may have deleted the world's boards: subscriptions get a fresh one.
    board = create_board(live_server, owner.token, "Fuzz subscriptions")
    ids = [board, board, *world["ids"]]
    schema = _subscription_schema()
    assert schema.query_type is not None
    # One root field per document mostly (a subscription may have only one); sometimes several.
    single = [
        queries(schema, fields=[f], custom_scalars=scalars(ids)) for f in schema.query_type.fields
    ]
    generated = st.one_of(*single, *single, queries(schema, custom_scalars=scalars(ids)))

    @settings(COMMON, max_examples=100, phases=[Phase.generate])
    @given(generated)
    def collect(document: str) -> None:
        documents.append("subscription " + document)

    collect()
    auth = {"host": "local", "Authorization": owner.token}

    async def scenario() -> Counter[str]:
        outcomes: Counter[str] = Counter()
        url = appsync_url(live_server, auth)
        async with websockets_connect(url) as ws:
            frames = Frames(ws)
            await frames.send({"type": "connection_init"})
            assert (await frames.next())["type"] == "connection_ack"
            for n, document in enumerate(documents):
                await frames.send(start(str(n), document, auth=auth))
                frame = await frames.next(timeout=10)
                text = json.dumps(frame, ensure_ascii=False)
                assert not leaks(text, document), (text, document)
                assert frame.get("id") == str(n), frame
                assert frame["type"] in {"start_ack", "error"}, frame
                outcomes[frame["type"]] += 1
                if frame["type"] == "error":
                    for error in frame["payload"]["errors"]:
                        assert error.get("errorType") in KNOWN_ERROR_TYPES, (error, document)
                else:
                    await frames.send({"type": "stop", "id": str(n)})
                    assert await frames.next() == {"type": "complete", "id": str(n)}
                COUNTS["subscriptions"] += 1
        return outcomes

    outcomes = asyncio.run(asyncio.wait_for(scenario(), 120))
    assert sum(outcomes.values()) == len(documents) >= 50
    assert outcomes["start_ack"] > 0 and outcomes["error"] > 0, outcomes  # both paths exercised


def websockets_connect(url: str) -> Any:
    import websockets

    return websockets.connect(url, subprotocols=["graphql-ws"], max_size=None)


def test_the_server_still_answers_and_enough_cases_ran(live_server: LiveServer) -> None:
    """Runs last in this module: the health query, and the count of cases CI must send."""
    assert live_server.data("{ __typename }") == {"__typename": "Query"}
    # (when a subset of this module runs, the total is smaller: only check a full run)
    if len(COUNTS) == 5:
        assert sum(COUNTS.values()) >= 500, COUNTS
    print(f"fuzz cases: {dict(COUNTS)} = {sum(COUNTS.values())}; outcomes: {dict(OUTCOMES)}")
