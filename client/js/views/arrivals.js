// @ts-check
// The "new note" moment: a note someone else just wrote arrives with a short, calm highlight
// (a soft ring and a "New" tag that fade; without motion under prefers-reduced-motion, the
// ring simply stays a few seconds). Notes shown by a first load, by another version, or
// written by this person are not new to them. Whether a note is mine is known once the
// caller's participation is read again after the write: the decision waits that long. A note
// that arrives in a column not on screen (a phone's other tab) is told to `onArrive`.

/** How long a new note stays marked. */
const MARKED_MS = 4000;
/** How long a new note waits for "is it mine?" before it is marked. */
const SETTLE_MS = 800;

/**
 * @param {HTMLElement} root the columns
 * @param {import("../store.js").BoardStore} store
 * @param {(column: import("../operations.js").Column) => void} onUnseen a new note arrived
 *   in a column that is not on screen
 * @returns {{see: () => void}} call after every render of the columns
 */
export function createArrivals(root, store, onUnseen) {
  /** @type {Set<string>} */
  let seen = new Set();
  let shown = "";

  const see = () => {
    const view = store.older?.id ?? store.live?.id ?? "";
    const ids = [...root.querySelectorAll("li.note[data-note-id]")].map(
      (card) => /** @type {HTMLElement} */ (card).dataset.noteId ?? "",
    );
    const fresh = view === shown ? ids.filter((id) => !seen.has(id)) : [];
    seen = new Set(ids);
    shown = view;
    if (store.older) return;
    for (const id of fresh) {
      setTimeout(() => {
        const card = root.querySelector(`li.note[data-note-id="${CSS.escape(id)}"]`);
        if (!card || store.isMine(id)) return;
        card.classList.add("note--arrived");
        const column = store.notes.get(id)?.column;
        if (column && !card.checkVisibility()) onUnseen(column);
        setTimeout(() => card.classList.remove("note--arrived"), MARKED_MS);
      }, SETTLE_MS);
    }
  };
  return { see };
}
