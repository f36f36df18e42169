// @ts-check
// "Move to…" on the author's card: the columns the note may go to now (menu.js). Dragging a
// card onto another column, or on a phone onto its tab, does the same (drag.js).

import { createMenu } from "./menu.js";

/**
 * @typedef {import("../operations.js").Column} Column
 * @typedef {{element: HTMLElement, update: (targets: readonly Column[]) => void,
 *   focus: () => void}} MoveMenu
 */

/** The columns as the page names them (the same words as the columns' headings). */
/** @type {Readonly<Record<Column, string>>} */
export const COLUMN_NAMES = { GOOD: "Good", BAD: "Bad", ACTION: "Actions" };

/**
 * @param {(column: Column) => void} onMove
 * @param {Record<string, string>} described aria-describedby of the card's text
 * @returns {MoveMenu}
 */
export function createMoveMenu(onMove, described) {
  const menu = createMenu("Move to…", "move", described);
  /** @param {readonly Column[]} targets */
  const update = (targets) =>
    menu.update(
      targets.map((column) => ({
        key: column,
        label: `Move to ${COLUMN_NAMES[column]}`,
        run: () => onMove(column),
      })),
    );
  return { element: menu.element, update, focus: menu.focus };
}
