// @ts-check
// Dragging a note card: onto another column (or its tab, on a phone) moves it, onto another
// card or a group groups them. Every drag has a menu equivalent on the card itself ("Move
// to…", "Group with…"): dragging is only the quicker way.
//
// Two ways to drag, one set of targets. A mouse uses HTML drag and drop. A finger presses and
// holds a card to pick it up (HOLD_MS): a swipe that starts on a card still scrolls the page,
// and a tap on its buttons is still a tap. Once picked up, the card's text follows the finger,
// the target under it is outlined, and lifting the finger drops the card there; near the top
// or bottom of the screen the page scrolls. Touch screens get no HTML drag events from a
// finger, so that path is pointer events.
//
// What is dragged is kept here, not in dataTransfer: `dragover` may not read the data, and the
// targets must know while hovering whether they would take the note.

import { h } from "../dom.js";

/**
 * @typedef {import("../operations.js").Note} Note
 * @typedef {{accepts: (note: Note) => boolean, onDrop: (note: Note) => void,
 *   steady?: boolean}} Target steady: it stays put while the page scrolls (the sticky column
 *   tabs); a finger holding a note over it is choosing it, so the page does not scroll
 * @typedef {{card: HTMLElement, note: () => Note, pointerId: number, x: number, y: number,
 *   timer: number, chip: HTMLElement | null, over: HTMLElement | null, frame: number}} Press
 *   a finger on a card: `chip` is set once the hold picked the card up
 */

/** How long a finger holds still on a card to pick it up: shorter than the browser's own
 * long press (its menu and text selection), longer than any tap. */
const HOLD_MS = 350;
/** A finger that moves farther than this before the hold is scrolling, not picking up. */
const SLOP_PX = 10;
/** Near the screen's top or bottom edge, a carried card scrolls the page (up to STEP_PX). */
const EDGE_PX = 56;
const STEP_PX = 14;
/** Pressing these does what they do: only the rest of the card picks it up. */
const CONTROLS = "button, a, input, textarea, select, label, summary, form";

/** @type {Note | null} */
let dragged = null;
/** @type {WeakMap<Element, Target>} */
const targets = new WeakMap();
/** @type {Press | null} */
let press = null;

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
    // A finger's drag is this module's own: the browser's (some pick a draggable element up
    // on a long press) would race it.
    if (!card.draggable || press) {
      if (press) event.preventDefault();
      return;
    }
    dragged = note();
    event.dataTransfer?.setData("text/plain", dragged.id);
    if (event.dataTransfer) event.dataTransfer.effectAllowed = "move";
    card.classList.add("note--dragging");
  });
  card.addEventListener("dragend", () => {
    dragged = null;
    card.classList.remove("note--dragging");
    outline(null);
  });
  card.addEventListener("pointerdown", (event) => {
    if (event.pointerType !== "touch" || !event.isPrimary || press || !card.draggable) return;
    if (event.target instanceof Element && event.target.closest(CONTROLS)) return;
    hold(card, note, event);
  });
  // Registered on the card from the start, not when the card is picked up: the browser
  // decides when a touch begins whether a page script may stop it from scrolling.
  card.addEventListener(
    "touchmove",
    (event) => {
      if (press?.chip && press.card === card && event.cancelable) event.preventDefault();
    },
    { passive: false },
  );
}

/**
 * Makes `element` take dropped notes it accepts. An inner target (a card in a column) that
 * accepts the note takes the drop; the outer one (the column) then does not.
 * @param {HTMLElement} element
 * @param {Target} target
 */
export function dropTarget(element, target) {
  targets.set(element, target);
  const takes = () => dragged !== null && target.accepts(dragged);
  element.addEventListener("dragover", (event) => {
    if (!takes()) return;
    event.preventDefault();
    event.stopPropagation();
    if (event.dataTransfer) event.dataTransfer.dropEffect = "move";
    outline(element);
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
    target.onDrop(note);
  });
}

/** @param {HTMLElement | null} element the one drop target to outline, or none */
function outline(element) {
  for (const other of document.querySelectorAll(".drop-target")) {
    if (other !== element) other.classList.remove("drop-target");
  }
  element?.classList.add("drop-target");
}

/**
 * The innermost drop target at a point that takes the dragged note.
 * @param {number} x
 * @param {number} y
 * @returns {HTMLElement | null}
 */
function targetAt(x, y) {
  for (let at = document.elementFromPoint(x, y); at; at = at.parentElement) {
    const target = targets.get(at);
    if (target && dragged && target.accepts(dragged) && at instanceof HTMLElement) return at;
  }
  return null;
}

/**
 * A finger went down on a card: it is picked up if it holds still for HOLD_MS.
 * @param {HTMLElement} card
 * @param {() => Note} note
 * @param {PointerEvent} event
 */
function hold(card, note, event) {
  press = {
    card,
    note,
    pointerId: event.pointerId,
    x: event.clientX,
    y: event.clientY,
    timer: window.setTimeout(pickUp, HOLD_MS),
    chip: null,
    over: null,
    frame: 0,
  };
  card.classList.add("note--pressed");
  addEventListener("pointermove", onMove, true);
  addEventListener("pointerup", onUp, true);
  addEventListener("pointercancel", onCancel, true);
  addEventListener("contextmenu", noMenu, true);
}

function pickUp() {
  if (!press || !press.card.draggable || !press.card.isConnected) {
    finish();
    return;
  }
  dragged = press.note();
  press.card.classList.add("note--dragging");
  const text = press.card.querySelector(".note-text")?.textContent ?? "";
  press.chip = h("div", { class: "drag-chip", "aria-hidden": "true" }, text);
  document.body.append(press.chip);
  follow();
  press.frame = requestAnimationFrame(scrollNearEdges);
}

/** Puts the chip above the finger (where the finger does not hide it); outlines the target. */
function follow() {
  if (!press?.chip) return;
  const { chip, x, y } = press;
  const left = Math.min(Math.max(8, x - chip.offsetWidth / 2), innerWidth - chip.offsetWidth - 8);
  const top = Math.max(8, y - chip.offsetHeight - 24);
  chip.style.transform = `translate(${Math.round(left)}px, ${Math.round(top)}px)`;
  press.over = targetAt(x, y);
  outline(press.over);
}

function scrollNearEdges() {
  if (!press?.chip) return;
  const over = press.over ? targets.get(press.over) : undefined;
  const depth = over?.steady
    ? 0
    : press.y > innerHeight - EDGE_PX
      ? press.y - (innerHeight - EDGE_PX)
      : press.y < EDGE_PX
        ? press.y - EDGE_PX
        : 0;
  if (depth) {
    scrollBy(0, Math.round((STEP_PX * depth) / EDGE_PX));
    follow();
  }
  press.frame = requestAnimationFrame(scrollNearEdges);
}

/** @param {PointerEvent} event */
function onMove(event) {
  if (!press || event.pointerId !== press.pointerId) return;
  if (!press.chip) {
    // Moving before the hold: the finger is scrolling (the browser takes it from here).
    if (Math.hypot(event.clientX - press.x, event.clientY - press.y) > SLOP_PX) finish();
    return;
  }
  press.x = event.clientX;
  press.y = event.clientY;
  follow();
}

/** @param {PointerEvent} event */
function onUp(event) {
  if (!press || event.pointerId !== press.pointerId) return;
  const chosen = press.chip ? targetAt(event.clientX, event.clientY) : null;
  const target = chosen ? targets.get(chosen) : undefined;
  const note = dragged;
  finish();
  if (target && note) target.onDrop(note);
}

/** @param {PointerEvent} event */
function onCancel(event) {
  if (press && event.pointerId === press.pointerId) finish();
}

/** @param {Event} event */
function noMenu(event) {
  // A long press opens the browser's menu (or selects text): not while it picks a card up.
  event.preventDefault();
}

/** Ends a press, picked up or not: nothing stays outlined, carried or listened to. */
function finish() {
  if (!press) return;
  clearTimeout(press.timer);
  cancelAnimationFrame(press.frame);
  press.chip?.remove();
  press.card.classList.remove("note--pressed", "note--dragging");
  press = null;
  dragged = null;
  outline(null);
  removeEventListener("pointermove", onMove, true);
  removeEventListener("pointerup", onUp, true);
  removeEventListener("pointercancel", onCancel, true);
  removeEventListener("contextmenu", noMenu, true);
}
