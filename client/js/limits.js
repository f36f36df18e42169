// @ts-check
// The server's limits, as the client needs them to shape its forms and requests. They are the
// server's rules, copied here because a no-build client cannot read Python:
// tests/test_client_limits.py holds every value equal to retro.models and retro.services.checks.
// Keep each one an `export const NAME = <number>;` line, the form that test reads.

/** The longest note text (characters, after trimming). */
export const MAX_NOTE_TEXT = 2000;

/** The longest board or version title. */
export const MAX_TITLE = 200;

/** The longest "who" of an action item (a name people type). */
export const MAX_WHO = 80;

/** The fewest and most votes per person and version a board may allow; a new board's default. */
export const MIN_VOTE_BUDGET = 1;
export const MAX_VOTE_BUDGET = 100;
export const DEFAULT_VOTE_BUDGET = 5;

/** The largest page (`limit`) a list field answers. */
export const MAX_PAGE = 100;
