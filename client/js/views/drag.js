// @ts-check
// Dragging a note card with the mouse (HTML drag and drop): onto another column moves it, onto
// another card groups the two. Every drag has a keyboard equivalent on the card itself ("Move
// to…", "Group with…"): dragging is only the quicker way on a desktop.
//
// What is dragged is kept here, not in dataTransfer: `dragover` may not read the data, and the
// targets must know while hovering whether they would take the note.

/** @typedef {import("../operations.js").Note} Note */

/** @type {Note | null} */
let dragged = null;

/** The note being dragged, while a drag is under way. */
export function draggedNote() {
  return dragged;
}

/**
 * @param {HTMLElement} card
 * @param {() => Note} note the card's note when the drag starts
 */
export function makeDraggable(card, note) {
  card.addEventListener("dragstart", (event) => {
    if (!card.draggable) return;
    dragged = note();
    event.dataTransfer?.setData("text/plain", dragged.id);
    if (event.dataTransfer) event.dataTransfer.effectAllowed = "move";
    card.classList.add("note--dragging");
  });
  card.addEventListener("dragend", () => {
    dragged = null;
    card.classList.remove("note--dragging");
    for (const target of document.querySelectorAll(".drop-target")) {
      target.classList.remove("drop-target");
    }
  });
}

/**
 * Makes `element` take dropped notes it accepts. An inner target (a card in a column) that
 * accepts the note takes the drop; the outer one (the column) then does not.
 * @param {HTMLElement} element
 * @param {{accepts: (note: Note) => boolean, onDrop: (note: Note) => void}} target
 */
export function dropTarget(element, { accepts, onDrop }) {
  const takes = () => dragged !== null && accepts(dragged);
  element.addEventListener("dragover", (event) => {
    if (!takes()) return;
    event.preventDefault();
    event.stopPropagation();
    if (event.dataTransfer) event.dataTransfer.dropEffect = "move";
    for (const other of document.querySelectorAll(".drop-target")) {
      if (other !== element) other.classList.remove("drop-target");
    }
    element.classList.add("drop-target");
  });
  element.addEventListener("dragleave", (event) => {
    const next = /** @type {Node | null} */ (event.relatedTarget);
    if (!next || !element.contains(next)) element.classList.remove("drop-target");
  });
  element.addEventListener("drop", (event) => {
    if (!dragged || !takes()) return;
    event.preventDefault();
    event.stopPropagation();
    element.classList.remove("drop-target");
    const note = dragged;
    dragged = null;
    onDrop(note);
  });
}
