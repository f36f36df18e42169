// @ts-check
// The state of one open board and everything that changes it. Views read from it and listen
// for `change`; they never call the API themselves. Each change event says what changed
// (detail.what: "board" | "notes" | "participation" | "versions" | "view" | "status" |
// "meeting": the live version's stage or timer).
//
// Consistency: a full load replaces the state; live events that arrive while a load is in
// flight are kept and replayed on top of it, so a slow response cannot undo a newer event.
// Live events (frames) arrive in the order they were made; the answer to one's own write does
// not: a frame made after the write may come first. So an answer gives way to any frame about
// the same note, group, version or board that arrived after its request was sent: that frame
// is the write's own echo, or newer, or older with the echo still on its way behind it.

import { countdownFrom, now } from "./clock.js";
import { ApiError } from "./errors.js";
import * as ops from "./operations.js";

/**
 * @typedef {import("./operations.js").Note} Note
 * @typedef {import("./operations.js").NoteGroup} NoteGroup
 * @typedef {import("./operations.js").Version} Version
 * @typedef {import("./operations.js").VersionWithNotes} VersionWithNotes
 * @typedef {import("./operations.js").Participation} Participation
 * @typedef {import("./operations.js").Meeting} Meeting
 * @typedef {import("./operations.js").Settings} Settings
 * @typedef {import("./operations.js").Board & {currentVersion: Version & Meeting}} LiveBoard
 *   the board and its live version, with its meeting
 * @typedef {"board" | "notes" | "participation" | "versions" | "view" | "status" | "meeting"}
 *   Change
 */

/** @type {readonly import("./operations.js").Column[]} */
export const COLUMNS = ["GOOD", "BAD", "ACTION"];

export class BoardStore extends EventTarget {
  /** @type {"loading" | "ready" | "missing" | "deleted"} */
  status = "loading";
  /** @type {LiveBoard | null} */
  board = null;
  /** @type {Map<string, Note>} notes of the live version, in creation order */
  notes = new Map();
  /**
   * Groups of the live version by id. Which notes are in one is each note's `groupId` (kept
   * up to date by group and note events alike); a group no note names any more is gone.
   * @type {Map<string, NoteGroup>}
   */
  groups = new Map();
  /** @type {Version[]} */
  versions = [];
  /** @type {Participation | null} */
  participation = null;
  /**
   * The live version's timer as this device counts it (clock.js), or null.
   * @type {import("./clock.js").Countdown | null}
   */
  timer = null;
  /**
   * The version being looked at (with its notes) when it is not the live one, or null.
   * @type {VersionWithNotes | null}
   */
  older = null;
  /** @type {import("./api.js").Api} */
  #api;
  #loads = 0;
  /** Every read gets a number; an answer older than what is shown must not replace it. */
  #reads = 0;
  #loadApplied = 0;
  #participationFrom = 0;
  /** @type {(() => void)[]} live events kept while a load is in flight */
  #pending = [];
  /** @type {Set<string>} */
  #deleted = new Set();
  /** Live frames counted as they arrive; an answer remembers the count when it was sent. */
  #frames = 0;
  /** @type {Map<string, number>} per note, group, version or board: its last frame's count */
  #lastFrame = new Map();
  /** Bumped by each choice of the version shown: an earlier choice's answer gives way. */
  #choice = 0;

  /** @param {import("./api.js").Api} api @param {string} boardId */
  constructor(api, boardId) {
    super();
    this.#api = api;
    this.boardId = boardId;
  }

  // Reading ------------------------------------------------------------------------------

  /** @returns {LiveBoard["currentVersion"] | null} the live version, with its meeting */
  get live() {
    return this.board?.currentVersion ?? null;
  }

  get isOwner() {
    return Boolean(this.participation?.isOwner);
  }

  /** @param {string} column @returns {Note[]} */
  notesIn(column) {
    return [...this.notes.values()].filter((note) => note.column === column);
  }

  /** @param {string} noteId */
  isMine(noteId) {
    return Boolean(this.participation?.myNoteIds.includes(noteId));
  }

  /** @param {string} noteId @returns {number} the caller's votes on that note */
  myVotesOn(noteId) {
    return this.participation?.myVotes.find((v) => v.noteId === noteId)?.count ?? 0;
  }

  /**
   * @param {Note} note
   * @returns {string | null} its text as the caller may read it: while texts are hidden the
   *   server sends none, and the caller's own notes come from participation.myNotes alone
   */
  textOf(note) {
    return note.text ?? this.participation?.myNotes.find((n) => n.id === note.id)?.text ?? null;
  }

  // Loading ------------------------------------------------------------------------------

  /** Loads the live board and the caller's participation in one request. */
  async load() {
    this.#loads += 1;
    const sequence = ++this.#reads;
    try {
      const data = await this.#api.request(ops.BOARD_PAGE, { id: this.boardId }).catch((error) => {
        // No such board: `participation` is refused, `board` is null. Same meaning. (errors.js
        // decides what "no such board" is: NotFoundError, or an id that names nothing.)
        if (error instanceof ApiError && error.meaning === "notFound") return { board: null };
        throw error;
      });
      const receivedAt = now();
      // Two loads may overlap (first load, resubscribe); an older answer must not win.
      if (sequence > this.#loadApplied) {
        this.#loadApplied = sequence;
        this.#takeLoad(data, sequence, receivedAt);
      }
    } finally {
      this.#loads -= 1;
      if (this.#loads === 0) for (const replay of this.#pending.splice(0)) replay();
    }
    this.#emit(this.status === "ready" ? "board" : "status");
  }

  /**
   * @param {any} data the BOARD_PAGE answer
   * @param {number} sequence
   * @param {number} receivedAt now() when it arrived: the timer counts from there
   */
  #takeLoad(data, sequence, receivedAt) {
    // Deletion is final: a load sent before it must not bring the board back. And a board that
    // was open and now reads as missing was deleted, whichever came first, the load's answer
    // or onBoardDeleted; unless the server forgot this browser too (a local server restarted
    // without its data): then it forgot the board, and the page says that instead.
    if (this.status === "deleted") return;
    if (!data.board) {
      this.status = this.status === "ready" && !this.#api.forgotten ? "deleted" : "missing";
      return;
    }
    this.board = data.board;
    this.timer = countdownFrom(data.board.currentVersion.timer ?? null, receivedAt);
    /** @type {Note[]} */
    const notes = data.board.currentVersion.notes;
    this.notes = new Map(notes.map((note) => [note.id, note]));
    /** @type {NoteGroup[]} */
    const groups = data.board.currentVersion.groups ?? [];
    this.groups = new Map(groups.map((group) => [group.id, group]));
    this.#takeParticipation(data.participation, sequence);
    this.versions = data.board.versions.items;
    this.status = "ready";
    const next = data.board.versions.nextToken;
    if (next) this.#moreVersions(next, sequence);
  }

  async refreshParticipation() {
    const sequence = ++this.#reads;
    const data = await this.#api.request(ops.PARTICIPATION, { boardId: this.boardId });
    if (this.#takeParticipation(data.participation, sequence)) this.#emit("participation");
  }

  /**
   * E.g. a load sent before my vote must not undo the refresh sent after it.
   * @param {Participation} participation
   * @param {number} sequence
   * @returns {boolean} whether it was taken
   */
  #takeParticipation(participation, sequence) {
    if (sequence < this.#participationFrom) return false;
    this.#participationFrom = sequence;
    this.participation = participation;
    return true;
  }

  /**
   * @param {string} nextToken
   * @param {number} sequence the load whose list of versions this continues
   */
  async #moreVersions(nextToken, sequence) {
    const vars = { id: this.boardId, nextToken };
    const data = await this.#api.request(ops.MORE_VERSIONS, vars).catch(() => null);
    // A newer load started the list again (and reads its own next pages): not after it.
    if (!data?.board || sequence !== this.#loadApplied) return;
    this.versions = [...this.versions, ...data.board.versions.items];
    this.#emit("versions");
    const next = data.board.versions.nextToken;
    if (next) this.#moreVersions(next, sequence);
  }

  /**
   * Shows version `number`: the live one (null or its number) or a frozen one, read-only.
   * @param {number | null} number
   */
  async showVersion(number) {
    const choice = ++this.#choice;
    if (number === null || number === this.live?.number) {
      this.older = null;
    } else {
      const data = await this.#api.request(ops.VERSION_NOTES, { id: this.boardId, number });
      if (choice !== this.#choice) return; // another version was chosen meanwhile: it stands
      const version = data.board?.version;
      if (!version) throw new Error(`This board has no version ${number}.`);
      this.older = version;
    }
    this.#emit("view");
  }

  // Live events --------------------------------------------------------------------------

  /** @param {"added"|"updated"|"deleted"} kind @param {Note} note a live frame */
  applyNote(kind, note) {
    this.#framed([note.id]);
    this.#applyNote(kind, note, null);
  }

  /**
   * @param {"added"|"updated"|"deleted"} kind
   * @param {Note} note
   * @param {number | null} sent for my own answer, the frame count when it was sent
   */
  #applyNote(kind, note, sent) {
    if (this.#loads) {
      this.#pending.push(() => this.#applyNote(kind, note, sent));
      return;
    }
    if (!this.live || note.boardId !== this.boardId) return;
    // A deletion is final whatever came since; anything else gives way to a newer frame.
    if (kind !== "deleted" && this.#framedSince(sent, [note.id])) return;
    if (note.versionId !== this.live.id) {
      // A note of a version we don't know yet: a new version started; catch up.
      if (!this.versions.some((v) => v.id === note.versionId)) this.#background(this.load());
      return;
    }
    if (kind === "deleted") {
      this.#deleted.add(note.id);
      this.notes.delete(note.id);
      // Votes on a deleted note go back to their voters: mine too.
      if (this.myVotesOn(note.id) || this.isMine(note.id)) {
        this.#background(this.refreshParticipation());
      }
    } else if (!this.#deleted.has(note.id)) {
      const known = this.notes.get(note.id);
      if (known && known.updatedAt > note.updatedAt) return; // an older event arrived late
      const next = { ...known, ...note };
      // A null text or count means "hidden when this event was made", not "gone". Events and
      // answers are not ordered: one made before a reveal may arrive after it, and must not
      // hide again what the reveal showed. A newer change made while hidden is read again.
      if (known && known.updatedAt === note.updatedAt) {
        next.text = note.text ?? known.text;
        next.votes = note.votes ?? known.votes;
      }
      this.notes.set(note.id, next);
      const { textsHidden, votesHidden } = this.live;
      if ((next.text === null && !textsHidden) || (next.votes === null && !votesHidden)) {
        this.#background(this.load());
      }
    }
    this.#emit("notes");
  }

  /**
   * A group was made, added to, renamed or left (onGroupChanged, or my own answer): notes it
   * lists are in it, notes that were and are not listed left it; no notes, it is gone.
   * @param {NoteGroup} group a live frame
   */
  applyGroup(group) {
    this.#framed([group.id, ...group.noteIds, ...this.#membersOf(group.id)]);
    this.#applyGroup(group, null);
  }

  /** @param {NoteGroup} group @param {number | null} sent as #applyNote */
  #applyGroup(group, sent) {
    if (this.#loads) {
      this.#pending.push(() => this.#applyGroup(group, sent));
      return;
    }
    if (!this.live || group.boardId !== this.boardId) return;
    // The notes it lists and those it had: a frame that moved one of them is newer too.
    const touched = [group.id, ...group.noteIds, ...this.#membersOf(group.id)];
    if (this.#framedSince(sent, touched)) return;
    if (group.versionId !== this.live.id) {
      if (!this.versions.some((v) => v.id === group.versionId)) this.#background(this.load());
      return;
    }
    const members = new Set(group.noteIds);
    for (const [id, note] of this.notes) {
      if (members.has(id) && note.groupId !== group.id) {
        this.notes.set(id, { ...note, groupId: group.id });
      } else if (!members.has(id) && note.groupId === group.id) {
        this.notes.set(id, { ...note, groupId: null });
      }
    }
    if (members.size === 0) this.groups.delete(group.id);
    else this.groups.set(group.id, { ...this.groups.get(group.id), ...group });
    this.#emit("notes");
  }

  /** @param {string} groupId @returns {string[]} the notes in it as shown now */
  #membersOf(groupId) {
    return [...this.notes.values()].filter((n) => n.groupId === groupId).map((n) => n.id);
  }

  /** @param {import("./operations.js").BoardUpdate} board the onBoardUpdated payload */
  applyBoard(board) {
    this.#framed([board.id]);
    this.#applyBoard(board, null);
  }

  /**
   * @param {import("./operations.js").BoardUpdate} board
   * @param {number | null} sent as #applyNote
   */
  #applyBoard(board, sent) {
    if (this.#loads) {
      this.#pending.push(() => this.#applyBoard(board, sent));
      return;
    }
    if (!this.board || board.id !== this.boardId) return;
    if (this.#framedSince(sent, [board.id])) return;
    const live = this.board.currentVersion;
    if (board.currentVersion && board.currentVersion.id !== live.id) {
      this.#background(this.load());
      return;
    }
    const before = this.board.settings;
    const budgetChanged = board.settings?.voteBudget !== before.voteBudget;
    // Hiding texts or votes turned on or off changes what the board page carries.
    const hidingChanged =
      board.settings &&
      (board.settings.hideWhileWriting !== before.hideWhileWriting ||
        board.settings.secretBallot !== before.secretBallot);
    const { currentVersion, ...rest } = board;
    this.board = { ...this.board, ...rest };
    if (currentVersion) this.board.currentVersion = { ...live, ...currentVersion };
    if (hidingChanged) this.#background(this.load());
    else if (budgetChanged) this.#background(this.refreshParticipation());
    this.#emit("board");
  }

  /**
   * The live version's meeting changed (onVersionChanged, or the facilitator's own answer):
   * its stage and timer apply at once, and the board is loaded again, because a new stage
   * may reveal texts or vote counts that no event carries. The same state twice (my answer
   * and its echo) is taken once.
   * @param {import("./operations.js").VersionState} version a live frame
   * @param {number} receivedAt now() when it arrived: the timer counts from there
   */
  applyVersion(version, receivedAt) {
    this.#framed([version.id]);
    this.#applyVersion(version, receivedAt, null);
  }

  /**
   * @param {import("./operations.js").VersionState} version
   * @param {number} receivedAt
   * @param {number | null} sent as #applyNote
   */
  #applyVersion(version, receivedAt, sent) {
    if (this.#loads) {
      this.#pending.push(() => this.#applyVersion(version, receivedAt, sent));
      return;
    }
    const live = this.board?.currentVersion;
    if (!this.board || !live || version.boardId !== this.boardId) return;
    if (this.#framedSince(sent, [version.id])) return;
    if (version.id !== live.id) {
      if (!this.versions.some((v) => v.id === version.id)) this.#background(this.load());
      return;
    }
    if (meetingKey(version) === meetingKey(live)) return;
    const { stage, textsHidden, votesHidden, timer } = version;
    this.board = {
      ...this.board,
      currentVersion: { ...live, stage, textsHidden, votesHidden, timer },
    };
    this.timer = countdownFrom(timer, receivedAt);
    this.#emit("meeting");
    this.#background(this.load());
  }

  /** @param {string[]} ids what a frame that just arrived is about */
  #framed(ids) {
    this.#frames += 1;
    for (const id of ids) this.#lastFrame.set(id, this.#frames);
  }

  /**
   * @param {number | null} sent the frame count when an answer's request was sent; null: a frame
   * @param {string[]} ids what the answer is about
   * @returns {boolean} whether a frame about any of them arrived since: the answer gives way
   */
  #framedSince(sent, ids) {
    return sent !== null && ids.some((id) => (this.#lastFrame.get(id) ?? 0) > sent);
  }

  /** The board is gone (deleted by its owner). */
  markDeleted() {
    this.status = "deleted";
    this.#emit("status");
  }

  /**
   * Runs work nobody awaits; a failure becomes a `problem` event the app shows.
   * @param {Promise<unknown>} promise
   */
  #background(promise) {
    promise.catch((error) => {
      // The meaning too: an "unavailable" one goes away once the connection is live again.
      const { message, meaning } = error;
      this.dispatchEvent(new CustomEvent("problem", { detail: { message, meaning } }));
    });
  }

  /**
   * While texts are hidden the server's answer carries none, not even for the author: keep
   * the text it accepted among my notes (what participation.myNotes says once refetched), so
   * the author's card stays readable without waiting for that refetch.
   * @param {Note} note the answer
   * @param {string} text what I sent
   */
  #keepMyText(note, text) {
    const mine = this.participation;
    if (note.text !== null || !mine) return;
    const myNotes = mine.myNotes.filter((n) => n.id !== note.id);
    myNotes.push({ id: note.id, column: note.column, text });
    const known = mine.myNoteIds.includes(note.id);
    this.participation = {
      ...mine,
      myNotes,
      myNoteIds: known ? mine.myNoteIds : [...mine.myNoteIds, note.id],
    };
    // Shown now: the answer itself may give way to its echo, already shown with the old text.
    this.#emit("participation");
  }

  /** @param {Change} what */
  #emit(what) {
    this.dispatchEvent(new CustomEvent("change", { detail: { what } }));
  }

  // Actions ------------------------------------------------------------------------------
  // Each applies the server's answer at once (the subscription echo is idempotent) and then
  // refetches the caller-dependent part, which only `participation` carries. Each write
  // carries a fresh clientRequestId: the API sends it again with the same one after an
  // ambiguous answer, and the server does it once (a vote is never spent twice).

  /** @param {import("./operations.js").Column} column @param {string} text */
  async addNote(column, text) {
    const input = { boardId: this.boardId, column, text, clientRequestId: crypto.randomUUID() };
    const sent = this.#frames;
    const data = await this.#api.request(ops.ADD_NOTE, { input });
    this.#keepMyText(data.addNote, text);
    this.#applyNote("added", data.addNote, sent);
    await this.refreshParticipation();
  }

  /** @param {string} id @param {string} text */
  async editNote(id, text) {
    const input = { boardId: this.boardId, id, text, clientRequestId: crypto.randomUUID() };
    const sent = this.#frames;
    const data = await this.#api.request(ops.UPDATE_NOTE, { input });
    this.#keepMyText(data.updateNote, text);
    this.#applyNote("updated", data.updateNote, sent);
  }

  /**
   * Author only: moves a note of the live version to another column.
   * @param {string} id @param {import("./operations.js").Column} column
   */
  async moveNote(id, column) {
    const input = { boardId: this.boardId, id, column, clientRequestId: crypto.randomUUID() };
    const sent = this.#frames;
    const data = await this.#api.request(ops.UPDATE_NOTE, { input });
    this.#applyNote("updated", data.updateNote, sent);
    // participation.myNotes says which column each of my notes is in.
    await this.refreshParticipation();
  }

  /** @param {string} id */
  async deleteNote(id) {
    const vars = { boardId: this.boardId, id, clientRequestId: crypto.randomUUID() };
    const sent = this.#frames;
    const data = await this.#api.request(ops.DELETE_NOTE, vars);
    // applyNote refetches participation: the note was mine and may carry my votes.
    this.#applyNote("deleted", data.deleteNote, sent);
  }

  /** @param {string} noteId @param {boolean} up a vote, or taking one back */
  async vote(noteId, up) {
    const query = up ? ops.VOTE : ops.UNVOTE;
    const vars = { boardId: this.boardId, noteId, clientRequestId: crypto.randomUUID() };
    const sent = this.#frames;
    const data = await this.#api.request(query, vars);
    // null in a secret ballot (the answer would tell every subscriber which note got a vote)
    const note = up ? data.vote : data.unvote;
    // Votes do not move updatedAt: only the frames' order tells which count is newer.
    if (note) this.#applyNote("updated", note, sent);
    await this.refreshParticipation();
  }

  /**
   * Anyone on the board: ticks an action off (or opens it again), or names who takes it.
   * @param {string} id an ACTION note of the live version
   * @param {{done?: boolean, who?: string}} changes who: "" clears it
   */
  async updateAction(id, changes) {
    const input = { boardId: this.boardId, id, ...changes, clientRequestId: crypto.randomUUID() };
    const sent = this.#frames;
    const data = await this.#api.request(ops.UPDATE_ACTION, { input });
    this.#applyNote("updated", data.updateAction, sent);
  }

  /**
   * Anyone on the board: gathers notes of one column into a new group (`title`) or into an
   * existing one (`groupId`).
   * @param {string[]} noteIds
   * @param {{title: string} | {groupId: string}} into
   */
  async groupNotes(noteIds, into) {
    const input = { boardId: this.boardId, noteIds, ...into, clientRequestId: crypto.randomUUID() };
    const sent = this.#frames;
    const data = await this.#api.request(ops.GROUP_NOTES, { input });
    this.#applyGroup(data.groupNotes, sent);
  }

  /** @param {string} id @param {string} title */
  async renameGroup(id, title) {
    const input = { boardId: this.boardId, id, title, clientRequestId: crypto.randomUUID() };
    const sent = this.#frames;
    const data = await this.#api.request(ops.RENAME_GROUP, { input });
    this.#applyGroup(data.renameGroup, sent);
  }

  /** @param {string} noteId takes it out of its group */
  async ungroupNote(noteId) {
    const input = { boardId: this.boardId, noteId, clientRequestId: crypto.randomUUID() };
    const sent = this.#frames;
    const data = await this.#api.request(ops.UNGROUP_NOTE, { input });
    this.#applyGroup(data.ungroupNote, sent);
  }

  /** @returns {Promise<import("./operations.js").VersionTrend[]>} every version, oldest first */
  async trend() {
    const data = await this.#api.request(ops.TREND, { boardId: this.boardId });
    if (!data.trend) throw new Error("This board doesn't exist any more.");
    return data.trend.versions;
  }

  /**
   * Owner only.
   * @param {{title?: string} & Partial<Settings>} changes
   */
  async updateBoard({ title, ...settings }) {
    /** @type {{id: string, title?: string, settings?: Partial<Settings>}} */
    const input = { id: this.boardId, title };
    if (Object.keys(settings).length) input.settings = settings;
    const keyed = { ...input, clientRequestId: crypto.randomUUID() };
    const sent = this.#frames;
    const data = await this.#api.request(ops.UPDATE_BOARD, { input: keyed });
    this.#applyBoard(data.updateBoard, sent);
  }

  /**
   * Owner only: freezes the live version and starts the next.
   * @param {string} title may be empty: the version is then unnamed
   */
  async startNewVersion(title) {
    const input = {
      boardId: this.boardId,
      title: title || null,
      clientRequestId: crypto.randomUUID(),
      // The version this click closes: a second click (or a second facilitator) naming the
      // same version gets the one already started instead of skipping a retro.
      fromVersion: this.board?.currentVersion.number ?? null,
    };
    await this.#api.request(ops.START_NEW_VERSION, { input });
    this.#choice += 1; // the new live version is shown, whatever was chosen meanwhile
    this.older = null;
    await this.load();
  }

  // The facilitator's controls (owner only): each answers the live version's meeting.

  /** @param {import("./operations.js").Stage} stage */
  async setStage(stage) {
    const input = { boardId: this.boardId, stage, clientRequestId: crypto.randomUUID() };
    await this.#facilitate(ops.SET_STAGE, { input }, "setStage");
  }

  /** @param {number} seconds @param {boolean} advance move on to the next stage at the end */
  async startTimer(seconds, advance) {
    const input = { boardId: this.boardId, seconds, advance, clientRequestId: crypto.randomUUID() };
    await this.#facilitate(ops.START_TIMER, { input }, "startTimer");
  }

  /** @param {number} seconds added to the running timer */
  async extendTimer(seconds) {
    const vars = { boardId: this.boardId, seconds, clientRequestId: crypto.randomUUID() };
    await this.#facilitate(ops.EXTEND_TIMER, vars, "extendTimer");
  }

  async stopTimer() {
    const vars = { boardId: this.boardId, clientRequestId: crypto.randomUUID() };
    await this.#facilitate(ops.STOP_TIMER, vars, "stopTimer");
  }

  /**
   * @param {string} query
   * @param {Record<string, unknown>} variables
   * @param {string} field the mutation's name, where its answer is
   */
  async #facilitate(query, variables, field) {
    const sent = this.#frames;
    const data = await this.#api.request(query, variables);
    this.#applyVersion(data[field], now(), sent);
  }

  /** Owner only. */
  async deleteBoard() {
    await this.#api.request(ops.DELETE_BOARD, { id: this.boardId });
    this.markDeleted();
  }

  /**
   * @param {number} number
   * @param {"MARKDOWN" | "CSV" | "JSON"} format
   * @returns {Promise<{title: string, number: number, text: string}>}
   */
  async exportVersion(number, format) {
    const vars = { id: this.boardId, number, format };
    const data = await this.#api.request(ops.EXPORT_VERSION, vars);
    const version = data.board?.version;
    if (!version) throw new Error(`This board has no version ${number}.`);
    return { title: data.board.title, number, text: version.export };
  }
}

/**
 * @param {Meeting} meeting
 * @returns {string} equal for two answers that show the same meeting
 */
function meetingKey({ stage, textsHidden, votesHidden, timer }) {
  const clock = timer
    ? [timer.endsAt, timer.durationSeconds, timer.advances, timer.running, timer.ended]
    : [];
  return JSON.stringify([stage, textsHidden, votesHidden, ...clock]);
}
