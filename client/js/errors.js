// @ts-check
// What a refused or failed request means, decided here and nowhere else. The server names its
// errors by `errorType` (docs/API.md, "Errors"), AppSync adds its own, and the client names the
// failures that never reached GraphQL; the rest of the client branches on the meaning only.

/**
 * - notFound: no such board, version or note (or an id so malformed it names nothing)
 * - unauthorized: no user behind the token; a new user is the cure
 * - forbidden: the caller is known but may not do this
 * - conflict: valid, but the board's state forbids it now
 * - invalid: bad input; the message names the field
 * - unavailable: busy, unreachable, timed out or not answering GraphQL; retrying may work
 * - internal: anything else, which the client cannot fix
 * An unavailable or internal answer to a write does not say whether it happened: api.js sends
 * a write that carries a clientRequestId again, with the same key (the server does it once).
 * @typedef {"notFound" | "unauthorized" | "forbidden" | "conflict" | "invalid"
 *   | "unavailable" | "internal"} Meaning
 */

/** @type {Readonly<Record<string, Meaning>>} */
const MEANINGS = {
  NotFoundError: "notFound",
  // Two names, one meaning: Retro's resolvers say UnauthorizedError, AppSync itself (HTTP 401,
  // or a Lambda that raises it) says UnauthorizedException.
  UnauthorizedError: "unauthorized",
  UnauthorizedException: "unauthorized",
  ForbiddenError: "forbidden",
  // AppSync's refusal of one field for the credential used (e.g. createUser with a token): the
  // caller is known, so a new user would not help.
  Unauthorized: "forbidden",
  ConflictError: "conflict",
  // Retro's bad input. (AppSync's refusal of a document that does not validate carries no
  // errorType: a bug in the client, "internal".)
  BadInputError: "invalid",
  UnavailableError: "unavailable",
  // A resolver that ran out of time (the local AppSync's name; its write may have happened).
  ExecutionTimeout: "unavailable",
  InternalError: "internal",
  // The client's own: the server could not be reached, or answered without GraphQL (e.g. the
  // firewall's 403 when rate-limited, a proxy's 502).
  NetworkError: "unavailable",
  HttpError: "unavailable",
};

/**
 * Arguments that name a thing by its id. A BadInputError about one of them (e.g. a board
 * link with a mangled id) means there is no such thing, the way a well-formed unknown id does.
 */
const ID_FIELDS = new Set(["id", "boardId", "noteId"]);

/**
 * @param {string} errorType as the server (or the client itself) names the error
 * @param {string} message   the server's message; a BadInputError's reads "<field>: <problem>"
 * @returns {Meaning}
 */
export function meaningOf(errorType, message) {
  const meaning = Object.hasOwn(MEANINGS, errorType) ? MEANINGS[errorType] : "internal";
  if (meaning === "invalid" && ID_FIELDS.has(fieldOf(message))) return "notFound";
  return meaning;
}

/**
 * @param {string} message
 * @returns {string} the argument it names, its last part ("input.boardId: ..." → "boardId")
 */
function fieldOf(message) {
  const match = /^([\w.]+): /.exec(message);
  return match ? match[1].slice(match[1].lastIndexOf(".") + 1) : "";
}

/** A refused or failed request: the message for people, the errorType, and what it means. */
export class ApiError extends Error {
  /**
   * @param {string} message   shown to people as is
   * @param {string} errorType e.g. "ForbiddenError", "BadInputError", "NetworkError"
   */
  constructor(message, errorType) {
    super(message);
    this.name = "ApiError";
    this.errorType = errorType;
    /** @type {Meaning} */
    this.meaning = meaningOf(errorType, message);
  }
}
