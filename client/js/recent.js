// @ts-check
// Boards this browser opened, newest first, so a participant finds the way back without
// bookmarking. Kept only in localStorage: the server knows owners, not visitors.

const KEY = "retro.recent";
const LIMIT = 12;

/** @returns {{id: string, title: string, openedAt: string}[]} */
export function recentBoards() {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) ?? "[]");
    return Array.isArray(list) ? list.filter((b) => typeof b?.id === "string") : [];
  } catch {
    return [];
  }
}

/**
 * Records a visit (or a new title) at the top of the list.
 * @param {string} id
 * @param {string} title
 */
export function rememberBoard(id, title) {
  const rest = recentBoards().filter((b) => b.id !== id);
  const list = [{ id, title, openedAt: new Date().toISOString() }, ...rest].slice(0, LIMIT);
  localStorage.setItem(KEY, JSON.stringify(list));
}

/**
 * Drops a board that no longer exists.
 * @param {string} id
 */
export function forgetBoard(id) {
  localStorage.setItem(KEY, JSON.stringify(recentBoards().filter((b) => b.id !== id)));
}
