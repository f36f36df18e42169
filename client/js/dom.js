// @ts-check
// Small DOM helpers. The client builds every element with `h`, which never parses HTML: text
// children become Text nodes, and user text goes in through `textContent` or `value` only.

const ATTRIBUTES = new Set(["for", "role", "form", "list", "inputmode", "autocomplete"]);

/**
 * Creates an element. Props: `class`, `dataset`, `aria-*` and a few attributes; anything else
 * is set as a property (`textContent`, `value`, `type`, `hidden`...).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, any>} [props]
 * @param {...(Node|string|null|undefined|false)} children strings become Text nodes
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") element.className = value;
    else if (key === "dataset") Object.assign(element.dataset, value);
    else if (key.startsWith("aria-") || ATTRIBUTES.has(key)) {
      element.setAttribute(key, value === true ? "true" : String(value));
    } else if (/html/i.test(key)) throw new Error(`h(): refusing to set ${key}`);
    else Object.assign(element, { [key]: value });
  }
  element.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return element;
}

/**
 * Finds the element carrying `data-retro="<name>"` inside `root`; it must be there.
 * @param {ParentNode} root
 * @param {string} name
 * @returns {HTMLElement}
 */
export function hook(root, name) {
  const found = hookIfAny(root, name);
  // A missing hook means a view and the markup it expects disagree: say which.
  if (!found) throw new Error(`hook(): no element with data-retro="${name}"`);
  return found;
}

/**
 * The same for an element that may be absent (e.g. the editor of a card not being edited).
 * @param {ParentNode} root
 * @param {string} name
 * @returns {HTMLElement | null}
 */
export function hookIfAny(root, name) {
  return root.querySelector(`[data-retro="${name}"]`);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const day = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

/** @param {string} iso @returns {string} e.g. "3 Mar 2025, 14:05" */
export function formatDate(iso) {
  return dateTime.format(new Date(iso));
}

/** @param {string} iso @returns {string} e.g. "3 Mar 2025" */
export function formatDay(iso) {
  return day.format(new Date(iso));
}

/** @param {string} iso @returns {string} e.g. "5 minutes ago", "yesterday" */
export function formatAgo(iso) {
  const seconds = (new Date(iso).getTime() - Date.now()) / 1000;
  /** @type {[number, Intl.RelativeTimeFormatUnit][]} */
  const steps = [
    [60, "second"],
    [60, "minute"],
    [24, "hour"],
    [7, "day"],
    [4.35, "week"],
    [12, "month"],
    [Number.POSITIVE_INFINITY, "year"],
  ];
  let value = seconds;
  for (const [size, unit] of steps) {
    if (Math.abs(value) < size) {
      return Math.abs(value) < 45 && unit === "second"
        ? "just now"
        : relative.format(Math.round(value), unit);
    }
    value /= size;
  }
  return formatDate(iso);
}

/**
 * A stable, readable file name part: "Team Alpha / Sprint 3" → "team-alpha-sprint-3".
 * @param {string} text
 * @returns {string}
 */
export function slug(text) {
  const base = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
  return (
    base
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 60) || "board"
  );
}
