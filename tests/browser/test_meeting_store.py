"""The client's store on its own, in the browser, with a fake API answering what the server
would: the cases a live server makes too rare to meet on purpose (an event made before the
reveal and delivered after it) and what the timer counts from (never the device's clock)."""

import json
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
WRITING = {"stage": "WRITE", "textsHidden": True, "votesHidden": True}
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


# One of my writes is answered late: its own echo and a change someone made after it have
# both arrived as frames first. The answer is older than what the frames show.
# (ACT, FRAMES and READ are put in as text: the page's CSP forbids eval)
LATE_ANSWER = """async ({meeting, note, timer, mutation, answer}) => {
    const {store, api} = await (STORE)({meeting, note, timer});
    const page = structuredClone(await api.request());  // the server's: the store's is its own
    let release;
    api.request = async (query) => {
        if (!query.startsWith(`mutation ${mutation}(`)) return structuredClone(page);
        return new Promise((resolve) => { release = () => resolve(answer); });
    };
    const stages = [];
    store.addEventListener('change', ({detail}) => {
        if (detail.what === 'meeting') stages.push(store.live.stage);
    });
    const group = (noteIds) => ({
        id: 'g1', boardId: 'b1', versionId: 'v1', column: 'GOOD', title: 'Both', votes: null,
        noteIds,
    });
    store.applyNote('added', {...note, id: 'n2'});
    const tick = () => new Promise((resolve) => setTimeout(resolve, 0));  // reloads answer
    const acting = ACT;
    FRAMES
    release();
    await acting;
    await tick();
    return [READ, stages];
}"""
GROUP = {
    "id": "g1",
    "boardId": "b1",
    "versionId": "v1",
    "column": "GOOD",
    "title": "Both",
    "votes": None,
}
BOARD = {
    "id": "b1",
    "title": "Mine",
    "createdAt": "t0",
    "updatedAt": "t1",
    "settings": {"voteBudget": 5, "hideWhileWriting": True, "secretBallot": True},
    "currentVersion": {"id": "v1", "number": 1, "title": None},
}
VERSION = {
    "id": "v1",
    "boardId": "b1",
    "number": 1,
    "title": None,
    "createdAt": "t0",
    "frozenAt": None,
    "stage": "DISCUSS",
    "textsHidden": False,
    "votesHidden": False,
    "timer": None,
}
ON_SERVER = "page.board.currentVersion.stage = "
MOVED_ON = VERSION | {"stage": "WRITE"}
EDITED = {**NOTE, "text": "Edited", "updatedAt": "2026-01-01T10:01:00Z", "groupId": None}
LATE_ANSWERS = [
    pytest.param(
        "Vote",
        {"vote": {**NOTE, "votes": 3}},
        "store.vote('n1', true)",
        [
            "store.applyNote('updated', {...note, votes: 3})",  # my vote's echo
            "store.applyNote('updated', {...note, votes: 4})",  # someone's vote after it
        ],
        "store.notes.get('n1').votes",
        4,
        id="a vote (its count: votes do not move updatedAt)",
    ),
    pytest.param(
        "GroupNotes",
        {"groupNotes": {**GROUP, "noteIds": ["n1", "n2"]}},
        "store.groupNotes(['n1', 'n2'], {title: 'Both'})",
        ["store.applyGroup(group(['n1', 'n2']))", "store.applyGroup(group(['n1']))"],
        "store.notes.get('n2').groupId",
        None,
        id="a group (someone took a note out of it)",
    ),
    pytest.param(
        "UpdateNote",
        {"updateNote": EDITED},
        "store.editNote('n1', 'Edited')",
        [
            f"store.applyNote('updated', {json.dumps(EDITED)})",
            "store.applyGroup(group(['n1']))",  # someone grouped the edited note
        ],
        "[store.notes.get('n1').text, store.notes.get('n1').groupId]",
        ["Edited", "g1"],
        id="an edit (the note was grouped after it)",
    ),
    pytest.param(
        "UpdateBoard",
        {"updateBoard": BOARD},
        "store.updateBoard({title: 'Mine'})",
        [
            f"store.applyBoard({json.dumps(BOARD)})",
            f"store.applyBoard({json.dumps({**BOARD, 'title': 'Theirs', 'updatedAt': 't2'})})",
        ],
        "store.board.title",
        "Theirs",
        id="a board's title (renamed again in the owner's other tab)",
    ),
    pytest.param(
        "SetStage",
        {"setStage": VERSION},
        "store.setStage('DISCUSS')",
        [  # each moves the fake server's stage too: the reloads they ask for read it
            f"{ON_SERVER}'DISCUSS'; store.applyVersion({json.dumps(VERSION)}, 0)",
            f"{ON_SERVER}'WRITE'; store.applyVersion({json.dumps(MOVED_ON)}, 0)",
        ],
        "store.live.stage",
        "WRITE",
        id="a stage (the facilitator's other tab moved on)",
    ),
]


@pytest.mark.parametrize(("mutation", "answer", "act", "frames", "read", "shown"), LATE_ANSWERS)
def test_an_answer_that_arrives_after_newer_frames_does_not_undo_them(
    new_page: Any,
    mutation: str,
    answer: dict[str, Any],
    act: str,
    frames: list[str],
    read: str,
    shown: Any,
) -> None:
    page = new_page()
    script = (
        LATE_ANSWER.replace("(STORE)", f"({STORE})")
        .replace("ACT", act)
        .replace("FRAMES", "".join(f"{frame};\n    await tick();\n    " for frame in frames))
        .replace("READ", read)
    )
    value, stages = page.evaluate(
        script,
        {"meeting": REVEALED, "note": NOTE, "timer": None, "mutation": mutation, "answer": answer},
    )
    assert value == shown
    if mutation == "SetStage":
        assert stages == ["DISCUSS", "WRITE"]  # not DISCUSS again when the answer came


def test_my_edit_of_a_hidden_note_shows_when_its_echo_came_first(new_page: Any) -> None:
    # GIVEN texts hidden while writing, and my note: the server's answer and its echo carry no
    # text, my text is kept among my notes (participation.myNotes)
    page = new_page()
    shown = page.evaluate(
        """async ({meeting, note, timer}) => {
            const {store, api} = await (STORE)({meeting, note, timer});
            const page = structuredClone(await api.request());
            page.participation.myNoteIds = ['n1'];
            page.participation.myNotes = [{id: 'n1', column: 'GOOD', text: 'Before'}];
            store.participation = structuredClone(page.participation);
            const edited = {...note, text: null, updatedAt: '2026-01-01T10:01:00Z'};
            let release;
            api.request = async (query) => {
                if (!query.startsWith('mutation UpdateNote(')) return structuredClone(page);
                return new Promise((resolve) => {
                    release = () => resolve({updateNote: edited});
                });
            };
            const shown = [];
            store.addEventListener('change', () => shown.push(store.textOf(store.notes.get('n1'))));
            const editing = store.editNote('n1', 'After');
            store.applyNote('updated', edited);  // its echo, before the answer
            release();
            await editing;
            return shown;
        }""".replace("(STORE)", f"({STORE})"),
        {"meeting": WRITING, "note": {**NOTE, "text": None}, "timer": None},
    )
    assert shown[-1] == "After"  # the last render shows my new text, not the echo's old one


def test_a_version_chosen_after_another_stands_when_the_first_answers_late(
    new_page: Any,
) -> None:
    # GIVEN the person picks version 7, then the live one before version 7's notes arrived
    page = new_page()
    older = page.evaluate(
        """async (args) => {
            const {store, api} = await (STORE)(args);
            let release;
            api.request = () => new Promise((resolve) => {
                release = () => resolve({board: {id: 'b1', version: {id: 'v7', number: 7}}});
            });
            const choosing = store.showVersion(7);
            await store.showVersion(null);
            release();
            await choosing;
            return store.older;
        }""".replace("(STORE)", f"({STORE})"),
        {"meeting": REVEALED, "note": NOTE, "timer": None},
    )
    assert older is None  # the live version stays shown


def test_a_long_list_of_versions_read_again_is_not_read_twice(new_page: Any) -> None:
    # GIVEN a board page whose versions go on over a second page, loaded twice (a resync after
    # a reconnect) before the first load's second page came
    page = new_page()
    numbers = page.evaluate(
        """async (args) => {
            const {store, api} = await (STORE)(args);
            const page = structuredClone(await api.request());
            const version = (number) => ({...page.board.currentVersion, id: `v${number}`, number});
            page.board.versions = {items: [version(1)], nextToken: 'more'};
            const held = [];
            api.request = async (query) => {
                if (!query.startsWith('query MoreVersions(')) return structuredClone(page);
                return new Promise((resolve) => held.push(() => resolve({board: {id: 'b1',
                    versions: {items: [version(2)], nextToken: null}}})));
            };
            await store.load();
            await store.load();
            for (const release of held) release();
            await new Promise((resolve) => setTimeout(resolve, 0));
            return store.versions.map((v) => v.number);
        }""".replace("(STORE)", f"({STORE})"),
        {"meeting": REVEALED, "note": NOTE, "timer": None},
    )
    assert numbers == [1, 2]
