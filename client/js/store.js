// @ts-check
// The state of one open board and everything that changes it. Views read from it and listen
// for `change`; they never call the API themselves. Each change event says what changed
// (detail.what: "board" | "notes" | "participation" | "versions" | "view" | "status").
//
// Consistency: a full load replaces the state; live events that arrive while a load is in
// flight are kept and replayed on top of it, so a slow response cannot undo a newer event.

import { ApiError } from "./errors.js";
import * as ops from "./operations.js";

/**
 * @typedef {import("./operations.js").Note} Note
 * @typedef {import("./operations.js").Version} Version
 * @typedef {import("./operations.js").VersionWithNotes} VersionWithNotes
 * @typedef {import("./operations.js").Participation} Participation
 * @typedef {import("./operations.js").Board & {currentVersion: Version}} LiveBoard the board
 *   and its live version
 * @typedef {"board" | "notes" | "participation" | "versions" | "view" | "status"} Change
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
  /** @type {Version[]} */
  versions = [];
  /** @type {Participation | null} */
  participation = null;
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

  /** @param {import("./api.js").Api} api @param {string} boardId */
  constructor(api, boardId) {
    super();
    this.#api = api;
    this.boardId = boardId;
  }

  // Reading ------------------------------------------------------------------------------

  /** @returns {Version | null} */
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
      // Two loads may overlap (first load, resubscribe); an older answer must not win.
      if (sequence > this.#loadApplied) {
        this.#loadApplied = sequence;
        this.#takeLoad(data, sequence);
      }
    } finally {
      this.#loads -= 1;
      if (this.#loads === 0) for (const replay of this.#pending.splice(0)) replay();
    }
    this.#emit(this.status === "ready" ? "board" : "status");
  }

  /** @param {any} data the BOARD_PAGE answer @param {number} sequence */
  #takeLoad(data, sequence) {
    if (!data.board) {
      this.status = "missing";
      return;
    }
    this.board = data.board;
    /** @type {Note[]} */
    const notes = data.board.currentVersion.notes;
    this.notes = new Map(notes.map((note) => [note.id, note]));
    this.#takeParticipation(data.participation, sequence);
    this.versions = data.board.versions.items;
    this.status = "ready";
    if (data.board.versions.nextToken) this.#moreVersions(data.board.versions.nextToken);
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

  /** @param {string} nextToken */
  async #moreVersions(nextToken) {
    const vars = { id: this.boardId, nextToken };
    const data = await this.#api.request(ops.MORE_VERSIONS, vars).catch(() => null);
    if (!data?.board) return;
    this.versions = [...this.versions, ...data.board.versions.items];
    this.#emit("versions");
    if (data.board.versions.nextToken) this.#moreVersions(data.board.versions.nextToken);
  }

  /**
   * Shows version `number`: the live one (null or its number) or a frozen one, read-only.
   * @param {number | null} number
   */
  async showVersion(number) {
    if (number === null || number === this.live?.number) {
      this.older = null;
    } else {
      const data = await this.#api.request(ops.VERSION_NOTES, { id: this.boardId, number });
      const version = data.board?.version;
      if (!version) throw new Error(`This board has no version ${number}.`);
      this.older = version;
    }
    this.#emit("view");
  }

  // Live events --------------------------------------------------------------------------

  /** @param {"added"|"updated"|"deleted"} kind @param {Note} note */
  applyNote(kind, note) {
    if (this.#loads) {
      this.#pending.push(() => this.applyNote(kind, note));
      return;
    }
    if (!this.live || note.boardId !== this.boardId) return;
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
      this.notes.set(note.id, { ...known, ...note });
    }
    this.#emit("notes");
  }

  /** @param {import("./operations.js").BoardUpdate} board the onBoardUpdated payload */
  applyBoard(board) {
    if (this.#loads) {
      this.#pending.push(() => this.applyBoard(board));
      return;
    }
    if (!this.board || board.id !== this.boardId) return;
    const live = this.board.currentVersion;
    if (board.currentVersion && board.currentVersion.id !== live.id) {
      this.#background(this.load());
      return;
    }
    const budgetChanged = board.settings?.voteBudget !== this.board.settings.voteBudget;
    const { currentVersion, ...rest } = board;
    this.board = { ...this.board, ...rest };
    if (currentVersion) this.board.currentVersion = { ...live, ...currentVersion };
    if (budgetChanged) this.#background(this.refreshParticipation());
    this.#emit("board");
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
      this.dispatchEvent(new CustomEvent("problem", { detail: { message: error.message } }));
    });
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
    const data = await this.#api.request(ops.ADD_NOTE, { input });
    this.applyNote("added", data.addNote);
    await this.refreshParticipation();
  }

  /** @param {string} id @param {string} text */
  async editNote(id, text) {
    const input = { boardId: this.boardId, id, text, clientRequestId: crypto.randomUUID() };
    const data = await this.#api.request(ops.UPDATE_NOTE, { input });
    this.applyNote("updated", data.updateNote);
  }

  /** @param {string} id */
  async deleteNote(id) {
    const vars = { boardId: this.boardId, id, clientRequestId: crypto.randomUUID() };
    const data = await this.#api.request(ops.DELETE_NOTE, vars);
    // applyNote refetches participation: the note was mine and may carry my votes.
    this.applyNote("deleted", data.deleteNote);
  }

  /** @param {string} noteId @param {boolean} up a vote, or taking one back */
  async vote(noteId, up) {
    const query = up ? ops.VOTE : ops.UNVOTE;
    const vars = { boardId: this.boardId, noteId, clientRequestId: crypto.randomUUID() };
    const data = await this.#api.request(query, vars);
    this.applyNote("updated", up ? data.vote : data.unvote);
    await this.refreshParticipation();
  }

  /** Owner only. @param {{title?: string, voteBudget?: number}} changes */
  async updateBoard({ title, voteBudget }) {
    /** @type {{id: string, title?: string, settings?: {voteBudget: number}}} */
    const input = { id: this.boardId, title };
    if (voteBudget !== undefined) input.settings = { voteBudget };
    const keyed = { ...input, clientRequestId: crypto.randomUUID() };
    const data = await this.#api.request(ops.UPDATE_BOARD, { input: keyed });
    this.applyBoard(data.updateBoard);
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
    };
    await this.#api.request(ops.START_NEW_VERSION, { input });
    this.older = null;
    await this.load();
  }

  /** Owner only. */
  async deleteBoard() {
    await this.#api.request(ops.DELETE_BOARD, { id: this.boardId });
    this.markDeleted();
  }

  /**
   * @param {number} number
   * @param {"MARKDOWN" | "CSV"} format
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
