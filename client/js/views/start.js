// @ts-check
// The start page: create a board and land on it, open one from a link, find my boards again.

import { formatAgo, h } from "../dom.js";
import { DEFAULT_VOTE_BUDGET, MAX_TITLE, MAX_VOTE_BUDGET, MIN_VOTE_BUDGET } from "../limits.js";
import { showError } from "../notify.js";
import { CREATE_BOARD, MY_BOARDS } from "../operations.js";
import { recentBoards } from "../recent.js";

/** @param {string} input a board link (any URL with #/board/<id>) or a bare id */
function boardIdFrom(input) {
  const text = input.trim();
  const match = /#\/board\/([^/?#\s]+)/.exec(text);
  if (match) return decodeURIComponent(match[1]);
  return /^[\w-]+$/.test(text) ? text : null;
}

/**
 * @param {{id: string, title: string}} board
 * @param {string} meta e.g. "updated 5 minutes ago"
 */
function boardLink(board, meta) {
  return h(
    "li",
    { class: "board-link" },
    h("a", {
      href: `#/board/${encodeURIComponent(board.id)}`,
      textContent: board.title || "Untitled",
    }),
    h("span", { class: "muted", textContent: meta }),
  );
}

/**
 * @param {HTMLElement} root
 * @param {import("../app.js").StartRoute} _route
 * @param {import("../app.js").Context} context
 * @returns {import("../app.js").View}
 */
export function mountStart(root, _route, { api, navigate }) {
  document.title = "Retro";
  const title = h("input", {
    id: "new-title",
    name: "title",
    required: true,
    maxLength: MAX_TITLE,
    autocomplete: "off",
    placeholder: "e.g. Team Falcon retro",
  });
  const budget = h("input", {
    id: "new-budget",
    name: "voteBudget",
    type: "number",
    min: MIN_VOTE_BUDGET,
    max: MAX_VOTE_BUDGET,
    value: String(DEFAULT_VOTE_BUDGET),
    inputmode: "numeric",
  });
  const create = h("button", { type: "submit", class: "button button--primary" }, "Create board");
  const createForm = h(
    "form",
    { class: "panel stack", "aria-labelledby": "create-heading" },
    h("h2", { id: "create-heading", textContent: "Start a retro" }),
    h("div", { class: "field" }, h("label", { for: "new-title" }, "Board title"), title),
    h(
      "div",
      { class: "field field--narrow" },
      h("label", { for: "new-budget" }, "Votes per person"),
      budget,
      h("p", { class: "hint" }, "Each person spends them on the notes that matter most."),
    ),
    create,
  );
  createForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = title.value.trim();
    if (!text) {
      title.setCustomValidity("Give the board a title.");
      title.reportValidity();
      return;
    }
    create.disabled = true;
    try {
      const input = {
        title: text,
        settings: { voteBudget: Number(budget.value) || DEFAULT_VOTE_BUDGET },
        clientRequestId: crypto.randomUUID(),
      };
      const data = await api.request(CREATE_BOARD, { input });
      navigate(`#/board/${encodeURIComponent(data.createBoard.id)}`);
    } catch (error) {
      showError(error);
      create.disabled = false;
    }
  });
  title.addEventListener("input", () => title.setCustomValidity(""));

  const link = h("input", { id: "join-link", name: "link", autocomplete: "off", required: true });
  const joinForm = h(
    "form",
    { class: "panel stack", "aria-labelledby": "join-heading" },
    h("h2", { id: "join-heading", textContent: "Join a board" }),
    h("div", { class: "field" }, h("label", { for: "join-link" }, "Board link"), link),
    h("p", { class: "hint" }, "Paste the link someone shared with you. No sign-up needed."),
    h("button", { type: "submit", class: "button" }, "Open board"),
  );
  joinForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const id = boardIdFrom(link.value);
    if (!id) {
      link.setCustomValidity("That doesn't look like a board link.");
      link.reportValidity();
      return;
    }
    navigate(`#/board/${encodeURIComponent(id)}`);
  });
  link.addEventListener("input", () => link.setCustomValidity(""));

  const mine = h(
    "ul",
    { class: "board-list", "aria-busy": "true" },
    h("li", { class: "empty" }, "Loading…"),
  );
  const more = h(
    "button",
    { type: "button", class: "button button--quiet", hidden: true },
    "Show more",
  );
  const minePanel = h(
    "section",
    { class: "panel", "aria-labelledby": "mine-heading" },
    h("h2", { id: "mine-heading", textContent: "Your boards" }),
    mine,
    more,
  );
  const recent = recentBoards();
  const recentPanel = h(
    "section",
    { class: "panel", "aria-labelledby": "recent-heading", hidden: recent.length === 0 },
    h("h2", { id: "recent-heading", textContent: "Recently opened" }),
    h(
      "ul",
      { class: "board-list" },
      ...recent.map((b) => boardLink(b, `opened ${formatAgo(b.openedAt)}`)),
    ),
  );

  let alive = true;
  /** @param {string | null} [nextToken] the page after the first */
  const loadMine = async (nextToken = null) => {
    more.hidden = true;
    try {
      const data = await api.request(MY_BOARDS, { nextToken });
      if (!alive) return;
      /** @type {{items: import("../operations.js").BoardSummary[], nextToken: string | null}} */
      const page = data.me?.boards ?? { items: [], nextToken: null };
      if (!nextToken) mine.replaceChildren();
      mine.append(...page.items.map((b) => boardLink(b, `updated ${formatAgo(b.updatedAt)}`)));
      if (!mine.children.length) {
        mine.append(h("li", { class: "empty" }, "Boards you create appear here."));
      }
      more.hidden = !page.nextToken;
      more.onclick = () => loadMine(page.nextToken);
    } catch (error) {
      if (!alive) return;
      mine.replaceChildren(h("li", { class: "empty" }, "Your boards could not be loaded."));
      showError(error);
    } finally {
      mine.removeAttribute("aria-busy");
    }
  };
  loadMine();

  root.append(
    h(
      "section",
      { class: "hero" },
      h("h1", { textContent: "Calm, anonymous retrospectives" }),
      h(
        "p",
        { class: "lead" },
        "Share one link. Everyone writes what went well, what didn't, and what to do next — " +
          "then spends a few votes. Nobody sees who wrote or voted what.",
      ),
    ),
    h("div", { class: "start-grid" }, createForm, joinForm),
    h("div", { class: "start-grid" }, minePanel, recentPanel),
  );
  // Ready to type on a keyboard; on a touch screen the focus would pop the on-screen keyboard
  // up over the page before the person has read it.
  if (!matchMedia("(pointer: coarse)").matches) title.focus();
  return {
    unmount() {
      alive = false;
    },
  };
}
