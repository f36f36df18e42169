// @ts-check
// A small disclosure menu on a card ("Move to…", "Group with…"): a button that opens a short
// list of buttons. A list of buttons rather than a <select>: a closed select changes on each
// arrow key, which would act at every key press. Arrows or Tab walk the choices; Escape closes
// and gives the focus back; tabbing or clicking away closes it.

import { h } from "../dom.js";

/**
 * @typedef {{key: string, label: string, run: () => void}} MenuItem
 * @typedef {{element: HTMLElement, update: (items: MenuItem[]) => void, focus: () => void}}
 *   Menu
 */

let menus = 0;

/**
 * @param {string} label the button's text, e.g. "Move to…"
 * @param {string} hookName its data-retro name
 * @param {Record<string, string>} described aria-describedby of the card's text
 * @returns {Menu}
 */
export function createMenu(label, hookName, described) {
  const listId = `card-menu-${++menus}`;
  const toggle = h("button", {
    type: "button",
    class: "link-btn",
    "aria-expanded": "false",
    "aria-controls": listId,
    dataset: { retro: hookName },
    textContent: label,
    ...described,
  });
  const list = h("ul", { id: listId, class: "card-menu", hidden: true });
  const element = h("div", { class: "card-menu-box", hidden: true }, toggle, list);
  /** @type {MenuItem[]} */
  let items = [];
  let shown = "";

  // The choices are built only while the list is open: a closed menu's labels (which may quote
  // other notes) must not read as part of the card's text.
  const fill = () => {
    const key = JSON.stringify(items.map((item) => [item.key, item.label]));
    if (key === shown) return;
    shown = key;
    const focusedAt = [...list.querySelectorAll("button")].indexOf(
      /** @type {HTMLButtonElement} */ (document.activeElement),
    );
    list.replaceChildren(
      ...items.map(({ label: text, run }) => {
        const button = h("button", { type: "button", class: "link-btn", textContent: text });
        button.addEventListener("click", () => {
          show(false);
          run();
        });
        return h("li", {}, button);
      }),
    );
    if (focusedAt >= 0) {
      const buttons = list.querySelectorAll("button");
      (buttons[Math.min(focusedAt, buttons.length - 1)] ?? toggle).focus();
    }
  };

  /** @param {boolean} open @param {boolean} [refocus] */
  const show = (open, refocus = false) => {
    list.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    if (open) {
      fill();
      /** @type {HTMLElement | null} */ (list.querySelector("button"))?.focus();
    } else {
      list.replaceChildren();
      shown = "";
      if (refocus) toggle.focus();
    }
  };
  toggle.addEventListener("click", () => show(Boolean(list.hidden)));
  element.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      show(false, true);
      return;
    }
    // Arrows walk the choices as in a menu; Tab does too, as in any list of buttons.
    const buttons = [...list.querySelectorAll("button")];
    const at = buttons.indexOf(/** @type {HTMLButtonElement} */ (document.activeElement));
    const next = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: buttons.length - 1 }[
      event.key
    ];
    if (next === undefined || buttons.length === 0) return;
    event.preventDefault();
    buttons[(next + buttons.length) % buttons.length].focus();
  });
  element.addEventListener("focusout", (event) => {
    const next = /** @type {Node | null} */ (event.relatedTarget);
    if (!next || !element.contains(next)) show(false);
  });

  /** @param {MenuItem[]} next */
  const update = (next) => {
    items = next;
    element.hidden = next.length === 0;
    if (next.length === 0) show(false);
    // An open menu follows the changes, keeping its focus while others type.
    else if (!list.hidden) fill();
  };
  return { element, update, focus: () => toggle.focus() };
}
