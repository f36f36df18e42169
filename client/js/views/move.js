// @ts-check
// "Move to…" on the author's card: a disclosure button that opens a short list of the columns
// the note may go to. A list of buttons rather than a <select>: a closed select changes on each
// arrow key, which would move the note at every key press. Escape closes and gives the focus
// back. Dragging a card onto another column does the same on desktop (drag.js).

import { h } from "../dom.js";

/**
 * @typedef {import("../operations.js").Column} Column
 * @typedef {{element: HTMLElement, update: (targets: readonly Column[]) => void,
 *   focus: () => void}} MoveMenu
 */

/** The columns as the page names them (the same words as the columns' headings). */
/** @type {Readonly<Record<Column, string>>} */
export const COLUMN_NAMES = { GOOD: "Good", BAD: "Bad", ACTION: "Actions" };

let menus = 0;

/**
 * @param {(column: Column) => void} onMove
 * @param {Record<string, string>} described aria-describedby of the card's text
 * @returns {MoveMenu}
 */
export function createMoveMenu(onMove, described) {
  const listId = `move-menu-${++menus}`;
  const toggle = h("button", {
    type: "button",
    class: "link-btn",
    "aria-expanded": "false",
    "aria-controls": listId,
    dataset: { retro: "move" },
    textContent: "Move to…",
    ...described,
  });
  const list = h("ul", { id: listId, class: "move-menu", hidden: true });
  const element = h("div", { class: "move", dataset: { retro: "move-box" } }, toggle, list);
  /** @type {readonly Column[]} */
  let targets = [];

  /** @param {boolean} open @param {boolean} [refocus] */
  const show = (open, refocus = false) => {
    list.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    if (open) /** @type {HTMLElement | null} */ (list.querySelector("button"))?.focus();
    else if (refocus) toggle.focus();
  };
  toggle.addEventListener("click", () => show(Boolean(list.hidden)));
  element.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      event.stopPropagation();
      show(false, true);
    }
  });
  // Tabbing or clicking away closes the list, as a menu would.
  element.addEventListener("focusout", (event) => {
    const next = /** @type {Node | null} */ (event.relatedTarget);
    if (!next || !element.contains(next)) show(false);
  });

  /** @param {readonly Column[]} next */
  const update = (next) => {
    element.hidden = next.length === 0;
    if (next.join() === targets.join()) return;
    targets = next;
    list.replaceChildren(
      ...next.map((column) => {
        const button = h("button", {
          type: "button",
          class: "link-btn",
          textContent: `Move to ${COLUMN_NAMES[column]}`,
          dataset: { column },
          ...described,
        });
        button.addEventListener("click", () => {
          show(false);
          onMove(column);
        });
        return h("li", {}, button);
      }),
    );
    if (next.length === 0) show(false);
  };
  return { element, update, focus: () => toggle.focus() };
}
