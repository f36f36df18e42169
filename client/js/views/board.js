// @ts-check
// The board page: header (title, votes left), the meeting (stage, timer, the owner's
// controls), toolbar (versions, owner controls, export, the board's link), the read-only
// banner for older versions, and the three columns. It connects the store to the realtime
// subscriptions and re-renders on every store change.
//
// On a phone the header stays small: the toolbar folds behind one "Versions, export, link"
// button, and the columns are tabs (tabs.js), so the column being written in is on screen.

import { now } from "../clock.js";
import { download } from "../download.js";
import { h, hook, slug } from "../dom.js";
import { ApiError } from "../errors.js";
import { announce, showError, toast } from "../notify.js";
import * as ops from "../operations.js";
import { forgetBoard, rememberBoard } from "../recent.js";
import { canVote } from "../stages.js";
import { BoardStore, COLUMNS } from "../store.js";
import { createArrivals } from "./arrivals.js";
import { createColumns } from "./columns.js";
import { connectionStatus } from "./connection.js";
import { openNewVersion, openSettings } from "./dialogs.js";
import { dropTarget } from "./drag.js";
import { createMeeting } from "./stage.js";
import { createTabs } from "./tabs.js";
import { createTrend } from "./trend.js";
import { versionSwitcher } from "./versions.js";

/**
 * @typedef {import("../store.js").Change} Change
 * @typedef {"MARKDOWN" | "CSV" | "JSON"} ExportFormat
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
  // After a move, the column the note went to is shown (tabs: created below, used later).
  const columns = createColumns(store, (column) => tabs.select(column));
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
      // On a phone only the gear shows (the name stays for screen readers): the title's row.
      h("span", { class: "settings-label" }, "Board settings"),
    ),
    copy: h("button", { type: "button", class: "button button--small" }, "Copy link"),
    // A first-time facilitator's empty board: nobody else is there until they share the link,
    // and on a phone "Copy link" is folded away. Gone once the board has notes.
    inviteCopy: h("button", { type: "button", class: "button button--small" }, "Copy the link"),
    budget: h("p", { class: "budget", dataset: { retro: "votes-left" } }),
    budgetNote: h("p", { class: "budget-note", dataset: { retro: "budget-note" }, hidden: true }),
    // On a phone, under the sticky column tabs while the header's count is scrolled away and
    // votes are open: a participant voting down a long column sees what is left (CSS shows
    // it). A copy of the header's count, which is the one screen readers read.
    barBudget: h("p", {
      class: "bar-budget",
      "aria-hidden": "true",
      dataset: { retro: "bar-budget" },
      hidden: true,
    }),
    // Shown on narrow screens only (CSS): the toolbar is folded behind it there.
    tools: h(
      "button",
      {
        type: "button",
        class: "button button--small tools-toggle",
        "aria-expanded": "false",
        "aria-controls": "board-tools",
      },
      "Versions, export, link",
    ),

    newVersion: h("button", { type: "button", class: "button", hidden: true }, "Start new version"),
    // The server refuses to export a version while it hides texts or counts: say when instead
    // of offering buttons that can only fail.
    exportClosed: h("span", { class: "hint", dataset: { retro: "export-closed" }, hidden: true }),
  };
  // The columns as tabs on a narrow screen: each column's section is a tab's panel.
  const sections = /** @type {HTMLElement[]} */ ([...columns.element.children]);
  const tabs = createTabs(
    COLUMNS.map((column, index) => {
      const element = sections[index];
      element.id = `panel-${column.toLowerCase()}`;
      const headingId = element.getAttribute("aria-labelledby") ?? "";
      const name = element.querySelector("h2")?.textContent ?? column;
      return { column, name, headingId, element };
    }),
    columns.element,
  );
  // On a phone a column's tab is all of it on screen: a note dropped on the tab goes there.
  for (const column of COLUMNS) {
    const tab = tabs.element.querySelector(`[data-column="${column}"]`);
    if (!(tab instanceof HTMLElement)) continue;
    dropTarget(tab, { ...columns.moveTarget(column), steady: true }); // sticky: no autoscroll
  }
  const arrivals = createArrivals(columns.element, store, tabs.markFresh);
  /** @type {ExportFormat[]} */
  const formats = ["MARKDOWN", "CSV", "JSON"];
  const exportButtons = formats.map((format) =>
    h(
      "button",
      { type: "button", class: "button button--small", dataset: { format } },
      h("span", { class: "icon", "aria-hidden": "true" }, "↓"),
      { MARKDOWN: "Markdown", CSV: "CSV", JSON: "JSON" }[format],
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
      h("div", { class: "head-actions" }, ui.budget, ui.tools),
      h(
        "p",
        { class: "invite", dataset: { retro: "invite" }, hidden: true },
        h("span", {}, "Your team joins with this board's link, no sign-up needed."),
        ui.inviteCopy,
      ),
      ui.budgetNote,
    ),
    meeting.element,
    h(
      "div",
      { class: "toolbar", id: "board-tools", dataset: { retro: "toolbar" } },
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
        ui.exportClosed,
      ),
      h("div", { class: "toolbar-group" }, ui.copy),
    ),
    trend.element,
    versions.banner,
    h("div", { class: "col-bar" }, tabs.element, ui.barBudget),
    columns.element,
    meeting.live,
  );
  // Whether the header's count of votes left is on screen: the bar's copy shows when it is not.
  const budgetSeen = new IntersectionObserver(([entry]) => {
    ui.barBudget.dataset.away = String(!entry.isIntersecting);
  });
  budgetSeen.observe(ui.budget);
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
    hook(content, "invite").hidden = !store.isOwner || older !== null || store.notes.size > 0;
    if (participation) renderBudget(participation);
    ui.budget.hidden = older !== null;
    const live = older ? null : store.live;
    const exportOpen = !live?.textsHidden && !live?.votesHidden;
    for (const button of exportButtons) button.hidden = !exportOpen;
    ui.exportClosed.hidden = exportOpen;
    ui.exportClosed.textContent = live?.textsHidden
      ? "opens after the reveal"
      : "opens when the counts are revealed";
    ui.barBudget.hidden = older !== null || !participation || !canVote(store.live?.stage ?? "FREE");
    ui.budgetNote.hidden ||= older !== null;
    if (what !== "notes" && what !== "participation") versions.render();
    if (what !== "notes") meeting.render();
    // A vote button that turns unavailable under the finger keeps the focus (see keepFocus).
    const focused = document.activeElement;
    columns.render();
    keepFocus(focused);
    trend.render(what);
    const notes = older ? older.notes : [...store.notes.values()];
    tabs.setCounts(new Map(COLUMNS.map((c) => [c, notes.filter((n) => n.column === c).length])));
    arrivals.see();
  };

  /** @param {import("../operations.js").Participation} participation */
  const renderBudget = ({ votesLeft, voteBudget, votesUsed }) => {
    ui.budget.replaceChildren(
      h(
        "span",
        { class: "budget-dots", "aria-hidden": "true" },
        "●".repeat(votesLeft) + "○".repeat(Math.max(0, voteBudget - votesLeft)),
      ),
      h("span", { textContent: `${votesLeft} of ${voteBudget} votes left` }),
    );
    ui.barBudget.textContent = `Votes left: ${votesLeft} of ${voteBudget}`;
    // The owner lowered the budget after this person voted: their votes stand, say why
    // none are left.
    const over = votesUsed - voteBudget;
    ui.budgetNote.hidden = over <= 0;
    const votes = votesUsed === 1 ? "vote" : "votes";
    ui.budgetNote.textContent =
      over <= 0
        ? ""
        : `You gave ${votesUsed} ${votes} before the owner set ${voteBudget} per person. ` +
          `They still count. To vote again, take back ${over + 1}.`;
  };

  /**
   * Chromium drops the focus to <body> when the focused button is disabled (the last vote
   * spent, the last vote taken back): a keyboard or screen-reader user would be thrown to the
   * top of the page. The focus moves to the nearest control of the same card instead.
   * @param {Element | null} focused what had the focus before the render
   */
  const keepFocus = (focused) => {
    if (!(focused instanceof HTMLButtonElement) || !focused.isConnected) return;
    const lost = document.activeElement === document.body || document.activeElement === focused;
    if (!focused.disabled || !lost) return;
    const card = focused.closest("li.note");
    const buttons = [...(card?.querySelectorAll("button") ?? [])];
    const next = buttons.find((button) => !button.disabled && button.checkVisibility());
    if (!next) return;
    next.focus({ preventScroll: true });
    if (focused.dataset.retro === "vote") announce("No votes left.");
  };

  const renderStatus = () => {
    root.querySelector(".loading")?.remove();
    content.hidden = true;
    message.hidden = false;
    // No board to be live with: "Live" beside "This board was deleted" said the opposite.
    connection.element.hidden = store.status === "missing" || store.status === "deleted";
    const home = h("a", { href: "#/", class: "button button--primary" }, "Go to the start page");
    if (store.status === "missing" && api.forgotten) {
      // The server refused, for good, the user it knew in this tab: it lost its data (a local
      // server restarted in memory), and this board with it. Say so, and what to do now.
      forgetBoard(boardId);
      document.title = "Board not on this server · Retro";
      const fresh = h("a", { href: "#/", class: "button button--primary" }, "Start a new board");
      message.replaceChildren(
        h("h1", {}, "The server no longer knows this board"),
        h(
          "p",
          {},
          "It no longer knows this browser either: it was probably restarted without its " +
            "data. You can go on as a new participant: start a new board, or open a link to " +
            "one the server has.",
        ),
        home,
        fresh,
      );
    } else if (store.status === "missing") {
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
  ui.copy.addEventListener("click", () => copyLink(boardId, ui.copy, "Copy link"));
  ui.inviteCopy.addEventListener("click", () =>
    copyLink(boardId, ui.inviteCopy, "Copy the link"),
  );
  ui.tools.addEventListener("click", () => {
    const open = ui.tools.getAttribute("aria-expanded") !== "true";
    ui.tools.setAttribute("aria-expanded", String(open));
  });
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

  /**
   * Shows version `number`. A link to a version the board does not have shows the live one,
   * and the address bar says so (replaced, not pushed: Back does not lead to the bad link).
   * @param {number | null} number
   */
  const showVersion = (number) =>
    store.showVersion(number).catch((error) => {
      // The store says "no such version" with a plain Error; the API's refusals are ApiErrors.
      if (!(error instanceof ApiError)) {
        history.replaceState(history.state, "", `#/board/${encodeURIComponent(boardId)}`);
        // What the address bar now says: the live version, also when a frozen one was shown.
        store.showVersion(null).catch(showError);
        versions.render();
      }
      throw error;
    });
  const firstLoad = () =>
    store
      .load()
      .then(() => (route.number === null ? null : showVersion(route.number)))
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
      showVersion(next.number).catch(showError);
      return true;
    },
    unmount() {
      for (const id of subscriptions) realtime.unsubscribe(id);
      realtime.removeEventListener("synced", onSynced);
      connection.destroy();
      meeting.destroy();
      tabs.destroy();
      budgetSeen.disconnect();
    },
  };
}

/**
 * @param {string} boardId
 * @param {HTMLButtonElement} button
 * @param {string} label the button's own words, back after "Link copied"
 */
async function copyLink(boardId, button, label) {
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
    button.textContent = label;
  }, 2000);
}
