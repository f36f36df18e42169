// @ts-check
// Messages to people: toasts for what happened (a refused action shows the server's message),
// and a screen-reader announcement channel for what changed elsewhere on the page. An error
// that says the server could not be reached is dropped as soon as the live connection is back
// (`dismissUnreachable`): a red "Can't reach the server" next to a green "Live" misleads.

import { h, hook } from "./dom.js";

const SHOWN_MS = { info: 3500, error: 8000 };

/**
 * Shows a message in the toast stack. Errors stay longer and are announced assertively.
 * @param {string} message
 * @param {"info"|"error"} [kind]
 * @param {{unreachable?: boolean}} [options] unreachable: an error of the connection
 */
export function toast(message, kind = "info", { unreachable = false } = {}) {
  const stack = hook(document, kind === "error" ? "alerts" : "toasts");
  const close = h("button", { type: "button", class: "toast-close", "aria-label": "Dismiss" }, "×");
  const item = h(
    "div",
    { class: `toast toast--${kind}`, dataset: unreachable ? { unreachable: "yes" } : {} },
    h("span", { textContent: message }),
    close,
  );
  const remove = () => item.remove();
  close.addEventListener("click", remove);
  stack.append(item);
  setTimeout(remove, SHOWN_MS[kind]);
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
