// @ts-check
// The meeting panel above the columns. Everyone sees where the meeting stands: the step, what
// to do now, the timer. The owner also gets the stage bar (each step, back, next) and the
// timer's controls. In free mode a participant sees nothing here, the board as it always was,
// unless a timer runs. A polite live region tells screen reader users what changed: the stage,
// the reveal, the timer.

import { h } from "../dom.js";
import { showError } from "../notify.js";
import { FLOW, STAGES, describeStage, nextStage, previousStage } from "../stages.js";
import { createTimer } from "./timer.js";

/** @typedef {import("../operations.js").Stage} Stage */

/** How many recent announcements the live region keeps (older ones were read already). */
const KEEP_SAID = 3;

/**
 * @param {import("../store.js").BoardStore} store
 * @param {{onTimerEnd: () => void}} hooks
 * @returns {{element: HTMLElement, live: HTMLElement, render: () => void, destroy: () => void}}
 */
export function createMeeting(store, { onTimerEnd }) {
  const live = h("div", {
    class: "sr-only",
    "aria-live": "polite",
    dataset: { retro: "meeting-live" },
  });
  /** @param {string} message */
  const say = (message) => {
    live.append(h("p", { textContent: message }));
    while (live.childElementCount > KEEP_SAID) live.firstElementChild?.remove();
  };
  const timer = createTimer(store, { say, onEnd: onTimerEnd });

  const step = h("p", { class: "meeting-step" });
  const name = h("h2", { id: "meeting-name", class: "meeting-name", dataset: { retro: "stage" } });
  const doing = h("p", { class: "meeting-doing", dataset: { retro: "stage-doing" } });
  const what = h("div", { class: "meeting-what" }, step, name, doing);
  const steps = h("ol", { class: "steps", "aria-label": "Meeting steps" });

  const free = stageButton("FREE", "Free mode");
  const back = h("button", { type: "button", class: "button button--small" });
  const next = h("button", { type: "button", class: "button button--primary button--small" });
  const stageControls = h(
    "div",
    { class: "stage-controls", role: "group", "aria-label": "Stage" },
    h("span", { class: "toolbar-label", "aria-hidden": "true" }, "Stage"),
    free,
    back,
    next,
  );
  const facilitator = h("div", { class: "facilitator" }, stageControls, timer.controls);
  const element = h(
    "section",
    { class: "meeting", "aria-labelledby": name.id, dataset: { retro: "meeting" } },
    h("div", { class: "meeting-now" }, what, timer.display),
    steps,
    facilitator,
  );

  /** @type {HTMLButtonElement[]} */
  let stepButtons = [];
  /** @param {Stage} stage */
  const setStage = async (stage) => {
    const buttons = [free, back, next, ...stepButtons];
    for (const button of buttons) button.disabled = true;
    try {
      await store.setStage(stage);
    } catch (error) {
      showError(error);
    } finally {
      for (const button of buttons) button.disabled = false;
    }
  };
  for (const button of [free, back, next]) {
    button.addEventListener("click", () => {
      const stage = /** @type {Stage | undefined} */ (button.dataset.stage);
      if (stage) setStage(stage);
    });
  }

  /** @param {Stage} current @param {boolean} owner the steps are buttons that set the stage */
  const renderSteps = (current, owner) => {
    stepButtons = [];
    const items = FLOW.map((stage) => {
      const here = stage === current;
      if (!owner) {
        const item = h("li", { class: "step", textContent: STAGES[stage].name });
        if (here) item.setAttribute("aria-current", "step");
        return item;
      }
      const button = stageButton(stage, STAGES[stage].name);
      button.setAttribute("aria-pressed", String(here));
      button.addEventListener("click", () => setStage(stage));
      stepButtons.push(button);
      return h("li", { class: "step" }, button);
    });
    steps.replaceChildren(...items);
  };

  /** @type {{stage: Stage, textsHidden: boolean, votesHidden: boolean} | null} */
  let last = null;
  /** @type {string} the last render's shape, so that the steps are not rebuilt in vain */
  let drawn = "";

  const render = () => {
    const version = store.live;
    if (!version) return;
    const { stage, textsHidden, votesHidden } = version;
    const owner = store.isOwner;
    const guided = stage !== "FREE";
    element.hidden = store.older !== null;
    element.dataset.stage = stage;
    element.dataset.owner = owner ? "yes" : "no";
    what.hidden = !guided && !owner;
    step.textContent = guided
      ? `Step ${FLOW.indexOf(stage) + 1} of ${FLOW.length}`
      : "The facilitator can guide the meeting in steps";
    name.textContent = guided ? STAGES[stage].name : "Free mode";
    doing.textContent = describeStage(stage, version);
    steps.hidden = !guided && !owner;
    if (drawn !== `${stage}:${owner}`) {
      drawn = `${stage}:${owner}`;
      renderSteps(stage, owner);
    }
    facilitator.hidden = !owner;
    free.setAttribute("aria-pressed", String(!guided));
    const after = nextStage(stage);
    const before = previousStage(stage);
    next.hidden = after === null;
    next.dataset.stage = after ?? "";
    next.textContent = after ? `Next: ${STAGES[after].name} →` : "";
    back.hidden = before === null || before === "FREE";
    back.dataset.stage = before ?? "";
    back.textContent = before ? `← Back to ${STAGES[before].name}` : "";
    timer.render();

    if (last) {
      const revealed = last.textsHidden && !textsHidden;
      const counted = last.votesHidden && !votesHidden;
      if (stage !== last.stage) {
        const where = guided ? `step ${FLOW.indexOf(stage) + 1}, ${STAGES[stage].name}` : "free";
        say(`Now ${where}. ${describeStage(stage, version)}`);
      }
      if (revealed) say("Everyone's notes are revealed.");
      if (counted) say("Vote counts are revealed.");
    }
    last = { stage, textsHidden, votesHidden };
  };

  return { element, live, render, destroy: timer.destroy };
}

/**
 * @param {Stage} stage
 * @param {string} label
 * @returns {HTMLButtonElement}
 */
function stageButton(stage, label) {
  return h("button", {
    type: "button",
    class: "button button--small stage-button",
    textContent: label,
    dataset: { stage },
  });
}
