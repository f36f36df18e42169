// @ts-check
// The only module that calls `fetch` for GraphQL. It owns the caller's identity: a user is
// created on first use and its token kept in localStorage; every request sends it as the
// `Authorization` header, the way AppSync's AWS_LAMBDA authorizer expects.

import { ApiError, meaningOf } from "./errors.js";
import { CREATE_USER } from "./operations.js";

/**
 * One GraphQL error as AppSync shapes it.
 * @typedef {{message?: string, errorType?: string}} GraphQLError
 * @typedef {{data?: any, errors?: GraphQLError[]}} GraphQLResponse
 */

/**
 * GraphQL over fetch, AppSync-shaped. Dispatches `identity` when a new user was created
 * (detail.replaced: an unknown token was replaced), so the realtime connection can
 * re-authenticate with the new token.
 */
export class Api extends EventTarget {
  /** @type {import("./config.js").Config} */
  #config;
  /** @type {string} */
  #storageKey;
  /** @type {Promise<string> | null} one user creation at a time, shared by concurrent calls */
  #creating = null;

  /** @param {import("./config.js").Config} config */
  constructor(config) {
    super();
    this.#config = config;
    this.#storageKey = `retro.token:${config.graphqlUrl}`;
  }

  /** @returns {string | null} the caller's token, if a user exists yet */
  get token() {
    return localStorage.getItem(this.#storageKey);
  }

  /** @returns {Promise<string>} the caller's token, creating a user on first use */
  async ensureToken() {
    return this.token ?? this.#createUser();
  }

  /**
   * Sends one operation and returns its `data`; throws ApiError with the first error.
   * @param {string} query
   * @param {Record<string, unknown>} [variables]
   * @param {{retryNetwork?: boolean}} [options] retry once on a network failure: only for
   *   reads and writes made idempotent by a clientRequestId
   * @returns {Promise<any>}
   */
  async request(query, variables = {}, { retryNetwork = query.startsWith("query") } = {}) {
    const token = await this.ensureToken();
    let result = await this.#send(query, variables, { Authorization: token }, retryNetwork);
    if (isUnauthorized(result)) {
      // The token is unknown (e.g. the local server restarted on a fresh database).
      localStorage.removeItem(this.#storageKey);
      const fresh = await this.#createUser();
      result = await this.#send(query, variables, { Authorization: fresh }, retryNetwork);
    }
    if (result.errors?.length) {
      const [first] = result.errors;
      throw new ApiError(first.message || "The server refused the request.", first.errorType ?? "");
    }
    return result.data;
  }

  /** @returns {Promise<string>} the new user's token */
  async #createUser() {
    const replaced = this.token !== null;
    this.#creating ??= (async () => {
      const result = await this.#send(CREATE_USER, {}, { "x-api-key": this.#config.apiKey }, true);
      const token = result.data?.createUser?.token;
      if (!token) {
        const message = result.errors?.[0]?.message ?? "Could not create a user.";
        throw new ApiError(message, result.errors?.[0]?.errorType ?? "");
      }
      localStorage.setItem(this.#storageKey, token);
      this.dispatchEvent(new CustomEvent("identity", { detail: { replaced } }));
      return token;
    })().finally(() => {
      this.#creating = null;
    });
    return this.#creating;
  }

  /**
   * @param {string} query
   * @param {Record<string, unknown>} variables
   * @param {Record<string, string>} headers
   * @param {boolean} retryNetwork
   * @returns {Promise<GraphQLResponse>}
   */
  async #send(query, variables, headers, retryNetwork) {
    const init = {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ query, variables }),
    };
    let response;
    try {
      response = await fetch(this.#config.graphqlUrl, init);
    } catch {
      if (!retryNetwork) throw offline();
      await new Promise((resolve) => setTimeout(resolve, 800));
      response = await fetch(this.#config.graphqlUrl, init).catch(() => {
        throw offline();
      });
    }
    // AppSync answers refusals with a GraphQL body even on 4xx (401 for a bad token).
    const body = await response.json().catch(() => null);
    if (body && (body.data !== undefined || body.errors)) return body;
    throw new ApiError(`The server answered HTTP ${response.status}.`, "HttpError");
  }
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
