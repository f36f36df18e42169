// @ts-check
// The shared timer: a large, calm countdown for everyone and the facilitator's controls
// (start 3/5/10 minutes, one more minute, stop, move on when time is up). It counts down on
// this page's monotonic clock from when the server's answer arrived (clock.js), so every
// participant sees the same time whatever their device's clock says.

import { formatRemaining, remainingMs, spokenRemaining } from "../clock.js";
import { h } from "../dom.js";
import { showError } from "../notify.js";
import { FLOW, nextStage } from "../stages.js";

/**
 * @typedef {import("../clock.js").Countdown} Countdown
 * @typedef {"none" | "running" | "ended"} Shown
 */

const STARTS = [3, 5, 10];
const TICK_MS = 250;
/** After the end seen here, wait a little before asking the server: its end came first. */
const AFTER_END_MS = 300;

/**
 * @param {import("../store.js").BoardStore} store
 * @param {{say: (message: string) => void, onEnd: () => void}} hooks `say` speaks through the
 *   meeting's live region; `onEnd` runs once for each countdown that runs out on this page
 * @returns {{display: HTMLElement, controls: HTMLElement, render: () => void,
 *   destroy: () => void}}
 */
export function createTimer(store, { say, onEnd }) {
  const time = h("span", { class: "timer-time", dataset: { retro: "timer-time" } });
  const caption = h("span", { class: "timer-caption" });
  const fill = h("span", { class: "timer-fill" });
  const display = h(
    "div",
    { class: "timer", role: "timer", dataset: { retro: "timer", state: "none" }, hidden: true },
    time,
    caption,
    h("span", { class: "timer-bar", "aria-hidden": "true" }, fill),
  );

  const advance = h("input", { type: "checkbox", id: "timer-advance" });
  const starts = STARTS.map((minutes) =>
    h("button", {
      type: "button",
      class: "button button--small",
      textContent: `${minutes} min`,
      dataset: { seconds: String(minutes * 60) },
    }),
  );
  const more = h("button", {
    type: "button",
    class: "button button--small",
    textContent: "+1 min",
  });
  const stop = h("button", {
    type: "button",
    class: "button button--small",
    textContent: "Stop timer",
  });
  // The group's name gives the buttons their context ("Timer, 5 min"); visible text and
  // accessible name stay the same, for people who steer by voice.
  const controls = h(
    "div",
    { class: "timer-controls", role: "group", "aria-label": "Timer" },
    h("span", { class: "toolbar-label", "aria-hidden": "true" }, "Timer"),
    ...starts,
    more,
    stop,
    h("label", { class: "check" }, advance, "Move on when time is up"),
  );

  /** @type {Shown} */
  let shown = "none";
  /** @type {string | null} the countdown last announced, by its server end */
  let announced = null;
  /** @type {string | null} */
  let endHandled = null;
  let primed = false; // announce changes, not what was there when the page opened
  let ticker = 0;
  let lastText = "";
  let advanceSet = false;

  /** @param {() => Promise<void>} action a facilitator's request; its answer re-renders */
  const act = async (action) => {
    for (const button of [...starts, more, stop]) button.disabled = true;
    try {
      await action();
    } catch (error) {
      showError(error);
    } finally {
      render();
    }
  };
  for (const button of starts) {
    const seconds = Number(button.dataset.seconds);
    button.addEventListener("click", () =>
      act(() => store.startTimer(seconds, advance.checked && !advance.disabled)),
    );
  }
  more.addEventListener("click", () => act(() => store.extendTimer(60)));
  stop.addEventListener("click", () => act(() => store.stopTimer()));

  /**
   * The server says whether a countdown ran out (`ended`) or was stopped, the same for every
   * reader, so a page opened later shows what a page that watched it shows. A countdown that
   * moved the stage on shows nothing: the new stage is the news, and the end was the last one's.
   * A stage change by the facilitator stops the timer, so "Time's up" goes with it.
   * @param {Countdown | null} countdown
   * @returns {Shown}
   */
  const stateOf = (countdown) => {
    if (!countdown) return "none";
    if (remainingMs(countdown) > 0) return "running";
    if (countdown.ended) return countdown.advances ? "none" : "ended";
    // It ran out here before any answer said so: the server's end came first (onEnd asks).
    return countdown.running ? "ended" : "none";
  };

  const tick = () => {
    const countdown = store.timer;
    const state = stateOf(countdown);
    if (countdown && state === "running") showTime(countdown);
    if (state !== shown) show(state, countdown);
    if (countdown && state === "running" && announced !== countdown.endsAt) {
      if (primed) say(`Timer: ${spokenRemaining(remainingMs(countdown))} left.`);
      announced = countdown.endsAt;
    }
    if (store.live) primed = true;
    if (state !== "running") {
      clearInterval(ticker);
      ticker = 0;
    }
  };

  /** @param {Countdown} countdown */
  const showTime = (countdown) => {
    const left = remainingMs(countdown);
    const text = formatRemaining(left);
    if (text === lastText) return;
    lastText = text;
    time.textContent = text;
    caption.textContent = "left";
    const total = countdown.durationSeconds * 1000;
    fill.style.width = `${total ? Math.min(100, (100 * left) / total) : 0}%`;
  };

  /**
   * @param {Shown} state
   * @param {Countdown | null} countdown
   */
  const show = (state, countdown) => {
    const before = shown;
    shown = state;
    display.hidden = state === "none";
    display.dataset.state = state;
    lastText = "";
    if (state === "ended") {
      time.textContent = "Time's up";
      caption.textContent = "";
      fill.style.width = "0%";
    }
    if (before !== "running" || !primed) return;
    if (state === "ended" && countdown) {
      say("Time is up.");
      // Seen here first: the server has the rest (the stage it moved on to, if it did).
      if (endHandled !== countdown.endsAt) {
        endHandled = countdown.endsAt;
        setTimeout(onEnd, AFTER_END_MS);
      }
    } else {
      say("The timer was stopped.");
    }
  };

  const render = () => {
    const countdown = store.timer;
    if (!advanceSet && countdown) {
      advance.checked = countdown.advances; // the facilitator's last choice, after a reload
      advanceSet = true;
    }
    const running = countdown !== null && remainingMs(countdown) > 0;
    // Only a step of the flow with a step after it can move on (not Free, not Discuss).
    const stage = store.live?.stage ?? "FREE";
    advance.disabled = !FLOW.includes(stage) || nextStage(stage) === null;
    for (const button of starts) button.disabled = false;
    more.disabled = !running;
    stop.disabled = !running;
    lastText = ""; // a new countdown (started, extended) shows its own numbers at once
    tick();
    clearInterval(ticker);
    ticker = running ? setInterval(tick, TICK_MS) : 0;
  };

  return { display, controls, render, destroy: () => clearInterval(ticker) };
}
