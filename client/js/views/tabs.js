// @ts-check
// On a narrow screen the three columns are tabs: one column at a time, the others one tap
// away, so a phone participant writing in Actions never scrolls past every Good and Bad note.
// On a wide screen the tab bar is hidden and the columns stand side by side as before; the
// tab roles exist only while the tabs show (ARIA's tabs pattern: arrows, Home and End move
// between tabs). The chosen tab is kept for the browser tab's session. A tab whose column got
// someone else's note while another was shown wears a dot until it is chosen (`markFresh`).

import { h } from "../dom.js";

/**
 * @typedef {import("../operations.js").Column} Column
 * @typedef {{column: Column, name: string, headingId: string, element: HTMLElement}} Panel
 */

/** The width at which the columns become tabs: the same as the CSS's one-column breakpoint. */
export const NARROW = "(max-width: 820px)";
const KEY = "retro.tab";

/**
 * @param {Panel[]} panels the columns, in order
 * @param {HTMLElement} container the element holding the columns (gets data-tab)
 * @returns {{element: HTMLElement, setCounts: (counts: Map<Column, number>) => void,
 *   select: (column: Column) => void, markFresh: (column: Column) => void,
 *   destroy: () => void}}
 */
export function createTabs(panels, container) {
  const tabs = panels.map(({ column, name, element }) => {
    const tab = h(
      "button",
      {
        type: "button",
        class: "col-tab",
        id: `tab-${column.toLowerCase()}`,
        "aria-controls": element.id,
        dataset: { column, retro: `tab-${column}` },
      },
      h("span", { class: "col-tab-name" }, name),
      h("span", { class: "col-tab-count", dataset: { retro: "tab-count" } }),
      h("span", { class: "sr-only", dataset: { retro: "tab-noun" } }),
    );
    tab.addEventListener("click", () => select(column));
    return tab;
  });
  const element = h("div", { class: "col-tabs" }, ...tabs);
  const media = matchMedia(NARROW);

  /** @param {Column} column @param {boolean} [focus] */
  const select = (column, focus = false) => {
    container.dataset.tab = column;
    sessionStorage.setItem(KEY, column);
    for (const tab of tabs) {
      const chosen = tab.dataset.column === column;
      tab.setAttribute("aria-selected", String(chosen));
      tab.tabIndex = chosen ? 0 : -1;
      if (chosen) delete tab.dataset.fresh;
      if (chosen && focus) tab.focus();
    }
  };

  // The tab roles while the tabs show; plain sections side by side otherwise.
  const apply = () => {
    const narrow = media.matches;
    if (narrow) {
      element.setAttribute("role", "tablist");
      element.setAttribute("aria-label", "Columns");
    } else {
      element.removeAttribute("role");
      element.removeAttribute("aria-label");
    }
    for (const [index, tab] of tabs.entries()) {
      const panel = panels[index].element;
      if (narrow) {
        tab.setAttribute("role", "tab");
        panel.setAttribute("role", "tabpanel");
        panel.setAttribute("aria-labelledby", tab.id);
      } else {
        tab.removeAttribute("role");
        panel.removeAttribute("role");
        panel.setAttribute("aria-labelledby", panels[index].headingId);
      }
    }
  };

  element.addEventListener("keydown", (event) => {
    const index = tabs.findIndex((tab) => tab === document.activeElement);
    if (index < 0) return;
    const last = tabs.length - 1;
    /** @type {Record<string, number>} */
    const moves = {
      ArrowRight: index === last ? 0 : index + 1,
      ArrowLeft: index === 0 ? last : index - 1,
      Home: 0,
      End: last,
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    select(panels[moves[event.key]].column, true);
  });

  /** @param {Map<Column, number>} counts */
  const setCounts = (counts) => {
    for (const [index, tab] of tabs.entries()) {
      const count = counts.get(panels[index].column) ?? 0;
      const badge = /** @type {HTMLElement} */ (tab.querySelector('[data-retro="tab-count"]'));
      const noun = /** @type {HTMLElement} */ (tab.querySelector('[data-retro="tab-noun"]'));
      badge.textContent = String(count);
      noun.textContent = count === 1 ? " note" : " notes";
    }
  };

  /** @param {Column} column */
  const markFresh = (column) => {
    const tab = tabs.find((t) => t.dataset.column === column);
    if (tab && tab.getAttribute("aria-selected") !== "true") tab.dataset.fresh = "yes";
  };

  const saved = sessionStorage.getItem(KEY);
  const first = panels.find((panel) => panel.column === saved) ?? panels[0];
  select(first.column);
  apply();
  media.addEventListener("change", apply);
  const destroy = () => media.removeEventListener("change", apply);
  return { element, setCounts, select, markFresh, destroy };
}
