// @ts-check
// Action items on ACTION cards: "Done" (anyone on the board may tick it, a team agreement, not
// the author's privilege), who takes it on (a name people type, never anyone's identity), and
// how many retros it has been carried through open ("carried 3×"). A frozen version shows
// them read-only. The row sits between the card's text and its foot; other cards hide it.

import { h, hook } from "../dom.js";
import { MAX_WHO } from "../limits.js";
import { showError } from "../notify.js";
import { editInline } from "./inline-edit.js";

/**
 * @typedef {import("../operations.js").Note} Note
 * @typedef {import("./note.js").Card} Card
 * @typedef {{store: import("../store.js").BoardStore, readOnly: boolean}} ActionContext
 *   readOnly: a frozen version
 * @typedef {{row: HTMLElement, done: HTMLInputElement, who: HTMLElement,
 *   name: HTMLButtonElement, carried: HTMLElement, busy: boolean, editing: boolean}} ActionRow
 */

/** @type {WeakMap<Card, ActionRow>} */
const rows = new WeakMap();

/**
 * Brings a card's action row up to date (creating it the first time a card is an action).
 * @param {Card} card
 * @param {Note} note
 * @param {ActionContext} context
 */
export function updateAction(card, note, context) {
  const isAction = note.column === "ACTION" && card.text !== null;
  let row = rows.get(card);
  if (!isAction) {
    if (row) row.row.hidden = true;
    card.classList.remove("note--done");
    return;
  }
  if (!row) {
    row = createRow(card, context.store);
    rows.set(card, row);
  }
  row.row.hidden = false;
  card.classList.toggle("note--done", note.done);
  // A click on its way to the server keeps the box as the person set it.
  if (!row.busy) row.done.checked = note.done;
  row.done.disabled = context.readOnly;
  // While texts are hidden the server keeps "who" to itself too (it is text): naming someone
  // then would seem to do nothing.
  const whoHidden = !context.readOnly && Boolean(context.store.live?.textsHidden);
  row.name.hidden = context.readOnly || row.editing || whoHidden;
  row.name.textContent = note.who ? "Change who" : "Who takes it?";
  row.who.hidden = !note.who || row.editing;
  row.who.textContent = note.who ? `Taken by ${note.who}` : "";
  const times = note.carriedCount;
  row.carried.hidden = times === 0;
  row.carried.replaceChildren(
    h("span", { "aria-hidden": "true" }, `carried ${times}×`),
    h("span", { class: "sr-only" }, `carried over from ${times} earlier ${retros(times)}`),
  );
}

/** @param {number} count @returns {string} */
function retros(count) {
  return count === 1 ? "retro" : "retros";
}

/**
 * @param {Card} card
 * @param {import("../store.js").BoardStore} store
 * @returns {ActionRow}
 */
function createRow(card, store) {
  const textId = `note-${card.note.id}`;
  const done = h("input", { type: "checkbox", "aria-describedby": textId });
  const who = h("span", { class: "action-who", dataset: { retro: "who" } });
  const name = h("button", {
    type: "button",
    class: "link-btn",
    dataset: { retro: "name-who" },
    "aria-describedby": textId,
  });
  const carried = h("span", { class: "carried-badge", dataset: { retro: "carried" } });
  const row = h(
    "div",
    { class: "action-row", dataset: { retro: "action" } },
    h("label", { class: "action-done" }, done, "Done"),
    who,
    name,
    carried,
  );
  hook(card, "text").after(row);
  /** @type {ActionRow} */
  const state = { row, done, who, name, carried, busy: false, editing: false };

  done.addEventListener("change", async () => {
    state.busy = true;
    try {
      await store.updateAction(card.note.id, { done: done.checked });
    } catch (error) {
      done.checked = card.note.done;
      showError(error);
    } finally {
      state.busy = false;
    }
  });
  name.addEventListener("click", () => editWho(card, state, store));
  return state;
}

/**
 * An inline field for who takes the action on: Enter saves, Escape cancels, empty clears.
 * @param {Card} card
 * @param {ActionRow} state
 * @param {import("../store.js").BoardStore} store
 */
function editWho(card, state, store) {
  if (state.editing) return;
  state.editing = true;
  state.who.hidden = true;
  state.name.hidden = true;
  editInline({
    id: `who-${card.note.id}`,
    className: "who-editor",
    inputClass: "who-input",
    label: "Who takes it on",
    value: card.note.who ?? "",
    maxLength: MAX_WHO,
    place: (form) => state.row.append(form),
    save: (who) => store.updateAction(card.note.id, { who }),
    close: () => {
      state.editing = false;
      state.who.hidden = !card.note.who;
      state.name.hidden = false;
      state.name.focus();
    },
  });
}
