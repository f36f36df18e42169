// @ts-check
// Owner-only dialogs: board settings (rename, vote budget, how the meeting hides notes and
// votes, delete) and starting a new version.
// Native <dialog> gives focus trapping, Escape to close and an inert page for free.

import { h } from "../dom.js";
import { MAX_TITLE, MAX_VOTE_BUDGET, MIN_VOTE_BUDGET } from "../limits.js";
import { toast } from "../notify.js";

/**
 * Builds a modal dialog, opens it, and removes it from the page once closed. A modal makes
 * the rest of the page inert, toasts included, so refusals are shown inside it (`fail`).
 * @param {string} titleText
 * @param {...Node} content
 * @returns {{dialog: HTMLDialogElement, fail: (error: unknown) => void}}
 */
function modal(titleText, ...content) {
  const titleId = `dialog-${Math.random().toString(36).slice(2)}`;
  const problem = h("p", { class: "dialog-error", role: "alert" });
  const dialog = h(
    "dialog",
    { class: "dialog", "aria-labelledby": titleId },
    h("h2", { id: titleId, textContent: titleText }),
    ...content,
    problem,
  );
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  /** @param {unknown} error */
  const fail = (error) => {
    const message = error instanceof Error ? error.message : "";
    problem.textContent = message || "Something went wrong.";
  };
  return { dialog, fail };
}

/**
 * @param {string} id
 * @param {string} labelText
 * @param {HTMLElement} input
 * @param {string} [hint]
 */
function field(id, labelText, input, hint) {
  input.id = id;
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, labelText),
    input,
    hint ? h("p", { class: "hint" }, hint) : null,
  );
}

/**
 * A switch: a checkbox with its label and what it does, read together by screen readers.
 * @param {string} id
 * @param {string} labelText
 * @param {boolean} checked
 * @param {string} hint
 * @returns {{element: HTMLElement, input: HTMLInputElement}}
 */
function toggle(id, labelText, checked, hint) {
  const input = h("input", {
    type: "checkbox",
    id,
    role: "switch",
    checked,
    "aria-describedby": `${id}-hint`,
  });
  const element = h(
    "div",
    { class: "field field--switch" },
    h("label", { class: "check" }, input, labelText),
    h("p", { id: `${id}-hint`, class: "hint" }, hint),
  );
  return { element, input };
}

/**
 * @param {import("../store.js").BoardStore} store
 * @param {{onDeleted: () => void}} callbacks
 */
export function openSettings(store, { onDeleted }) {
  const { board } = store;
  if (!board) return; // the settings button shows only on a loaded board
  const title = h("input", { required: true, maxLength: MAX_TITLE, value: board.title });
  const budget = h("input", {
    type: "number",
    min: MIN_VOTE_BUDGET,
    max: MAX_VOTE_BUDGET,
    required: true,
    value: String(board.settings.voteBudget),
  });
  const hide = toggle(
    "settings-hide",
    "Hide notes while writing",
    board.settings.hideWhileWriting,
    "In the Write step everyone sees only their own notes; the others are face down until " +
      "you move on. Nobody can read them early, not even through the API.",
  );
  const secret = toggle(
    "settings-secret",
    "Secret ballot",
    board.settings.secretBallot,
    "In the Vote step each person sees only their own votes; the counts show in Discuss.",
  );
  const save = h("button", { type: "submit", class: "button button--primary" }, "Save");
  const cancel = h("button", { type: "button", class: "button" }, "Cancel");
  const remove = h("button", { type: "button", class: "button button--danger" }, "Delete board…");
  const form = h(
    "form",
    { class: "stack" },
    field("settings-title", "Board title", title),
    field("settings-budget", "Votes per person", budget, "Applies to the live version."),
    h(
      "fieldset",
      { class: "fieldset stack" },
      h("legend", {}, "Guided meetings"),
      hide.element,
      secret.element,
    ),
    h("div", { class: "row row--end" }, cancel, save),
    h("hr"),
    h("p", { class: "hint" }, "Deleting removes every version and note, for everyone."),
    h("div", { class: "row" }, remove),
  );
  const { dialog, fail } = modal("Board settings", form);
  cancel.addEventListener("click", () => dialog.close());
  // `required` lets spaces through: say what is missing at the field, as the start page does,
  // instead of the server's "title: must not be empty" under the delete button.
  title.addEventListener("input", () => title.setCustomValidity(""));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!title.value.trim()) {
      title.setCustomValidity("Give the board a title.");
      title.reportValidity();
      return;
    }
    save.disabled = true;
    try {
      await store.updateBoard({
        title: title.value.trim(),
        voteBudget: Number(budget.value),
        hideWhileWriting: hide.input.checked,
        secretBallot: secret.input.checked,
      });
      dialog.close();
      toast("Board settings saved.");
    } catch (error) {
      fail(error);
      save.disabled = false;
    }
  });
  remove.addEventListener("click", async () => {
    if (!remove.dataset.confirming) {
      remove.dataset.confirming = "yes";
      remove.textContent = "Delete for everyone";
      return;
    }
    remove.disabled = true;
    try {
      await store.deleteBoard();
      dialog.close();
      onDeleted();
    } catch (error) {
      fail(error);
      remove.disabled = false;
    }
  });
}

/** @param {import("../store.js").BoardStore} store */
export function openNewVersion(store) {
  const live = store.live;
  if (!live) return; // the button shows only on a loaded board
  const next = live.number + 1;
  const title = h("input", {
    maxLength: MAX_TITLE,
    placeholder: `e.g. Sprint ${next}`,
    autocomplete: "off",
  });
  const start = h(
    "button",
    { type: "submit", class: "button button--primary" },
    `Start version ${next}`,
  );
  const cancel = h("button", { type: "button", class: "button" }, "Cancel");
  const form = h(
    "form",
    { class: "stack" },
    h(
      "p",
      {},
      `Version ${live.number} will be frozen: everyone can still read and export it. ` +
        "Open action items are carried over, and everyone on the board moves to the new version.",
    ),
    field("version-title", "Name (optional)", title),
    h("div", { class: "row row--end" }, cancel, start),
  );
  const { dialog, fail } = modal("Start a new version", form);
  cancel.addEventListener("click", () => dialog.close());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    start.disabled = true;
    try {
      await store.startNewVersion(title.value.trim());
      // The onVersionStarted event tells everyone, the owner included.
      dialog.close();
    } catch (error) {
      fail(error);
      start.disabled = false;
    }
  });
}
