// @ts-check
// The shared timer as this device counts it. It never reads the wall clock: the server says
// how much time was left when it answered (`remainingMs`), and the client adds that to the
// moment the answer arrived on the monotonic clock (`performance.now()`). A phone whose clock
// is minutes off, or is corrected mid-meeting, shows the same time as everyone else; the
// network's delay only makes it end a little after the server's end, never before.

/**
 * @typedef {import("./operations.js").Timer} Timer
 * @typedef {{endsAt: string, deadline: number, durationSeconds: number, advances: boolean,
 *   running: boolean, ended: boolean}} Countdown `deadline` is on the performance.now() clock;
 *   `endsAt` (the server's) only names the countdown, to tell a restarted or extended one from
 *   the same one
 */

/** @returns {number} milliseconds on the monotonic clock of this page */
export function now() {
  return performance.now();
}

/**
 * @param {Timer | null} timer as the server answered it
 * @param {number} receivedAt now() when the answer arrived
 * @returns {Countdown | null}
 */
export function countdownFrom(timer, receivedAt) {
  if (!timer) return null;
  const { endsAt, remainingMs, durationSeconds, advances, running, ended } = timer;
  const deadline = receivedAt + remainingMs;
  return { endsAt, deadline, durationSeconds, advances, running, ended };
}

/**
 * @param {Countdown} countdown
 * @param {number} [at] a now() reading
 * @returns {number} milliseconds left, 0 once ended or stopped
 */
export function remainingMs(countdown, at = now()) {
  return countdown.running ? Math.max(0, countdown.deadline - at) : 0;
}

/**
 * Rounds up, so "0:00" shows only when the time is really up.
 * @param {number} ms
 * @returns {string} e.g. "4:05", "12:00"
 */
export function formatRemaining(ms) {
  const seconds = Math.ceil(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/**
 * @param {number} ms
 * @returns {string} for people and screen readers: "4 minutes 5 seconds", "30 seconds"
 */
export function spokenRemaining(ms) {
  const seconds = Math.ceil(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  const parts = [];
  if (minutes) parts.push(`${minutes} ${minutes === 1 ? "minute" : "minutes"}`);
  if (rest || !minutes) parts.push(`${rest} ${rest === 1 ? "second" : "seconds"}`);
  return parts.join(" ");
}
