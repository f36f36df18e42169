// @ts-check
// The version switcher and the read-only banner: every version of the board, newest first;
// choosing one changes the URL (`#/board/<id>/v/<n>`), so an older version can be linked.

import { formatDate, formatDay, h } from "../dom.js";

/**
 * @param {import("../store.js").BoardStore} store
 * @param {(hash: string) => void} navigate
 * @returns {{select: HTMLSelectElement, banner: HTMLElement, render: () => void}}
 */
export function versionSwitcher(store, navigate) {
  const select = h("select", { id: "version-select" });
  const banner = h("div", { class: "banner", role: "note", hidden: true });
  const boardPath = `#/board/${encodeURIComponent(store.boardId)}`;

  select.addEventListener("change", () => {
    const number = Number(select.value);
    navigate(number === store.live?.number ? boardPath : `${boardPath}/v/${number}`);
  });

  const render = () => {
    const { live, older } = store;
    if (!live) return; // rendered only once the board is loaded
    const shown = older?.number ?? live.number;
    const options = [...store.versions]
      .sort((a, b) => b.number - a.number)
      .map((v) => {
        const name = v.title ? ` — ${v.title}` : "";
        // Every version but the live one is frozen, so frozenAt is set.
        const frozenAt = /** @type {string} */ (v.frozenAt);
        const state = v.id === live.id ? " (live)" : `, frozen ${formatDay(frozenAt)}`;
        return h("option", {
          value: String(v.number),
          textContent: `Version ${v.number}${name}${state}`,
          selected: v.number === shown,
        });
      });
    select.replaceChildren(...options);
    banner.hidden = older === null;
    if (!older) return;
    const name = older.title ? ` (${older.title})` : "";
    const since = older.frozenAt ? ` since ${formatDate(older.frozenAt)}` : "";
    banner.replaceChildren(
      h("span", {
        textContent: `Version ${older.number}${name} is frozen${since}. You can read and export it; notes and votes are closed.`,
      }),
      h(
        "a",
        { href: boardPath, class: "button button--small" },
        `Back to live version ${live.number}`,
      ),
    );
  };
  return { select, banner, render };
}
