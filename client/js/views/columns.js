// @ts-check
// The three columns: a composer at the top of each (Enter adds the note) and the notes below,
// reconciled by id so that cards are never rebuilt while someone is typing or editing. The
// meeting's stage decides what is open: a closed composer says why, and while texts are
// hidden each column counts the face-down notes ("3 notes being written").

import { h, hookIfAny } from "../dom.js";
import { MAX_NOTE_TEXT } from "../limits.js";
import { announce, showError } from "../notify.js";
import { STAGES, canVote, canWrite } from "../stages.js";
import { COLUMNS } from "../store.js";
import { updateAction } from "./actions.js";
import { dropTarget } from "./drag.js";
import { createGroups, placeInOrder } from "./groups.js";
import { COLUMN_NAMES } from "./move.js";
import { createCard, focusMove, updateCard } from "./note.js";

/**
 * @typedef {import("../operations.js").Column} Column
 * @typedef {import("../operations.js").Note} Note
 * @typedef {import("./note.js").Card} Card
 */

/** @type {Record<Column, {name: string, prompt: string}>} */
const META = {
  GOOD: { name: "Good", prompt: "What went well?" },
  BAD: { name: "Bad", prompt: "What didn't go so well?" },
  ACTION: { name: "Actions", prompt: "What will we do next?" },
};

const SORT_KEY = "retro.sort";

/**
 * @param {import("../store.js").BoardStore} store
 * @param {(column: Column) => void} [reveal] brings a column on screen (a phone shows one)
 * @returns {{element: HTMLElement, render: () => void, sortToggle: HTMLElement,
 *   moveTarget: (column: Column) => import("./drag.js").Target}}
 */
export function createColumns(store, reveal = () => {}) {
  /** @type {import("./note.js").Actions} */
  const actions = {
    onVote: (note) => store.vote(note.id, true).catch(showError),
    onUnvote: (note) => store.vote(note.id, false).catch(showError),
    onSave: (note, text) => store.editNote(note.id, text),
    onDelete: (note) => {
      const composer = hookIfAny(element, `composer-${note.column}`);
      store.deleteNote(note.id).then(() => composer?.focus(), showError);
    },
    onMove: (note, column) => {
      store.moveNote(note.id, column).then(() => {
        // The card now stands in the other column: its "Move to…" keeps the focus. On a
        // phone that column is another tab: it is shown, or the note would vanish from view
        // and the focus drop to the page's top.
        reveal(column);
        const card = cards.get(`${note.versionId}:${note.id}`);
        if (card) focusMove(card);
        announce(`Moved to ${COLUMN_NAMES[column]}.`);
      }, showError);
    },
  };
  const columns = COLUMNS.map((column) => createColumn(column, store));
  /**
   * A drop target that moves the dragged note to `column`, if its author may move it there.
   * @param {Column} column
   * @returns {import("./drag.js").Target}
   */
  const moveTarget = (column) => ({
    accepts: (note) => movesTo(note).includes(column),
    onDrop: (note) => actions.onMove(note, column),
  });
  for (const { column, element: target } of columns) dropTarget(target, moveTarget(column));
  /**
   * The columns the caller may move a note of the live version to now: its author, where the
   * stage lets notes be written both in the column it leaves and in the one it goes to.
   * @param {Note} note
   * @returns {Column[]}
   */
  const movesTo = (note) => {
    const stage = store.live?.stage ?? "FREE";
    if (store.older || !store.isMine(note.id) || !canWrite(stage, note.column)) return [];
    return COLUMNS.filter((c) => c !== note.column && canWrite(stage, c));
  };
  const element = h("div", { class: "columns" }, ...columns.map((c) => c.element));
  /** @type {Map<string, Card>} cards by version and note id */
  const cards = new Map();
  const groups = createGroups(store);

  // Discussion order: most votes first. A preference of this browser, not of the board.
  const sortToggle = h("button", {
    type: "button",
    class: "button button--small",
    "aria-pressed": String(localStorage.getItem(SORT_KEY) === "votes"),
    textContent: "Most votes first",
  });
  sortToggle.addEventListener("click", () => {
    const byVotes = sortToggle.getAttribute("aria-pressed") !== "true";
    sortToggle.setAttribute("aria-pressed", String(byVotes));
    localStorage.setItem(SORT_KEY, byVotes ? "votes" : "written");
    render();
  });

  const render = () => {
    const { older } = store;
    const readOnly = older !== null;
    const written = readOnly ? older.notes : [...store.notes.values()];
    const byVotes = sortToggle.getAttribute("aria-pressed") === "true";
    // Array.prototype.sort is stable: equal votes keep the order they were written in.
    // (A secret ballot sends no counts: the order is then the order of writing.)
    const notes = byVotes
      ? [...written].sort((a, b) => (b.votes ?? 0) - (a.votes ?? 0))
      : written;
    // Reordering moves cards; whoever had focus in one (e.g. voting by keyboard) keeps it.
    const focused = /** @type {HTMLElement | null} */ (document.activeElement);
    const votesLeft = store.participation?.votesLeft ?? 0;
    const stage = store.live?.stage ?? "FREE";
    const voting = !readOnly && canVote(stage);
    /** @type {import("./groups.js").View} */
    const grouping = {
      groups: readOnly ? new Map(older.groups.map((g) => [g.id, g])) : store.groups,
      readOnly,
      byVotes,
      // The server refuses grouping while texts are hidden: nobody could read what they group.
      canGroup: !readOnly && !store.live?.textsHidden,
      showVotes: readOnly || stage !== "WRITE",
    };
    /** @type {Set<string>} */
    const wanted = new Set();
    /** @type {HTMLElement | null} a closed column's message, for the focus its composer had */
    let closedUnder = null;
    for (const { column, list, count, unit, composer, input, closed, hidden } of columns) {
      const open = !readOnly && canWrite(stage, column);
      composer.hidden = !open;
      closed.hidden = readOnly || open;
      // The facilitator moved on while this person was writing here: their words stay in the
      // hidden composer (back when writing opens again), and are shown here meanwhile instead
      // of vanishing without a word.
      const draft = input.value.trim();
      closed.replaceChildren(`Writing here is closed in the ${STAGES[stage].name} step.`);
      if (draft) {
        closed.append(
          h("span", {
            class: "composer-draft",
            dataset: { retro: "draft" },
            textContent: ` Your unsent note, kept for when writing opens again: “${draft}”`,
          }),
        );
      }
      if (!open && focused && composer.contains(focused)) closedUnder = closed;
      const inColumn = notes.filter((note) => note.column === column);
      count.textContent = String(inColumn.length);
      unit.textContent = inColumn.length === 1 ? " note" : " notes";
      const texts = inColumn.map((note) => (readOnly ? note.text : store.textOf(note)));
      const faceDown = texts.filter((text) => text === null).length;
      hidden.hidden = faceDown === 0;
      const noun = faceDown === 1 ? "note" : "notes";
      // Actions carried from the last retro are face up (their frozen source shows them); one
      // touched since (a who, an edit, a tick) is face down until the reveal, counted apart.
      const carried = inColumn.filter((note, i) => texts[i] === null && note.carriedCount > 0);
      hidden.textContent = readOnly
        ? `${faceDown} hidden ${noun}`
        : hiddenCount(faceDown - carried.length, carried.length);
      const ordered = inColumn.map((note, index) => {
        const key = `${note.versionId}:${note.id}`;
        wanted.add(key);
        let card = cards.get(key);
        if (!card) {
          card = createCard(note, actions);
          cards.set(key, card);
        }
        const mine = !readOnly && store.isMine(note.id);
        updateCard(card, note, {
          readOnly,
          mine,
          text: texts[index],
          myVotes: readOnly ? 0 : store.myVotesOn(note.id),
          votesLeft,
          // Nobody votes while writing: no counts to look at yet.
          showVotes: readOnly || stage !== "WRITE",
          canVote: voting,
          canEdit: mine && open,
          // The owner moderates: any note of the live version, without learning whose it is.
          canDelete: !readOnly && (mine || (store.isOwner && texts[index] !== null)),
          moveTo: readOnly ? [] : movesTo(note),
        });
        updateAction(card, note, { store, readOnly });
        return card;
      });
      placeInOrder(list, groups.arrange(ordered, grouping));
      list.dataset.empty = inColumn.length === 0 ? "yes" : "";
    }
    for (const [key, card] of cards) {
      if (!wanted.has(key)) {
        card.remove();
        cards.delete(key);
      }
    }
    groups.sweep();
    if (focused?.isConnected && document.activeElement !== focused) {
      focused.focus({ preventScroll: true });
    }
    // Not dropped to the page's top: the focus goes to what says why the composer went.
    closedUnder?.focus({ preventScroll: true });
  };
  return { element, render, sortToggle, moveTarget };
}

/**
 * @param {Column} column
 * @param {import("../store.js").BoardStore} store
 */
function createColumn(column, store) {
  const { name, prompt } = META[column];
  const headingId = `col-${column.toLowerCase()}`;
  const inputId = `compose-${column.toLowerCase()}`;
  const count = h("span", { class: "col-count" });
  // Read with the count by screen readers ("1 note"), as the phone's tabs say it.
  const unit = h("span", { class: "sr-only" }, " notes");
  const input = h("textarea", {
    id: inputId,
    class: "composer-input",
    rows: 2,
    maxLength: MAX_NOTE_TEXT,
    placeholder: `${prompt} Press Enter to add.`,
    dataset: { retro: `composer-${column}` },
    "aria-describedby": `${inputId}-hint`,
  });
  const composer = h(
    "form",
    { class: "composer" },
    h("label", { for: inputId, class: "sr-only" }, `New note in ${name}`),
    input,
    h(
      "div",
      { class: "composer-row" },
      h("p", { id: `${inputId}-hint`, class: "composer-hint" }, "Shift+Enter for a new line"),
      // Enter is the fast way; the button is the obvious one (and the one on touch screens).
      h("button", {
        type: "submit",
        class: "button button--small composer-add",
        textContent: "Add",
        "aria-label": `Add note to ${name}`,
      }),
    ),
  );
  const closed = h("p", { class: "composer-closed", tabIndex: -1, hidden: true });
  const hidden = h("p", { class: "col-hidden", dataset: { retro: "hidden-count" }, hidden: true });
  const list = h("ol", { class: "notes", "aria-labelledby": headingId, dataset: { empty: "yes" } });
  const element = h(
    "section",
    { class: `column column--${column.toLowerCase()}`, "aria-labelledby": headingId },
    h(
      "header",
      { class: "col-head" },
      h("h2", { id: headingId }, name),
      h("p", { class: "col-total" }, count, unit),
    ),
    composer,
    closed,
    hidden,
    list,
  );

  const submit = async () => {
    const text = input.value.trim();
    if (!text) return;
    // Clear at once so the next thought can be typed; put the text back if it is refused.
    input.value = "";
    try {
      await store.addNote(column, text);
    } catch (error) {
      if (!input.value) input.value = text;
      showError(error);
    }
  };
  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  return { column, element, list, count, unit, composer, input, closed, hidden };
}

/**
 * What a column says of its face-down cards while texts are hidden.
 * @param {number} writing new notes of others
 * @param {number} carried open actions carried from the last retro
 */
function hiddenCount(writing, carried) {
  const parts = [];
  if (writing) parts.push(`${writing} ${writing === 1 ? "note" : "notes"} being written`);
  if (carried) {
    const actions = carried === 1 ? "action" : "actions";
    parts.push(`${carried} carried ${actions}, face down until the reveal`);
  }
  return parts.join("; ");
}
