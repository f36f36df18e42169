// @ts-check
// Messages to people: toasts for what happened (a refused action shows the server's message),
// and a screen-reader announcement channel for what changed elsewhere on the page. An error
// that says the server could not be reached is dropped as soon as the live connection is back
// (`dismissUnreachable`): a red "Can't reach the server" next to a green "Live" misleads.
//
// Toasts stand at the bottom of the screen, but never over what someone is writing with: on
// a phone the note's field and its Add button are often right there (or just above the
// on-screen keyboard). While toasts show, they step above or below any visible writing form,
// or to the top, whichever is clear first (`placeToasts`).

import { h, hook } from "./dom.js";

const SHOWN_MS = { info: 3500, error: 8000 };

/** @type {WeakMap<Element, () => void>} each shown toast: shows it its full time again */
const rearm = new WeakMap();

/**
 * Shows a message in the toast stack. Errors stay longer and are announced assertively.
 * A message already shown is not stacked again (two requests failing for one cause, e.g. no
 * connection, say it once): it stays its full time from now.
 * @param {string} message
 * @param {"info"|"error"} [kind]
 * @param {{unreachable?: boolean}} [options] unreachable: an error of the connection
 */
export function toast(message, kind = "info", { unreachable = false } = {}) {
  const stack = hook(document, kind === "error" ? "alerts" : "toasts");
  const shown = [...stack.children].find((item) => item.firstChild?.textContent === message);
  if (shown) {
    rearm.get(shown)?.();
    return;
  }
  const close = h("button", { type: "button", class: "toast-close", "aria-label": "Dismiss" }, "×");
  const item = h(
    "div",
    { class: `toast toast--${kind}`, dataset: unreachable ? { unreachable: "yes" } : {} },
    h("span", { textContent: message }),
    close,
  );
  const remove = () => {
    item.remove();
    placeToasts();
  };
  close.addEventListener("click", remove);
  stack.append(item);
  watchPlace();
  placeToasts();
  let timer = setTimeout(remove, SHOWN_MS[kind]);
  rearm.set(item, () => {
    clearTimeout(timer);
    timer = setTimeout(remove, SHOWN_MS[kind]);
  });
}

/** Space kept between a toast and a form. */
const GAP_PX = 8;

/**
 * Puts the toasts where they cover no writing control: at the bottom of the visible screen
 * if that is clear, else just above or below a writing form, else at the top.
 */
function placeToasts() {
  const area = hook(document, "toast-area");
  if (!area.querySelector(".toast")) {
    area.style.removeProperty("top");
    area.style.removeProperty("bottom");
    return;
  }
  // From the screen's edges as the stylesheet says (less on a phone).
  const edge = parseFloat(getComputedStyle(area).getPropertyValue("--toast-edge")) || 0;
  const view = visualViewport ?? { offsetTop: 0, height: innerHeight };
  const [first, last] = [view.offsetTop, view.offsetTop + view.height];
  const { left, right, height } = area.getBoundingClientRect();
  const writing = [...document.querySelectorAll("form")]
    .filter((form) => form.querySelector("textarea, input") && form.checkVisibility())
    .map((form) => form.getBoundingClientRect())
    .filter((box) => box.bottom > first && box.top < last && box.right > left && box.left < right);
  const bottom = last - edge - height;
  const candidates = [
    bottom,
    ...writing.flatMap((box) => [box.top - GAP_PX - height, box.bottom + GAP_PX]),
    first + edge,
  ];
  const clear = (/** @type {number} */ top) =>
    top >= first &&
    top + height <= last &&
    writing.every((box) => top + height <= box.top || top >= box.bottom);
  const top = candidates.find(clear) ?? bottom;
  area.style.top = `${Math.round(top)}px`;
  area.style.bottom = "auto";
}

let watching = false;
let placing = 0;

/** Places the toasts again when what is on screen moves: once per frame at most. */
function watchPlace() {
  if (watching) return;
  watching = true;
  const later = () => {
    if (placing) return;
    placing = requestAnimationFrame(() => {
      placing = 0;
      placeToasts();
    });
  };
  addEventListener("scroll", later, { capture: true, passive: true });
  addEventListener("resize", later);
  addEventListener("focusin", later);
  addEventListener("focusout", later);
  visualViewport?.addEventListener("resize", later);
  visualViewport?.addEventListener("scroll", later);
}

/**
 * Shows what went wrong: ApiError carries the server's own message.
 * @param {unknown} error anything thrown, or a `problem` event's detail ({message})
 */
export function showError(error) {
  const { message, meaning } = /** @type {{message?: unknown, meaning?: unknown}} */ (
    error ?? {}
  );
  const text = typeof message === "string" && message ? message : "Something went wrong.";
  toast(text, "error", { unreachable: meaning === "unavailable" });
}

/** Drops the errors that said the server could not be reached: it can be, again. */
export function dismissUnreachable() {
  for (const item of document.querySelectorAll('.toast[data-unreachable="yes"]')) item.remove();
  placeToasts();
}

/**
 * Tells screen-reader users about a change they did not make (e.g. a new version started).
 * @param {string} message
 */
export function announce(message) {
  const region = hook(document, "announcer");
  region.textContent = "";
  // A fresh text node in a live region is what assistive technology reads out.
  requestAnimationFrame(() => {
    region.textContent = message;
  });
}
