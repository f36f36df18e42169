"""The embedded DynamoDB applies each request atomically, as DynamoDB does."""

from concurrent.futures import ThreadPoolExecutor

VOTE = "mutation($b: ID!, $n: ID!) { vote(boardId: $b, noteId: $n) { votes } }"


def test_vote_budget_holds_for_20_concurrent_votes_through_the_server(live_server):
    token, _ = live_server.create_user("Racer")
    board = live_server.data(
        'mutation { createBoard(input: {title: "Race", settings: {voteBudget: 5}}) { id } }',
        token=token,
    )["createBoard"]["id"]
    note = live_server.data(
        'mutation($b: ID!) { addNote(input: {boardId: $b, column: GOOD, text: "x"}) { id } }',
        {"b": board},
        token=token,
    )["addNote"]["id"]

    def vote(_: int) -> bool:
        return not live_server.post(VOTE, {"b": board, "n": note}, token=token).body.get("errors")

    with ThreadPoolExecutor(20) as pool:
        accepted = sum(pool.map(vote, range(20)))
    after = live_server.data(
        "query($b: ID!) { board(id: $b) { currentVersion { notes { votes } } }"
        " participation(boardId: $b) { votesUsed } }",
        {"b": board},
        token=token,
    )
    assert accepted == 5
    assert after["board"]["currentVersion"]["notes"] == [{"votes": 5}]
    assert after["participation"]["votesUsed"] == 5
