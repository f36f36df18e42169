"""The client's store on its own, in the browser, with a fake API answering what the server
would: the cases a live server makes too rare to meet on purpose (an event made before the
reveal and delivered after it) and what the timer counts from (never the device's clock)."""

from typing import Any

import pytest

pytestmark = pytest.mark.browser

# A BoardStore whose API answers one board page: a live version in `stage`, one note.
STORE = """async ({meeting, note, timer}) => {
    const { BoardStore } = await import('/js/store.js');
    const page = {
        board: {
            id: 'b1', title: 'Fake', createdAt: 't0', updatedAt: 't0',
            settings: {voteBudget: 5, hideWhileWriting: true, secretBallot: true},
            currentVersion: {
                id: 'v1', boardId: 'b1', number: 1, title: null, createdAt: 't0',
                frozenAt: null, ...meeting, timer, notes: [note],
            },
            versions: {items: [], nextToken: null},
        },
        participation: {
            boardId: 'b1', versionId: 'v1', isOwner: false, voteBudget: 5, votesUsed: 0,
            votesLeft: 5, myVotes: [], myNoteIds: [], myNotes: [],
        },
    };
    const api = {requests: 0, request: async () => { api.requests += 1; return page; }};
    const store = new BoardStore(api, 'b1');
    await store.load();
    return {store, api};
}"""

REVEALED = {"stage": "VOTE", "textsHidden": False, "votesHidden": False}
NOTE = {
    "id": "n1",
    "boardId": "b1",
    "versionId": "v1",
    "column": "GOOD",
    "text": "Readable since the reveal",
    "votes": 2,
    "createdAt": "2026-01-01T10:00:00Z",
    "updatedAt": "2026-01-01T10:00:05Z",
}


def test_an_event_made_before_the_reveal_does_not_hide_the_text_again(new_page: Any) -> None:
    page = new_page()
    text, votes, requests = page.evaluate(
        f"""async (args) => {{
            const {{store, api}} = await ({STORE})(args);
            // onNoteUpdated of the same change, made while hidden, delivered after the reveal
            store.applyNote('updated', {{...args.note, text: null, votes: null}});
            const kept = store.notes.get('n1');
            return [kept.text, kept.votes, api.requests];
        }}""",
        {"meeting": REVEALED, "note": NOTE, "timer": None},
    )
    assert (text, votes) == ("Readable since the reveal", 2)
    assert requests == 1  # nothing to read again


def test_a_newer_change_made_while_hidden_is_read_again_after_the_reveal(new_page: Any) -> None:
    page = new_page()
    text, requests = page.evaluate(
        f"""async (args) => {{
            const {{store, api}} = await ({STORE})(args);
            // an edit made just before the reveal, its event (text hidden) delivered after it
            const later = '2026-01-01T10:01:00Z';
            store.applyNote('updated', {{...args.note, text: null, updatedAt: later}});
            await new Promise((resolve) => setTimeout(resolve, 0));
            return [store.notes.get('n1').text, api.requests];
        }}""",
        {"meeting": REVEALED, "note": NOTE, "timer": None},
    )
    assert text == "Readable since the reveal"  # the board was read again: the fake's answer
    assert requests == 2


def test_the_timer_counts_from_the_answer_never_from_the_devices_clock(new_page: Any) -> None:
    # GIVEN an answer whose endsAt is long past by this device's clock, with 90 s left by the
    # server's: the server's remainingMs is what counts
    page = new_page()
    timer = {
        "endsAt": "2001-01-01T00:00:00Z",
        "remainingMs": 90_000,
        "durationSeconds": 300,
        "advances": True,
        "running": True,
    }
    left = page.evaluate(
        f"""async (args) => {{
            const {{store}} = await ({STORE})(args);
            const {{remainingMs}} = await import('/js/clock.js');
            return remainingMs(store.timer);
        }}""",
        {"meeting": REVEALED, "note": NOTE, "timer": timer},
    )
    assert 85_000 < left <= 90_000


# The open board is deleted while a load is in flight (the resync after a reconnect, or the
# reload a meeting change asks for): its answer may arrive before or after onBoardDeleted.
DELETED_WHILE_LOADING = """async ({meeting, note, timer, answer}) => {
    const {store, api} = await (STORE)({meeting, note, timer});
    const page = await api.request();
    let release;
    api.request = () => new Promise((resolve) => { release = () => resolve(page); });
    const loading = store.load();
    if (answer === 'gone') page.board = null;
    else store.markDeleted();  // the frame first, then the answer read before the deletion
    release();
    await loading;
    return store.status;
}"""


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param("gone", id="the load finds it gone before the frame arrives"),
        pytest.param("stale", id="a load read before the deletion answers after the frame"),
    ],
)
def test_a_board_deleted_while_it_is_open_reads_as_deleted(new_page: Any, answer: str) -> None:
    page = new_page()
    status = page.evaluate(
        DELETED_WHILE_LOADING.replace("(STORE)", f"({STORE})"),
        {"meeting": REVEALED, "note": NOTE, "timer": None, "answer": answer},
    )
    assert status == "deleted"


def test_an_open_board_a_restarted_server_forgot_is_not_called_deleted(new_page: Any) -> None:
    # GIVEN an open board; the server restarts without its data: it refuses this browser's
    # token, the api makes a new user (`forgotten`), and the board reads as missing
    page = new_page()
    status = page.evaluate(
        f"""async (args) => {{
            const {{store, api}} = await ({STORE})(args);
            api.forgotten = true;
            api.request = async () => ({{board: null}});
            await store.load();
            return store.status;
        }}""",
        {"meeting": REVEALED, "note": NOTE, "timer": None},
    )
    assert status == "missing"  # the page says the server no longer knows it, not "deleted"
