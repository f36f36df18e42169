// @ts-check
// A one-line editor in place (an action's "who", a group's title): a labelled field and Save;
// Enter saves, Escape leaves it as it was. Saving an unchanged value just closes it.

import { h } from "../dom.js";
import { showError } from "../notify.js";

/**
 * @typedef {object} InlineEdit
 * @property {string} id the field's id (unique on the page)
 * @property {string} className the form's class
 * @property {string} inputClass the field's class
 * @property {string} label
 * @property {boolean} [labelHidden] read by screen readers only
 * @property {string} value
 * @property {number} maxLength
 * @property {(value: string) => string} [problem] why `value` (trimmed) cannot be saved, or ""
 * @property {boolean} [selectAll] select the value on opening (to replace it by typing)
 * @property {(form: HTMLElement) => void} place puts the editor on the page
 * @property {(value: string) => Promise<unknown>} save called with the trimmed value
 * @property {() => void} close puts back what the editor hid, and the focus
 */

/**
 * Shows the editor where `edit.place` puts it, and focuses it.
 * @param {InlineEdit} edit
 */
export function editInline(edit) {
  const input = h("input", {
    id: edit.id,
    class: edit.inputClass,
    value: edit.value,
    maxLength: edit.maxLength,
    autocomplete: "off",
  });
  const form = h(
    "form",
    { class: edit.className },
    h("label", { for: edit.id, class: edit.labelHidden ? "sr-only" : null }, edit.label),
    input,
    h("button", { type: "submit", class: "button button--small" }, "Save"),
  );
  edit.place(form);
  const close = () => {
    form.remove();
    edit.close();
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = input.value.trim();
    const problem = edit.problem?.(value) ?? "";
    if (problem) {
      input.setCustomValidity(problem);
      input.reportValidity();
      return;
    }
    if (value === edit.value) return close();
    try {
      await edit.save(value);
      close();
    } catch (error) {
      showError(error);
    }
  });
  input.addEventListener("input", () => input.setCustomValidity(""));
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  input.focus();
  if (edit.selectAll) input.select();
}
