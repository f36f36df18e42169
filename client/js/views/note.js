// @ts-check
// One note card: its text, the votes on it, and (for its author) edit and delete; the board's
// owner may delete any note (moderation). Cards are created once and updated in place, so a
// card being edited keeps its focus and its draft while other people's changes stream in.
// While texts are hidden, other people's notes are face-down cards: the server sent no text.
// The same card turns over when the text arrives.

import { h, hook, hookIfAny } from "../dom.js";
import { MAX_NOTE_TEXT } from "../limits.js";
import { showError } from "../notify.js";
import { makeDraggable } from "./drag.js";
import { createMoveMenu } from "./move.js";

const CONFIRM_MS = 4000;

/** @type {WeakMap<HTMLElement, import("./move.js").MoveMenu>} each card's "Move to…" */
const moveMenus = new WeakMap();

/**
 * Gives the focus back to a card's "Move to…" after its move re-placed it in another column.
 * @param {HTMLElement} card
 */
export function focusMove(card) {
  moveMenus.get(card)?.focus();
}

/**
 * @typedef {import("../operations.js").Note} Note
 * @typedef {HTMLLIElement & {note: Note, text: string | null, editing?: boolean,
 *   unsaved?: string}} Card a card remembers the note it shows, the text it shows (null: face
 *   down), whether its author is editing it, and an edit that writing closed before it was
 *   saved (shown on the card, and the editor's text when its author edits again)
 * @typedef {{readOnly: boolean, mine: boolean, text: string | null, myVotes: number,
 *   votesLeft: number, showVotes: boolean, canVote: boolean, canEdit: boolean,
 *   canDelete: boolean, moveTo: readonly Column[]}} CardState what the card shows and offers
 *   (readOnly: a frozen version; moveTo: the columns its author may move it to now)
 * @typedef {{onVote: (note: Note) => void, onUnvote: (note: Note) => void,
 *   onSave: (note: Note, text: string) => Promise<void>, onDelete: (note: Note) => void,
 *   onMove: (note: Note, column: Column) => void}} Actions
 * @typedef {import("../operations.js").Column} Column
 */

/**
 * @param {Note} note
 * @param {Actions} actions
 * @returns {Card}
 */
export function createCard(note, actions) {
  const textId = `note-${note.id}`;
  const described = { "aria-describedby": textId };
  const element = h(
    "li",
    { class: "note", dataset: { noteId: note.id } },
    h("p", { class: "note-text", id: textId, dataset: { retro: "text" } }),
    h("p", { class: "note-unsaved", dataset: { retro: "unsaved" }, hidden: true }),
    h(
      "div",
      { class: "note-foot", dataset: { retro: "foot" } },
      h(
        "div",
        { class: "votes", role: "group", "aria-label": "Votes", dataset: { retro: "votes" } },
        h("button", {
          type: "button",
          class: "vote-btn",
          dataset: { retro: "unvote" },
          "aria-label": "Take back a vote",
          textContent: "−",
          ...described,
        }),
        h("span", { class: "vote-count", dataset: { retro: "count" } }),
        h("span", { class: "vote-unit", dataset: { retro: "unit" } }),
        h("button", {
          type: "button",
          class: "vote-btn vote-btn--up",
          dataset: { retro: "vote" },
          "aria-label": "Vote for this note",
          textContent: "+",
          ...described,
        }),
      ),
      h("span", { class: "my-votes", dataset: { retro: "my-votes" } }),
      h("span", { class: "mine-badge", dataset: { retro: "mine" }, textContent: "You wrote this" }),
      h(
        "div",
        { class: "note-actions", dataset: { retro: "own" } },
        h("button", {
          type: "button",
          class: "link-btn",
          dataset: { retro: "edit" },
          textContent: "Edit",
          ...described,
        }),
        h("button", {
          type: "button",
          class: "link-btn link-btn--danger",
          dataset: { retro: "delete" },
          textContent: "Delete",
          ...described,
        }),
      ),
    ),
  );
  /** @type {Card} */
  const card = Object.assign(element, { note, text: "" }); // updateCard fills in the rest
  const move = createMoveMenu((column) => actions.onMove(card.note, column), described);
  moveMenus.set(card, move);
  hook(card, "edit").after(move.element);
  makeDraggable(card, () => card.note);
  hook(card, "vote").addEventListener("click", () => actions.onVote(card.note));
  hook(card, "unvote").addEventListener("click", () => actions.onUnvote(card.note));
  hook(card, "edit").addEventListener("click", () => startEditing(card, actions));
  const remove = hook(card, "delete");
  remove.addEventListener("click", () => {
    if (remove.dataset.confirming) {
      actions.onDelete(card.note);
      return;
    }
    // Two steps instead of a modal: a slip of the finger does not lose a note.
    remove.dataset.confirming = "yes";
    remove.textContent = "Really delete?";
    setTimeout(() => {
      delete remove.dataset.confirming;
      remove.textContent = "Delete";
    }, CONFIRM_MS);
  });
  return card;
}

/**
 * Brings a card up to date.
 * @param {Card} card
 * @param {Note} note
 * @param {CardState} state
 */
export function updateCard(card, note, state) {
  const { readOnly, mine, text, myVotes, votesLeft, showVotes, canVote, canEdit } = state;
  const wasFaceDown = card.text === null;
  card.note = note;
  card.text = text;
  const faceDown = text === null;
  card.classList.toggle("note--face-down", faceDown);
  // A face-down card says nothing a screen reader should read out one by one: the column's
  // "3 notes being written" says it once.
  if (faceDown) card.setAttribute("aria-hidden", "true");
  else card.removeAttribute("aria-hidden");
  if (wasFaceDown && !faceDown) turnOver(card);
  card.classList.toggle("note--mine", mine && !readOnly);
  if (!canEdit && card.editing) {
    // Writing closed under the author's fingers (the facilitator moved on): the words they
    // were changing are kept and shown, not dropped with the editor.
    const edited = hookIfAny(card, "editor")?.querySelector("textarea")?.value.trim() ?? "";
    stopEditing(card);
    if (edited && edited !== text) card.unsaved = edited;
  }
  if (faceDown || readOnly) card.unsaved = undefined;
  const unsaved = hook(card, "unsaved");
  unsaved.hidden = !card.unsaved || Boolean(card.editing);
  unsaved.textContent = card.unsaved
    ? `Your edit was not saved before writing closed; your next Edit starts from it: ` +
      `“${card.unsaved}”`
    : "";
  if (!card.editing) hook(card, "text").textContent = text ?? "";
  hook(card, "foot").hidden = faceDown;
  const count = hook(card, "count");
  const secret = note.votes === null;
  count.textContent = secret ? "?" : String(note.votes);
  // "3 votes" for everyone: the unit is visible on read-only cards, screen-reader only here.
  hook(card, "unit").textContent = secret
    ? " votes: secret until Discuss"
    : note.votes === 1
      ? " vote"
      : " votes";
  hook(card, "votes").hidden = !showVotes;
  const vote = /** @type {HTMLButtonElement} */ (hook(card, "vote"));
  const unvote = /** @type {HTMLButtonElement} */ (hook(card, "unvote"));
  vote.hidden = !canVote;
  unvote.hidden = !canVote;
  vote.disabled = votesLeft <= 0;
  vote.title = votesLeft <= 0 ? "No votes left" : "Vote for this note";
  unvote.disabled = myVotes <= 0;
  const mineVotes = hook(card, "my-votes");
  mineVotes.hidden = readOnly || !showVotes || myVotes === 0;
  mineVotes.replaceChildren(
    h("span", { "aria-hidden": "true" }, `${"●".repeat(Math.min(myVotes, 10))} yours`),
    h("span", { class: "sr-only" }, `${myVotes} of them yours`),
  );
  hook(card, "edit").hidden = !canEdit;
  hook(card, "delete").hidden = !state.canDelete;
  moveMenus.get(card)?.update(state.moveTo);
  const moves = state.moveTo.length > 0;
  card.draggable = moves && !card.editing;
  hook(card, "own").hidden = (!canEdit && !state.canDelete && !moves) || Boolean(card.editing);
  hook(card, "mine").hidden = readOnly || !mine;
}

/**
 * Plays the turn-over once: CSS keeps it short, and drops it under prefers-reduced-motion.
 * @param {Card} card
 */
function turnOver(card) {
  card.classList.add("note--revealed");
  card.addEventListener("animationend", () => card.classList.remove("note--revealed"), {
    once: true,
  });
}

/** @param {Card} card @param {Actions} actions */
function startEditing(card, actions) {
  if (card.editing) return;
  card.editing = true;
  card.draggable = false; // a draggable card would take the mouse's text selection
  const text = hook(card, "text");
  const input = h("textarea", {
    class: "note-edit",
    value: card.unsaved ?? card.text ?? "",
    maxLength: MAX_NOTE_TEXT,
    rows: 3,
    "aria-label": "Edit note",
  });
  const save = h(
    "button",
    { type: "submit", class: "button button--primary button--small" },
    "Save",
  );
  const cancel = h("button", { type: "button", class: "button button--small" }, "Cancel");
  const buttons = h("div", { class: "row" }, save, cancel);
  const form = h("form", { class: "note-editor", dataset: { retro: "editor" } }, input, buttons);
  text.hidden = true;
  hook(card, "unsaved").hidden = true;
  text.after(form);
  hook(card, "own").hidden = true;

  const submit = async () => {
    const value = input.value.trim();
    if (!value) {
      input.setCustomValidity("A note needs some text. Delete it instead?");
      input.reportValidity();
      return;
    }
    if (value === card.text) {
      stopEditing(card, true);
      return;
    }
    save.disabled = true;
    try {
      await actions.onSave(card.note, value);
      stopEditing(card, true);
    } catch (error) {
      showError(error);
      save.disabled = false;
    }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  input.addEventListener("input", () => input.setCustomValidity(""));
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    } else if (event.key === "Escape") {
      event.preventDefault();
      stopEditing(card, true);
    }
  });
  cancel.addEventListener("click", () => stopEditing(card, true));
  input.focus();
  input.setSelectionRange(input.value.length, input.value.length);
}

/**
 * @param {Card} card
 * @param {boolean} [refocus] the author ended it (saved, cancelled): an edit kept from before
 *   is settled too, and the focus goes back on the Edit button
 */
function stopEditing(card, refocus = false) {
  card.editing = false;
  if (refocus) card.unsaved = undefined;
  hookIfAny(card, "editor")?.remove();
  const text = hook(card, "text");
  text.hidden = false;
  text.textContent = card.text ?? "";
  hook(card, "own").hidden = false;
  if (refocus) hook(card, "edit").focus();
}
