// @ts-check
// The only module that calls `fetch` for GraphQL. It owns the caller's identity: a user is
// created on first use and its token kept in localStorage; every request sends it as the
// `Authorization` header, the way AppSync's AWS_LAMBDA authorizer expects. It also owns
// retries: a request safe to repeat is sent again after an ambiguous answer (docs/API.md,
// "Retries"), and a token is given up only when the server keeps refusing it.

import { ApiError, meaningOf } from "./errors.js";
import { CREATE_USER } from "./operations.js";

/**
 * One GraphQL error as AppSync shapes it.
 * @typedef {{message?: string, errorType?: string}} GraphQLError
 * @typedef {{data?: any, errors?: GraphQLError[]}} GraphQLResponse
 */

/**
 * GraphQL over fetch, AppSync-shaped. Dispatches `identity` when a new user was created
 * (detail.replaced: an unknown token was replaced; detail.forgotten: that token had worked, so
 * the server no longer knows this browser — a local server restarted without its data), so the
 * realtime connection can re-authenticate with the new token and the page can say so.
 */
export class Api extends EventTarget {
  /** @type {import("./config.js").Config} */
  #config;
  /** @type {string} */
  #storageKey;
  /** @type {string} whose token the server last accepted (a 401 for it may be transient) */
  #workedKey;
  /** @type {Promise<string> | null} one user creation at a time, shared by concurrent calls */
  #creating = null;
  /** the server stopped knowing a user it had accepted, in this page's life */
  #forgotten = false;

  /** @param {import("./config.js").Config} config */
  constructor(config) {
    super();
    this.#config = config;
    this.#storageKey = `retro.token:${config.graphqlUrl}`;
    this.#workedKey = `retro.token-worked:${config.graphqlUrl}`;
  }

  /** @returns {string | null} the caller's token, if a user exists yet */
  get token() {
    return localStorage.getItem(this.#storageKey);
  }

  /**
   * Makes `token` this browser's identity from now on (handover.js: the demo owner's link).
   * Call before the first request, so the realtime connection starts with it too.
   * @param {string} token
   */
  adopt(token) {
    localStorage.setItem(this.#storageKey, token);
  }

  /**
   * @returns {boolean} whether, since this page loaded, the server refused for good a token it
   *   had accepted: it no longer knows this browser's user (nor, likely, its boards)
   */
  get forgotten() {
    return this.#forgotten;
  }

  /** @returns {Promise<string>} the caller's token, creating a user on first use */
  async ensureToken() {
    return this.token ?? this.#createUser();
  }

  /**
   * Sends one operation and returns its `data`; throws ApiError with the first error.
   *
   * An ambiguous answer — no answer, a non-GraphQL one, UnavailableError, an internal error —
   * does not say whether a write happened. A request that is safe to repeat (a read, or a
   * write carrying a clientRequestId: the server does it once per key) is sent again as is,
   * with the same key, after a pause. A 401 for a token that worked before may be the server
   * failing to check it: the token is kept and the request sent again; only a token that keeps
   * being refused, or never worked, gives way to a new user.
   * @param {string} query
   * @param {Record<string, unknown>} [variables]
   * @param {{idempotent?: boolean}} [options] whether the request may be sent again (default:
   *   a query, or any operation whose variables carry a clientRequestId)
   * @returns {Promise<any>}
   */
  async request(query, variables = {}, { idempotent = isIdempotent(query, variables) } = {}) {
    let token = await this.ensureToken();
    let ambiguous = 0;
    let refused = 0;
    let replaced = false;
    for (;;) {
      /** @type {GraphQLResponse} */
      let result;
      try {
        result = await this.#send(query, variables, { Authorization: token });
      } catch (error) {
        if (!idempotent || ambiguous >= AMBIGUOUS_PAUSES_MS.length) throw error;
        await pause(AMBIGUOUS_PAUSES_MS[ambiguous++]);
        continue;
      }
      if (isUnauthorized(result)) {
        if (this.token !== null && this.token !== token) {
          // Another request replaced the identity meanwhile: this one goes again as the new user.
          token = this.token;
          continue;
        }
        if (this.#worked(token) && refused < REFUSED_PAUSES_MS.length) {
          await pause(REFUSED_PAUSES_MS[refused++]);
          continue;
        }
        if (!replaced) {
          // The token is unknown (e.g. the local server restarted on a fresh database).
          replaced = true;
          const forgotten = this.#worked(token);
          localStorage.removeItem(this.#storageKey);
          token = await this.#createUser({ replacing: true, forgotten });
          continue;
        }
      }
      const [first] = result.errors ?? [];
      if (first) {
        const error = new ApiError(
          first.message || "The server refused the request.",
          first.errorType ?? "",
        );
        const retry = error.meaning === "unavailable" || error.meaning === "internal";
        if (!idempotent || !retry || ambiguous >= AMBIGUOUS_PAUSES_MS.length) throw error;
        await pause(AMBIGUOUS_PAUSES_MS[ambiguous++]);
        continue;
      }
      this.#remember(token);
      return result.data;
    }
  }

  /** @param {string} token @returns {boolean} the server has accepted it before */
  #worked(token) {
    return localStorage.getItem(this.#workedKey) === userOf(token);
  }

  /** @param {string} token */
  #remember(token) {
    // The user id (a token is `<user id>.<secret>`), not a second copy of the secret.
    if (!this.#worked(token)) localStorage.setItem(this.#workedKey, userOf(token));
  }

  /**
   * @param {{replacing?: boolean, forgotten?: boolean}} [why] a refused token is being replaced;
   *   it had worked before
   * @returns {Promise<string>} the new user's token
   */
  async #createUser({ replacing = false, forgotten = false } = {}) {
    const replaced = replacing || this.token !== null;
    if (forgotten) this.#forgotten = true;
    this.#creating ??= (async () => {
      const headers = { Authorization: ANONYMOUS_TOKEN };
      // No clientRequestId exists for createUser: a second attempt may make a second user,
      // which nobody will use (only the token kept here is an identity).
      const result = await this.#send(CREATE_USER, {}, headers).catch(async () => {
        await pause(AMBIGUOUS_PAUSES_MS[0]);
        return this.#send(CREATE_USER, {}, headers);
      });
      const token = result.data?.createUser?.token;
      if (!token) {
        const message = result.errors?.[0]?.message ?? "Could not create a user.";
        throw new ApiError(message, result.errors?.[0]?.errorType ?? "");
      }
      localStorage.setItem(this.#storageKey, token);
      this.dispatchEvent(new CustomEvent("identity", { detail: { replaced, forgotten } }));
      return token;
    })().finally(() => {
      this.#creating = null;
    });
    return this.#creating;
  }

  /**
   * One POST; throws ApiError (NetworkError, HttpError) when no GraphQL answer came back.
   * @param {string} query
   * @param {Record<string, unknown>} variables
   * @param {Record<string, string>} headers
   * @returns {Promise<GraphQLResponse>}
   */
  async #send(query, variables, headers) {
    const init = {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ query, variables }),
    };
    const response = await fetch(this.#config.graphqlUrl, init).catch(() => {
      throw offline();
    });
    // AppSync answers refusals with a GraphQL body even on 4xx (401 for a bad token).
    const body = await response.json().catch(() => null);
    if (body && (body.data !== undefined || body.errors)) return body;
    throw new ApiError(`The server answered HTTP ${response.status}.`, "HttpError");
  }
}

// The public credential that may only call createUser (docs/API.md, "Authorization"): the
// API has no API key; its Lambda authorizer admits this string with every other field denied.
const ANONYMOUS_TOKEN = "anonymous";

// Pauses before sending a request again after an ambiguous answer: 3 tries in all.
const AMBIGUOUS_PAUSES_MS = [800, 2000];
// Pauses before sending again after a 401 for a token that worked: 4 tries over ~10 s.
const REFUSED_PAUSES_MS = [1000, 3000, 6000];

/** @param {string} token @returns {string} the user id it names */
function userOf(token) {
  return token.split(".", 1)[0];
}

/** @param {number} ms */
function pause(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * @param {string} query
 * @param {Record<string, unknown>} variables
 * @returns {boolean} a read, or a write the server does once per clientRequestId
 */
function isIdempotent(query, variables) {
  if (/^\s*(query\b|\{)/.test(query)) return true;
  // The key is a variable (vote, deleteNote...) or a field of the input (addNote, updateNote...).
  return [variables, ...Object.values(variables)].some(
    (holder) => typeof holder === "object" && holder !== null && "clientRequestId" in holder,
  );
}

/**
 * @param {GraphQLResponse} result
 * @returns {boolean} the token is unknown: a new user may fix it
 */
function isUnauthorized(result) {
  return (result.errors ?? []).some(
    (error) => meaningOf(error.errorType ?? "", error.message ?? "") === "unauthorized",
  );
}

function offline() {
  return new ApiError(
    "Can't reach the server. Check your connection and try again.",
    "NetworkError",
  );
}
