// @ts-check
// Groups of notes within a column: a titled box holding its cards and the sum of their votes.
// Anyone on the board groups (drag a card onto another, or "Group with…" on the card), renames
// a group and takes a card back out ("Take out of group"); all of it live for everyone.
// Grouping reveals nothing of who wrote what: a group has a title and notes, no author.
//
// Which notes are in a group is each note's `groupId` (the store keeps it up to date); the
// column's cards arrive here in their order, and `arrange` answers the column's top-level
// items: loose cards and group boxes, a group standing where its first card stands, or, with
// "most votes first", ranked by its sum.

import { h, hook } from "../dom.js";
import { ApiError } from "../errors.js";
import { MAX_TITLE } from "../limits.js";
import { announce, showError } from "../notify.js";
import { dropTarget } from "./drag.js";
import { createMenu } from "./menu.js";
import { editInline } from "./inline-edit.js";

/**
 * @typedef {import("../operations.js").Note} Note
 * @typedef {import("../operations.js").NoteGroup} NoteGroup
 * @typedef {import("./note.js").Card} Card
 * @typedef {import("../store.js").BoardStore} BoardStore
 * @typedef {{groups: Map<string, NoteGroup>, readOnly: boolean, byVotes: boolean,
 *   canGroup: boolean, showVotes: boolean}} View how one column is shown now: its version's
 *   groups, and whether grouping is open (the live version, texts not hidden)
 * @typedef {{element: HTMLLIElement, title: HTMLElement, votes: HTMLElement,
 *   rename: HTMLButtonElement, list: HTMLOListElement, group: NoteGroup, canGroup: boolean,
 *   renaming: boolean}} Box
 * @typedef {{menu: import("./menu.js").Menu, out: HTMLButtonElement, canGroup: boolean,
 *   peers: Card[]}} CardTools
 */

const EXCERPT = 40;

/**
 * @param {BoardStore} store
 */
export function createGroups(store) {
  /** @type {Map<string, Box>} group boxes by version and group id */
  const boxes = new Map();
  /** @type {Set<string>} boxes used by the render under way */
  const used = new Set();
  /** @type {WeakMap<Card, CardTools>} */
  const tools = new WeakMap();

  /**
   * Puts `note` with `target`: into its group, or with it into a new group named after it.
   * A note in another group leaves that one first (the server takes a note in one group only).
   * @param {Note} dragged
   * @param {Note} onto
   */
  const join = async (dragged, onto) => {
    const note = store.notes.get(dragged.id) ?? dragged;
    const target = store.notes.get(onto.id) ?? onto;
    const group = target.groupId ? store.groups.get(target.groupId) : undefined;
    if (group) return addTo(note, group);
    try {
      if (note.groupId) await store.ungroupNote(note.id);
      const title = excerpt(store.textOf(target) ?? "Group");
      await store.groupNotes([target.id, note.id], { title });
      announce(`Grouped under “${title}”.`);
      focusIn(note, "take-out");
    } catch (error) {
      // The target was grouped meanwhile (e.g. a drop on a card whose grouping was on its
      // way): the server refuses a second group for it; join the one it is in now.
      const now = store.notes.get(target.id);
      const since = now?.groupId ? store.groups.get(now.groupId) : undefined;
      if (error instanceof ApiError && error.meaning === "conflict" && since) {
        return addTo(note, since);
      }
      showError(error);
    }
  };

  /** @param {Note} dragged @param {NoteGroup} group */
  const addTo = async (dragged, group) => {
    const note = store.notes.get(dragged.id) ?? dragged;
    if (note.groupId === group.id) return;
    try {
      if (note.groupId) await store.ungroupNote(note.id);
      await store.groupNotes([note.id], { groupId: group.id });
      announce(`Added to the group “${group.title ?? ""}”.`);
      focusIn(note, "take-out");
    } catch (error) {
      showError(error);
    }
  };

  /**
   * After a change re-placed a card, gives the focus to one of its controls.
   * @param {Note} note
   * @param {string} name
   */
  const focusIn = (note, name) => {
    const card = document.querySelector(`.note[data-note-id="${CSS.escape(note.id)}"]`);
    const control = card?.querySelector(`[data-retro="${name}"]`);
    if (control instanceof HTMLElement) control.focus();
  };

  /**
   * @param {Card} card
   * @returns {CardTools}
   */
  const toolsFor = (card) => {
    const known = tools.get(card);
    if (known) return known;
    const described = { "aria-describedby": `note-${card.note.id}` };
    const menu = createMenu("Group with…", "group-with", described);
    const out = h("button", {
      type: "button",
      class: "link-btn",
      dataset: { retro: "take-out" },
      textContent: "Take out of group",
      ...described,
    });
    out.addEventListener("click", () => {
      const note = card.note;
      store.ungroupNote(note.id).then(() => {
        announce("Taken out of the group.");
        focusIn(note, "group-with");
      }, showError);
    });
    hook(card, "own").before(h("div", { class: "group-actions" }, menu.element, out));
    /** @type {CardTools} */
    const made = { menu, out, canGroup: false, peers: [] };
    dropTarget(card, {
      accepts: (note) =>
        made.canGroup &&
        note.id !== card.note.id &&
        note.column === card.note.column &&
        !(note.groupId && note.groupId === card.note.groupId),
      onDrop: (note) => join(note, card.note),
    });
    tools.set(card, made);
    return made;
  };

  /**
   * @param {NoteGroup} group
   * @returns {Box}
   */
  const boxFor = (group) => {
    const key = `${group.versionId}:${group.id}`;
    used.add(key);
    const known = boxes.get(key);
    if (known) {
      known.group = group;
      return known;
    }
    const titleId = `group-${group.id}`;
    const title = h("h3", { class: "group-title", id: titleId });
    const votes = h("span", { class: "group-votes", dataset: { retro: "group-votes" } });
    const rename = h("button", {
      type: "button",
      class: "link-btn",
      dataset: { retro: "rename-group" },
      textContent: "Rename",
      "aria-describedby": titleId,
    });
    const list = h("ol", { class: "notes group-notes", "aria-labelledby": titleId });
    const element = h(
      "li",
      { class: "group", dataset: { groupId: group.id } },
      h("div", { class: "group-head" }, title, votes, rename),
      list,
    );
    /** @type {Box} */
    const box = { element, title, votes, rename, list, group, canGroup: false, renaming: false };
    rename.addEventListener("click", () => startRenaming(box, store));
    dropTarget(element, {
      accepts: (note) =>
        box.canGroup && note.column === box.group.column && note.groupId !== box.group.id,
      onDrop: (note) => addTo(note, box.group),
    });
    boxes.set(key, box);
    return box;
  };

  /**
   * The column's top-level items for its cards (in their order), with each card's grouping
   * controls brought up to date.
   * @param {Card[]} cards
   * @param {View} view
   * @returns {Element[]}
   */
  const arrange = (cards, view) => {
    /** @type {{element: Element, votes: number, cards?: Card[], group?: NoteGroup}[]} */
    const items = [];
    /** @type {Map<string, {element: Element, votes: number, cards?: Card[]}>} */
    const byGroup = new Map();
    for (const card of cards) {
      const group = card.note.groupId ? view.groups.get(card.note.groupId) : undefined;
      if (!group) {
        items.push({ element: card, votes: card.note.votes ?? 0 });
        continue;
      }
      const item = byGroup.get(group.id);
      if (item) {
        item.cards?.push(card);
        continue;
      }
      const made = { element: card, votes: 0, cards: [card], group };
      byGroup.set(group.id, made);
      items.push(made);
    }
    for (const item of items) {
      if (!item.group || !item.cards) continue;
      const box = boxFor(item.group);
      const sum = sumOf(item.cards);
      item.element = box.element;
      item.votes = sum ?? 0;
      updateBox(box, item.cards, sum, view);
    }
    if (view.byVotes) items.sort((a, b) => b.votes - a.votes);
    for (const card of cards) updateTools(card, cards, view);
    return items.map((item) => item.element);
  };

  /**
   * @param {Box} box
   * @param {Card[]} cards
   * @param {number | null} sum
   * @param {View} view
   */
  const updateBox = (box, cards, sum, view) => {
    box.canGroup = view.canGroup;
    if (!box.renaming) box.title.textContent = box.group.title ?? "Group (title hidden)";
    box.rename.hidden = !view.canGroup || box.renaming;
    box.votes.hidden = !view.showVotes;
    // A secret ballot sends no counts: say when they show instead of a bare "?".
    box.votes.textContent =
      sum === null ? "Votes secret until Discuss" : `${sum} ${sum === 1 ? "vote" : "votes"} in all`;
    placeInOrder(box.list, cards);
  };

  /**
   * @param {Card} card
   * @param {Card[]} peers the cards of its column
   * @param {View} view
   */
  const updateTools = (card, peers, view) => {
    const made = toolsFor(card);
    const open = view.canGroup && card.text !== null;
    made.canGroup = open;
    const note = card.note;
    made.out.hidden = !open || !note.groupId || !view.groups.has(note.groupId);
    /** @type {Set<string>} */
    const offered = new Set();
    /** @type {(import("./menu.js").MenuItem & {group?: boolean})[]} */
    const items = [];
    if (open) {
      for (const peer of peers) {
        if (peer === card || peer.text === null) continue;
        const group = peer.note.groupId ? view.groups.get(peer.note.groupId) : undefined;
        if (group) {
          if (group.id === note.groupId || offered.has(group.id)) continue;
          offered.add(group.id);
          items.push({
            group: true,
            key: group.id,
            label: `Add to group “${group.title ?? ""}”`,
            run: () => addTo(card.note, group),
          });
        } else {
          const target = peer.note;
          items.push({
            key: target.id,
            label: `Group with “${excerpt(peer.text)}”`,
            run: () => join(card.note, target),
          });
        }
      }
    }
    // Existing groups first: adding to one is the usual choice once a few exist.
    made.menu.update([...items.filter((item) => item.group), ...items.filter((i) => !i.group)]);
    if (open && !card.editing) card.draggable = true;
  };

  /** Forgets the boxes the last render did not use. */
  const sweep = () => {
    for (const [key, box] of boxes) {
      if (!used.has(key)) {
        box.element.remove();
        boxes.delete(key);
      }
    }
    used.clear();
  };

  return { arrange, sweep };
}

/**
 * @param {Card[]} cards
 * @returns {number | null} the sum of their votes; null while the ballot is secret
 */
function sumOf(cards) {
  let sum = 0;
  for (const { note } of cards) {
    if (note.votes === null) return null;
    sum += note.votes;
  }
  return sum;
}

/** @param {string} text @returns {string} its first line, short enough for a label or title */
export function excerpt(text) {
  const line = text.trim().split("\n")[0].trim();
  return line.length > EXCERPT ? `${line.slice(0, EXCERPT - 1)}…` : line;
}

/**
 * Renames a group in place: Enter (or Save) renames, Escape cancels.
 * @param {Box} box
 * @param {BoardStore} store
 */
function startRenaming(box, store) {
  if (box.renaming) return;
  box.renaming = true;
  box.title.hidden = true;
  box.rename.hidden = true;
  editInline({
    id: `group-title-${box.group.id}`,
    className: "group-rename",
    inputClass: "group-title-input",
    label: "Group title",
    labelHidden: true,
    value: box.group.title ?? "",
    maxLength: MAX_TITLE,
    selectAll: true,
    problem: (title) => (title ? "" : "A group needs a title."),
    place: (form) => box.title.after(form),
    save: (title) => store.renameGroup(box.group.id, title),
    close: () => {
      box.renaming = false;
      box.title.hidden = false;
      box.title.textContent = box.group.title ?? "";
      box.rename.hidden = false;
      box.rename.focus();
    },
  });
}

/**
 * Makes `list`'s children equal `ordered`, moving as few nodes as possible (focus survives).
 * @param {HTMLElement} list
 * @param {Element[]} ordered
 */
export function placeInOrder(list, ordered) {
  const keep = new Set(ordered);
  for (const child of [...list.children]) if (!keep.has(child)) child.remove();
  /** @type {Element | null} */
  let cursor = list.firstElementChild;
  for (const card of ordered) {
    if (card === cursor) cursor = cursor.nextElementSibling;
    else list.insertBefore(card, cursor);
  }
}
