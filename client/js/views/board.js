// @ts-check
// The board page: header (title, link, votes left), the meeting (stage, timer, the owner's
// controls), toolbar (versions, owner controls, export), the read-only banner for older
// versions, and the three columns. It connects the store to the realtime subscriptions and
// re-renders on every store change.

import { now } from "../clock.js";
import { download } from "../download.js";
import { h, hook, slug } from "../dom.js";
import { announce, showError, toast } from "../notify.js";
import * as ops from "../operations.js";
import { forgetBoard, rememberBoard } from "../recent.js";
import { BoardStore } from "../store.js";
import { createColumns } from "./columns.js";
import { connectionStatus } from "./connection.js";
import { openNewVersion, openSettings } from "./dialogs.js";
import { createMeeting } from "./stage.js";
import { createTrend } from "./trend.js";
import { versionSwitcher } from "./versions.js";

/**
 * @typedef {import("../store.js").Change} Change
 * @typedef {"MARKDOWN" | "CSV"} ExportFormat
 */

/**
 * @param {HTMLElement} root
 * @param {import("../app.js").BoardRoute} route
 * @param {import("../app.js").Context} context
 * @returns {import("../app.js").View}
 */
export function mountBoard(root, route, { api, realtime, navigate }) {
  const { boardId } = route;
  const store = new BoardStore(api, boardId);
  const columns = createColumns(store);
  const versions = versionSwitcher(store, navigate);
  const connection = connectionStatus(realtime);
  const trend = createTrend(store);
  // When a countdown runs out, the server may have moved the stage on: load what it shows.
  const meeting = createMeeting(store, { onTimerEnd: () => store.load().catch(showError) });
  hook(document, "topbar-end").append(connection.element);

  const ui = {
    title: h("h1", { class: "board-title" }),
    settings: h(
      "button",
      { type: "button", class: "button button--small", hidden: true },
      h("span", { class: "icon", "aria-hidden": "true" }, "⚙"),
      "Board settings",
    ),
    copy: h("button", { type: "button", class: "button" }, "Copy link"),
    budget: h("p", { class: "budget", dataset: { retro: "votes-left" } }),

    newVersion: h("button", { type: "button", class: "button", hidden: true }, "Start new version"),
  };
  /** @type {ExportFormat[]} */
  const formats = ["MARKDOWN", "CSV"];
  const exportButtons = formats.map((format) =>
    h(
      "button",
      { type: "button", class: "button button--small", dataset: { format } },
      h("span", { class: "icon", "aria-hidden": "true" }, "↓"),
      format === "CSV" ? "CSV" : "Markdown",
    ),
  );
  const content = h(
    "div",
    { class: "board", hidden: true },
    h(
      "div",
      { class: "board-head" },
      h(
        "div",
        { class: "title-block" },
        h("div", { class: "title-row" }, ui.title, ui.settings),
        h("p", { class: "hint" }, "Anonymous: nobody sees who wrote or voted for a note."),
      ),
      h("div", { class: "head-actions" }, ui.budget, ui.copy),
    ),
    meeting.element,
    h(
      "div",
      { class: "toolbar" },
      h(
        "div",
        { class: "toolbar-group" },
        h("label", { for: versions.select.id }, "Version"),
        versions.select,
        ui.newVersion,
      ),
      h("div", { class: "toolbar-group" }, columns.sortToggle, trend.button),
      h(
        "div",
        { class: "toolbar-group", role: "group", "aria-label": "Export this version" },
        h("span", { class: "toolbar-label" }, "Export"),
        ...exportButtons,
      ),
    ),
    trend.element,
    versions.banner,
    columns.element,
    meeting.live,
  );
  const message = h("div", { class: "board-message", hidden: true });
  root.append(h("p", { class: "loading", textContent: "Loading the board…" }), content, message);

  // Rendering -------------------------------------------------------------------------------
  /** @param {Change} what */
  const render = (what) => {
    const { board, older, participation } = store;
    // Ready means loaded: the board is there then (the check tells the type checker so).
    if (store.status !== "ready" || !board) return renderStatus();
    root.querySelector(".loading")?.remove();
    content.hidden = false;
    message.hidden = true;
    ui.title.textContent = board.title;
    document.title = `${board.title} · Retro`;
    ui.settings.hidden = !store.isOwner;
    ui.newVersion.hidden = !store.isOwner || older !== null;
    if (participation) {
      const { votesLeft, voteBudget } = participation;
      ui.budget.replaceChildren(
        h(
          "span",
          { class: "budget-dots", "aria-hidden": "true" },
          "●".repeat(votesLeft) + "○".repeat(Math.max(0, voteBudget - votesLeft)),
        ),
        h("span", { textContent: `${votesLeft} of ${voteBudget} votes left` }),
      );
    }
    ui.budget.hidden = older !== null;
    if (what !== "notes" && what !== "participation") versions.render();
    if (what !== "notes") meeting.render();
    columns.render();
    trend.render(what);
  };

  const renderStatus = () => {
    root.querySelector(".loading")?.remove();
    content.hidden = true;
    message.hidden = false;
    const home = h("a", { href: "#/", class: "button button--primary" }, "Go to the start page");
    if (store.status === "missing") {
      forgetBoard(boardId);
      document.title = "Board not found · Retro";
      message.replaceChildren(
        h("h1", {}, "This board doesn't exist"),
        h(
          "p",
          {},
          "Check the link, or ask for a new one. Boards that were deleted are gone for good.",
        ),
        home,
      );
    } else if (store.status === "deleted") {
      forgetBoard(boardId);
      document.title = "Board deleted · Retro";
      message.replaceChildren(
        h("h1", {}, "This board was deleted"),
        h("p", {}, "Its owner deleted it with all its versions and notes."),
        home,
      );
    }
  };

  // Wiring ----------------------------------------------------------------------------------
  store.addEventListener("change", (event) => {
    const { what } = /** @type {CustomEvent<{what: Change}>} */ (event).detail;
    render(what);
    if (store.status === "ready" && store.board && what === "board") {
      rememberBoard(boardId, store.board.title);
    }
  });
  store.addEventListener("problem", (event) =>
    showError(/** @type {CustomEvent} */ (event).detail),
  );

  /** @param {"added"|"updated"|"deleted"} kind @returns {(data: any) => void} */
  const bump = (kind) => (data) => {
    const note = Object.values(data)[0];
    if (note) store.applyNote(kind, note);
  };
  const subscriptions = [
    realtime.subscribe(ops.ON_NOTE_ADDED, { boardId }, bump("added")),
    realtime.subscribe(ops.ON_NOTE_UPDATED, { boardId }, bump("updated")),
    realtime.subscribe(ops.ON_NOTE_DELETED, { boardId }, bump("deleted")),
    realtime.subscribe(ops.ON_BOARD_UPDATED, { id: boardId }, (data) =>
      store.applyBoard(data.onBoardUpdated),
    ),
    realtime.subscribe(ops.ON_BOARD_DELETED, { id: boardId }, () => store.markDeleted()),
    realtime.subscribe(ops.ON_GROUP_CHANGED, { boardId }, (data) => {
      if (data.onGroupChanged) store.applyGroup(data.onGroupChanged);
    }),
    realtime.subscribe(ops.ON_VERSION_STARTED, { boardId }, (data) => {
      const version = data.onVersionStarted;
      const name = version.title ? `: ${version.title}` : "";
      announce(`Version ${version.number}${name} started. Open action items were carried over.`);
      toast(`Version ${version.number}${name} started.`);
      store.load().catch(showError);
    }),
    // The timer counts from when the event arrived, not from when it is applied.
    realtime.subscribe(ops.ON_VERSION_CHANGED, { boardId }, (data) =>
      store.applyVersion(data.onVersionChanged, now()),
    ),
  ];
  // Every (re)connect may have missed events: once all subscriptions are acknowledged, load
  // the board again, so nothing is missed between the first load and the subscriptions.
  const onSynced = () => store.load().catch(showError);
  realtime.addEventListener("synced", onSynced);

  ui.settings.addEventListener("click", () =>
    openSettings(store, {
      onDeleted: () => {
        toast("Board deleted.");
        navigate("#/");
      },
    }),
  );
  ui.newVersion.addEventListener("click", () => openNewVersion(store));
  ui.copy.addEventListener("click", () => copyLink(boardId, ui.copy));
  for (const button of exportButtons) {
    button.addEventListener("click", async () => {
      const number = store.older?.number ?? store.live?.number;
      if (number === undefined) return; // not loaded: the buttons are hidden until it is
      const format = /** @type {ExportFormat} */ (button.dataset.format);
      button.disabled = true;
      try {
        const file = await store.exportVersion(number, format);
        const name = download(file.text, `${slug(file.title)}-v${number}`, format);
        toast(`Downloaded ${name}.`);
      } catch (error) {
        showError(error);
      } finally {
        button.disabled = false;
      }
    });
  }

  const firstLoad = () =>
    store
      .load()
      .then(() => (route.number === null ? null : store.showVersion(route.number)))
      .catch((error) => (store.status === "loading" ? renderFailure(error) : showError(error)));
  /** @param {unknown} error */
  const renderFailure = (error) => {
    root.querySelector(".loading")?.remove();
    message.hidden = false;
    const retry = h("button", { type: "button", class: "button button--primary" }, "Try again");
    retry.addEventListener("click", () => {
      message.hidden = true;
      firstLoad();
    });
    message.replaceChildren(
      h("h1", {}, "The board could not be loaded"),
      h("p", { textContent: error instanceof Error ? error.message : String(error) }),
      retry,
    );
  };
  firstLoad();

  return {
    /**
     * The same board at another version switches in place.
     * @param {import("../app.js").Route} next
     */
    show(next) {
      if (next.name !== "board" || next.boardId !== boardId) return false;
      store.showVersion(next.number).catch(showError);
      return true;
    },
    unmount() {
      for (const id of subscriptions) realtime.unsubscribe(id);
      realtime.removeEventListener("synced", onSynced);
      connection.destroy();
      meeting.destroy();
    },
  };
}

/** @param {string} boardId @param {HTMLButtonElement} button */
async function copyLink(boardId, button) {
  const url = new URL(`#/board/${encodeURIComponent(boardId)}`, location.href).href;
  try {
    await navigator.clipboard.writeText(url);
  } catch {
    // No clipboard permission (e.g. an embedded browser): select the link for a manual copy.
    window.prompt("Copy this link:", url);
    return;
  }
  button.textContent = "Link copied";
  toast("Board link copied. Share it with your team.");
  setTimeout(() => {
    button.textContent = "Copy link";
  }, 2000);
}
