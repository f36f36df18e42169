// @ts-check
// Wiring: load the config, create the API and realtime clients, and route by the URL hash
// (`#/` start, `#/board/<id>` live board, `#/board/<id>/v/<n>` one version), so any static
// host can serve the client.

import { Api } from "./api.js";
import { loadConfig } from "./config.js";
import { h, hook } from "./dom.js";
import { takeHandover } from "./handover.js";
import { showError, toast } from "./notify.js";
import { WHO_AM_I } from "./operations.js";
import { Realtime } from "./realtime.js";
import { mountBoard } from "./views/board.js";
import { mountStart } from "./views/start.js";

/**
 * @typedef {{name: "start"}} StartRoute
 * @typedef {{name: "board", boardId: string, number: number | null}} BoardRoute
 * @typedef {StartRoute | BoardRoute} Route
 * @typedef {{api: Api, realtime: Realtime, navigate: (hash: string) => void}} Context
 * @typedef {{unmount: () => void, show?: (route: Route) => boolean}} View a mounted page
 */

/** @param {string} hash @returns {Route} */
function parseRoute(hash) {
  const match = /^#\/board\/([^/?#]+)(?:\/v\/(\d+))?\/?$/.exec(hash);
  if (match) {
    const number = match[2] ? Number(match[2]) : null;
    return { name: "board", boardId: decodeURIComponent(match[1]), number };
  }
  return { name: "start" };
}

async function main() {
  // First of all: a demo owner's token in the link leaves the address bar (handover.js).
  const handedOver = takeHandover();
  const view = hook(document, "view");
  let config;
  try {
    config = await loadConfig();
  } catch (error) {
    view.replaceChildren(
      h("h1", { textContent: "Retro can't start" }),
      h("p", { textContent: error instanceof Error ? error.message : String(error) }),
    );
    return;
  }
  const api = new Api(config);
  if (handedOver) api.adopt(handedOver);
  const realtime = new Realtime(config, () => api.ensureToken());
  // A new identity (the old token was unknown) needs a new realtime connection too.
  api.addEventListener("identity", (event) => {
    const { detail } = /** @type {CustomEvent<{replaced: boolean, forgotten: boolean}>} */ (event);
    if (detail.replaced) realtime.restart();
    // The server refused for good a user it had accepted: it lost its data (a local server
    // restarted in memory). Say so once, instead of leaving the page to fail quietly.
    if (detail.forgotten) {
      toast(
        "The server no longer knows this browser (restarted without its data?): " +
          "you are a new participant now.",
      );
    }
  });
  // A refused connection is usually a stale token: a cheap request renews it if so.
  realtime.addEventListener("problem", () => api.request(WHO_AM_I).catch(() => {}));

  /** @type {Context} */
  const context = { api, realtime, navigate: (hash) => (location.hash = hash) };
  /** @type {View | null} */
  let current = null;

  const render = () => {
    const route = parseRoute(location.hash);
    // The same board at another version: let the board view switch without a remount.
    if (current?.show?.(route)) return;
    current?.unmount();
    hook(document, "topbar-end").replaceChildren();
    view.replaceChildren();
    current =
      route.name === "board" ? mountBoard(view, route, context) : mountStart(view, route, context);
    // Move focus into the new page (for screen readers), unless the view chose a field.
    if (!view.contains(document.activeElement)) view.focus({ preventScroll: true });
    scrollTo(0, 0);
  };
  addEventListener("hashchange", render);
  addEventListener("unhandledrejection", (event) => showError(event.reason));
  render();
  if (handedOver) toast("You are the demo board's owner in this browser.");
}

main();
