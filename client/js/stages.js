// @ts-check
// The meeting's stages as people read them, and what each one opens. The server enforces
// every rule (a refused action names the stage); the client hides what would be refused, so
// nobody is offered a button that cannot work.

/**
 * @typedef {import("./operations.js").Stage} Stage
 * @typedef {import("./operations.js").Column} Column
 */

/** The guided flow, in order; FREE stands outside it (everything open, as boards always were). */
/** @type {readonly Stage[]} */
export const FLOW = ["WRITE", "VOTE", "DISCUSS"];

/** @type {Readonly<Record<Stage, {name: string, doing: string}>>} */
export const STAGES = {
  FREE: { name: "Free", doing: "Everything is open: write, vote and discuss as you go." },
  WRITE: { name: "Write", doing: "Write your notes. Voting opens in the next step." },
  VOTE: {
    name: "Vote",
    doing: "Vote for the notes you want to talk about. New notes only in Actions.",
  },
  DISCUSS: {
    name: "Discuss",
    doing: "Talk through the notes with the most votes, and write down actions.",
  },
};

/**
 * What the stage says to a participant, in one or two sentences.
 * @param {Stage} stage
 * @param {{textsHidden: boolean, votesHidden: boolean}} hidden
 * @returns {string}
 */
export function describeStage(stage, { textsHidden, votesHidden }) {
  const { doing } = STAGES[stage];
  if (textsHidden) return `${doing} Other people's notes stay face down until the reveal.`;
  if (votesHidden) return `${doing} Vote counts stay secret until Discuss.`;
  return doing;
}

/**
 * @param {Stage} stage
 * @param {Column} column
 * @returns {boolean} notes may be added to and edited in the column
 */
export function canWrite(stage, column) {
  return stage === "FREE" || stage === "WRITE" || column === "ACTION";
}

/** @param {Stage} stage @returns {boolean} */
export function canVote(stage) {
  return stage === "FREE" || stage === "VOTE";
}

/** @param {Stage} stage @returns {Stage | null} the facilitator's "next"; Free leads to Write */
export function nextStage(stage) {
  if (stage === "FREE") return "WRITE";
  return FLOW[FLOW.indexOf(stage) + 1] ?? null;
}

/** @param {Stage} stage @returns {Stage | null} the facilitator's "back", from Write to Free */
export function previousStage(stage) {
  if (stage === "FREE") return null;
  return FLOW[FLOW.indexOf(stage) - 1] ?? "FREE";
}
