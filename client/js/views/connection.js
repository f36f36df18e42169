// @ts-check
// The live-connection indicator in the top bar: people should know when what they see may be
// stale, and be able to retry without waiting for the backoff. Once live again, errors that
// said the server could not be reached go away.

import { h } from "../dom.js";
import { dismissUnreachable } from "../notify.js";

/** @typedef {import("../realtime.js").State} State */

/** @type {Record<State, string>} */
const LABELS = {
  idle: "Connecting…",
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline",
};

/** @type {Partial<Record<State, string>>} */
const DETAILS = {
  live: "Changes by others appear as they happen.",
  reconnecting: "Lost the live connection; trying again.",
  offline: "You are offline. The board catches up when you are back.",
};

/**
 * @param {import("../realtime.js").Realtime} realtime
 * @returns {{element: HTMLElement, destroy: () => void}}
 */
export function connectionStatus(realtime) {
  const label = h("span", { class: "conn-label" });
  const retry = h("button", { type: "button", class: "conn-retry", hidden: true }, "Retry now");
  const element = h(
    "div",
    { class: "conn", role: "status", dataset: { retro: "connection" } },
    h("span", { class: "conn-dot", "aria-hidden": "true" }),
    label,
    retry,
  );
  retry.addEventListener("click", () => realtime.reconnectNow());

  /** @param {State} state @param {number} [retryInMs] */
  const show = (state, retryInMs) => {
    element.dataset.state = state;
    label.textContent = LABELS[state] ?? state;
    const wait = retryInMs ? ` Next try in ${Math.ceil(retryInMs / 1000)} s.` : "";
    element.title = (DETAILS[state] ?? "") + wait;
    retry.hidden = state !== "reconnecting";
    if (state === "live") dismissUnreachable();
  };
  /** @param {Event} event */
  const onStatus = (event) => {
    const { detail } = /** @type {CustomEvent<{state: State, retryInMs?: number}>} */ (event);
    show(detail.state, detail.retryInMs);
  };
  realtime.addEventListener("status", onStatus);
  show(realtime.state);
  return {
    element,
    destroy: () => realtime.removeEventListener("status", onStatus),
  };
}
