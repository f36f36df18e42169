// @ts-check
// The "new note" moment: a note someone else just wrote arrives with a short, calm highlight
// (a soft ring and a "New" tag that fade; without motion under prefers-reduced-motion, the
// ring simply stays a few seconds). Notes shown by a first load, by another version, or
// written by this person are not new to them. Whether a note is mine is known once the
// caller's participation is read again after the write: the decision waits that long, and a
// note marked before that read came back (a slow server) loses its mark when it does. A note
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
  /** @type {Map<string, number>} the notes marked new, each with the timer that unmarks it */
  const marked = new Map();

  /** @param {string} id */
  const cardOf = (id) => root.querySelector(`li.note[data-note-id="${CSS.escape(id)}"]`);
  /** @param {string} id */
  const unmark = (id) => {
    clearTimeout(marked.get(id));
    marked.delete(id);
    cardOf(id)?.classList.remove("note--arrived");
  };

  const see = () => {
    const view = store.older?.id ?? store.live?.id ?? "";
    const ids = [...root.querySelectorAll("li.note[data-note-id]")].map(
      (card) => /** @type {HTMLElement} */ (card).dataset.noteId ?? "",
    );
    const fresh = view === shown ? ids.filter((id) => !seen.has(id)) : [];
    seen = new Set(ids);
    shown = view;
    // My own note, marked while the read that says it is mine was still on its way.
    for (const id of marked.keys()) if (store.isMine(id)) unmark(id);
    if (store.older) return;
    for (const id of fresh) {
      setTimeout(() => {
        const card = cardOf(id);
        if (!card || store.isMine(id)) return;
        card.classList.add("note--arrived");
        const column = store.notes.get(id)?.column;
        if (column && !card.checkVisibility()) onUnseen(column);
        marked.set(id, setTimeout(() => unmark(id), MARKED_MS));
      }, SETTLE_MS);
    }
  };
  return { see };
}
