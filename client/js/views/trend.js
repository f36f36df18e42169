// @ts-check
// The trend across retros: for every version, its action items done and still open as a small
// bar chart (plain SVG: a few rectangles need no charting library), and every count the API
// keeps (notes per column, votes, actions opened, carried, done, open, the oldest open
// action's age) as a table, which is also what screen readers read. One request (`trend`)
// fills both; it is asked again while the panel is open and the board changes.

import { h } from "../dom.js";
import { showError } from "../notify.js";

/**
 * @typedef {import("../operations.js").VersionTrend} VersionTrend
 * @typedef {import("../store.js").Change} Change
 */

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 480;
const HEIGHT = 180;
const PAD = { top: 16, right: 12, bottom: 28, left: 32 };
/** The room a version's label ("v12") takes on the axis. */
const LABEL_WIDTH = 30;
/** A burst of changes (votes streaming in) asks for the trend once. */
const SETTLE_MS = 600;

/**
 * @param {import("../store.js").BoardStore} store
 * @returns {{button: HTMLButtonElement, element: HTMLElement, render: (what: Change) => void}}
 */
export function createTrend(store) {
  const headingId = "trend-heading";
  const element = h("section", {
    class: "trend",
    id: "trend-panel",
    "aria-labelledby": headingId,
    hidden: true,
  });
  const button = h("button", {
    type: "button",
    class: "button button--small",
    "aria-expanded": "false",
    "aria-controls": "trend-panel",
    dataset: { retro: "trend" },
    textContent: "Trend",
  });
  const heading = h("h2", { id: headingId }, "Trend across retros");
  const status = h("p", { class: "hint", role: "status" });
  const chart = h("div", { class: "trend-chart" });
  const table = createScroller();
  element.append(heading, status, chart, table.element);
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let asked = 0;
  // Opened by the button: once drawn, the panel is brought on screen (on a phone it opens
  // below the unfolded toolbar, out of sight); live redraws never move the page.
  let bringIntoView = false;

  const load = async () => {
    const sequence = ++asked;
    try {
      const versions = await store.trend();
      if (sequence !== asked || element.hidden) return; // a newer answer is on its way
      status.textContent =
        versions.length === 1
          ? "One version so far: the trend grows with every retro."
          : `${versions.length} versions, oldest first.`;
      chart.replaceChildren(drawChart(versions));
      table.show(drawTable(versions));
      if (bringIntoView) element.scrollIntoView({ block: "nearest" });
      bringIntoView = false;
    } catch (error) {
      if (sequence === asked) status.textContent = "The trend could not be loaded.";
      showError(error);
    }
  };

  button.addEventListener("click", () => {
    const open = element.hidden;
    element.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) {
      status.textContent = "Loading the trend…";
      bringIntoView = true;
      load();
    }
  });

  /** @param {Change} what */
  const render = (what) => {
    button.hidden = store.status !== "ready";
    if (element.hidden || what === "view" || what === "status" || what === "participation") {
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(load, SETTLE_MS);
  };
  return { button, element, render };
}

/**
 * @template {keyof SVGElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | number>} attributes
 * @param {...(Node | string)} children
 * @returns {SVGElementTagNameMap[K]}
 */
function svg(tag, attributes, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, String(value));
  }
  element.append(...children);
  return element;
}

/**
 * Stacked bars, one per version: actions done (below) and still open (above).
 * @param {VersionTrend[]} versions
 * @returns {Element}
 */
function drawChart(versions) {
  const top = Math.max(1, ...versions.map((v) => v.actionsDone + v.actionsOpen));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotWidth / Math.max(versions.length, 1);
  const barWidth = Math.max(2, Math.min(40, slot * 0.6));
  // A long history labels every n-th version only, so that the labels never overlap.
  const labelEvery = Math.ceil(LABEL_WIDTH / slot);
  /** @param {number} value */
  const y = (value) => PAD.top + plotHeight - (value / top) * plotHeight;
  const done = versions.reduce((sum, v) => sum + v.actionsDone, 0);
  const last = versions[versions.length - 1];
  const summary =
    `Action items per version, done and still open: ${done} done in all; ` +
    `${last?.actionsOpen ?? 0} open in the latest version. Every count is in the table below.`;
  const chart = svg("svg", {
    class: "trend-svg",
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: "img",
    "aria-label": summary,
    "data-retro": "trend-chart",
  });
  // The scale: zero and the top, with a faint line at each.
  for (const value of [0, top]) {
    chart.append(
      svg("line", {
        class: "trend-grid",
        x1: PAD.left,
        x2: WIDTH - PAD.right,
        y1: y(value),
        y2: y(value),
      }),
      svg(
        "text",
        { class: "trend-axis", x: PAD.left - 6, y: y(value) + 4, "text-anchor": "end" },
        String(value),
      ),
    );
  }
  versions.forEach((version, index) => {
    const x = PAD.left + slot * index + (slot - barWidth) / 2;
    const doneTop = y(version.actionsDone);
    const openTop = y(version.actionsDone + version.actionsOpen);
    chart.append(
      svg("rect", {
        class: "trend-done",
        x,
        y: doneTop,
        width: barWidth,
        height: y(0) - doneTop,
      }),
      svg("rect", {
        class: "trend-open",
        x,
        y: openTop,
        width: barWidth,
        height: doneTop - openTop,
      }),
    );
    if (index % labelEvery !== 0) return;
    chart.append(
      svg(
        "text",
        { class: "trend-axis", x: x + barWidth / 2, y: HEIGHT - 10, "text-anchor": "middle" },
        `v${version.number}`,
      ),
    );
  });
  const legend = h(
    "p",
    { class: "trend-legend", "aria-hidden": "true" },
    h("span", { class: "trend-key trend-key--done" }),
    "Done ",
    h("span", { class: "trend-key trend-key--open" }),
    "Still open",
  );
  return h("figure", { class: "trend-figure" }, chart, legend);
}

const CAPTION_ID = "trend-caption";

/** The table's columns: heading, and how a version's row reads. */
/** @type {[string, (v: VersionTrend) => string][]} */
const COLUMNS = [
  ["Good notes", (v) => String(v.goodNotes)],
  ["Bad notes", (v) => String(v.badNotes)],
  ["Actions", (v) => String(v.actionNotes)],
  ["Votes cast", (v) => (v.votesCast === null ? "secret" : String(v.votesCast))],
  ["Actions opened", (v) => String(v.actionsOpened)],
  ["Carried in", (v) => String(v.actionsCarried)],
  ["Done", (v) => String(v.actionsDone)],
  ["Still open", (v) => String(v.actionsOpen)],
  [
    "Oldest open action",
    (v) => {
      const age = v.oldestOpenActionAge;
      if (age === null) return "none open";
      if (age === 0) return "new";
      return `${age} ${age === 1 ? "retro" : "retros"}`;
    },
  ],
];

/**
 * @param {VersionTrend[]} versions
 * @returns {HTMLTableElement}
 */
function drawTable(versions) {
  return h(
    "table",
    { dataset: { retro: "trend-table" } },
    h("caption", { id: CAPTION_ID }, "Counts per version"),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "Version"),
        ...COLUMNS.map(([name]) => h("th", { scope: "col" }, name)),
      ),
    ),
    h(
      "tbody",
      {},
      ...versions.map((version) =>
        h(
          "tr",
          {},
          h("th", {
            scope: "row",
            textContent: `${version.number}${version.title ? ` — ${version.title}` : ""}${
              version.frozenAt ? "" : " (live)"
            }`,
          }),
          ...COLUMNS.map(([, read]) => h("td", {}, read(version))),
        ),
      ),
    ),
  );
}

/**
 * Where the table stands. Wide on a phone, it scrolls sideways, and a keyboard can scroll it too
 * (a focusable region, named by the table's caption). That it does is shown, not left to be
 * discovered: a line says so while any column is out of sight, the edge with more fades, and
 * the versions stay in sight as the counts scroll under them (CSS). Made once: a live redraw
 * replaces the table only, so the focus and the scroll position stay where the reader left them.
 * @returns {{element: HTMLElement, show: (table: HTMLTableElement) => void}}
 */
function createScroller() {
  const hintId = "trend-scroll-hint";
  const hint = h(
    "p",
    { class: "hint table-hint", id: hintId, hidden: true, dataset: { retro: "trend-scroll-hint" } },
    "Scroll sideways to see every count",
    h("span", { "aria-hidden": "true" }, " →"),
  );
  const region = h("div", {
    class: "table-scroll",
    tabIndex: 0,
    role: "region",
    "aria-labelledby": CAPTION_ID,
    "aria-describedby": hintId,
    dataset: { retro: "trend-scroll" },
  });
  const frame = h("div", { class: "table-frame", dataset: { more: "" } }, region);
  const update = () => {
    const hidden = region.scrollWidth - region.clientWidth;
    const more = [];
    if (region.scrollLeft > 1) more.push("left");
    if (region.scrollLeft < hidden - 1) more.push("right");
    frame.dataset.more = more.join(" ");
    hint.hidden = hidden <= 1;
  };
  region.addEventListener("scroll", update, { passive: true });
  new ResizeObserver(update).observe(region);
  // Nothing to focus before there is a table: shown with the first one.
  const element = h("div", { class: "trend-table", hidden: true }, hint, frame);
  /** @param {HTMLTableElement} table */
  const show = (table) => {
    region.replaceChildren(table);
    element.hidden = false;
    update();
  };
  return { element, show };
}
