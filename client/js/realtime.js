// @ts-check
// AppSync's realtime WebSocket protocol (sub-protocol "graphql-ws"; the name is Apollo's, the
// messages are AppSync's): connection_init → connection_ack, keep-alive `ka`, per subscription
// start → start_ack → data…, stop → complete. The same client works against AppSync and
// `retro serve`. It reconnects on its own with backoff and jitter and tells the app through
// events:
//   status  {detail: {state: "connecting"|"live"|"reconnecting"|"offline", retryInMs?}}
//   synced  every subscription is acknowledged after a (re)connect: refetch to close the gap
//   problem {detail: {message}} a subscription or the connection was refused

const MAX_BACKOFF_MS = 30_000;

/** @param {string} text */
function base64url(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * @typedef {"idle" | "connecting" | "live" | "reconnecting" | "offline"} State
 * @typedef {{query: string, variables: object, onData: (data: any) => void,
 *   settled: boolean}} Subscription
 */

export class Realtime extends EventTarget {
  /** @type {string} */
  #url;
  /** @type {string} */
  #host;
  /** @type {() => Promise<string>} */
  #getToken;
  /** @type {WebSocket | null} */
  #socket = null;
  /** @type {Map<string, Subscription>} */
  #subscriptions = new Map();
  /** @type {State} */
  #state = "idle";
  #attempt = 0;
  #keepAliveTimer = 0;
  #retryTimer = 0;
  #nextId = 1;
  /** Bumped by every connect: a connect that was overtaken by a newer one gives up. */
  #generation = 0;
  #token = "";
  #keepAliveMs = 300_000;

  /**
   * @param {import("./config.js").Config} config
   * @param {() => Promise<string>} getToken called on every (re)connect: the token may change
   */
  constructor(config, getToken) {
    super();
    this.#url = config.realtimeUrl;
    this.#host = new URL(config.graphqlUrl).host;
    this.#getToken = getToken;
    addEventListener("online", () => this.reconnectNow());
    addEventListener("offline", () => this.#drop("offline"));
  }

  get state() {
    return this.#state;
  }

  /**
   * Starts a subscription (now if connected, else on connect) and keeps it across reconnects.
   * @param {string} query
   * @param {object} variables
   * @param {(data: any) => void} onData receives `payload.data` of each `data` message
   * @returns {string} the id to pass to `unsubscribe`
   */
  subscribe(query, variables, onData) {
    const id = `s${this.#nextId++}`;
    this.#subscriptions.set(id, { query, variables, onData, settled: false });
    if (this.#state === "live") this.#start(id);
    else if (this.#state === "idle") this.#connect();
    return id;
  }

  /** @param {string} id */
  unsubscribe(id) {
    if (this.#subscriptions.delete(id) && this.#state === "live") {
      this.#send({ id, type: "stop" });
    }
  }

  /** Reconnects at once, e.g. with a new token after the identity changed. */
  restart() {
    if (!this.#subscriptions.size) return;
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#keepAliveTimer);
    const socket = this.#socket;
    this.#socket = null;
    socket?.close();
    this.#connect();
  }

  /** Skips the backoff wait (the "retry now" button, the browser coming back online). */
  reconnectNow() {
    if (this.#state === "live" || this.#state === "connecting" || !this.#subscriptions.size) return;
    clearTimeout(this.#retryTimer);
    this.#connect();
  }

  async #connect() {
    const generation = ++this.#generation;
    this.#setState("connecting");
    let token;
    try {
      token = await this.#getToken();
    } catch {
      if (generation === this.#generation) this.#scheduleReconnect();
      return;
    }
    // Closed, offline, or restarted meanwhile: a newer connect (or none) is in charge.
    if (generation !== this.#generation || this.#state !== "connecting") return;
    const header = base64url(JSON.stringify({ host: this.#host, Authorization: token }));
    const socket = new WebSocket(this.#url, ["graphql-ws", `header-${header}`]);
    this.#socket = socket;
    this.#token = token;
    socket.addEventListener("open", () => this.#send({ type: "connection_init" }));
    socket.addEventListener("message", (event) => {
      if (this.#socket === socket) this.#receive(event.data);
    });
    socket.addEventListener("close", () => {
      if (this.#socket !== socket) return; // an old socket we already dropped
      this.#socket = null;
      this.#scheduleReconnect();
    });
  }

  /** @param {string} text one message from the server */
  #receive(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    const subscription = message.id ? this.#subscriptions.get(message.id) : undefined;
    switch (message.type) {
      case "connection_ack":
        this.#attempt = 0;
        this.#keepAliveMs = message.payload?.connectionTimeoutMs ?? 300_000;
        this.#armKeepAlive();
        this.#setState("live");
        for (const id of this.#subscriptions.keys()) this.#start(id);
        if (!this.#subscriptions.size) this.dispatchEvent(new Event("synced"));
        break;
      case "ka":
        this.#armKeepAlive();
        break;
      case "start_ack":
        if (subscription) this.#settle(subscription);
        break;
      case "data":
        if (subscription && message.payload?.data) subscription.onData(message.payload.data);
        break;
      case "error":
        this.#problem(message.payload);
        if (subscription) this.#settle(subscription);
        break;
      case "connection_error":
        this.#problem(message.payload);
        this.#socket?.close();
        break;
      case "complete":
        if (subscription) this.#subscriptions.delete(message.id);
        break;
      default:
        break;
    }
  }

  /** @param {string} id */
  #start(id) {
    const subscription = this.#subscriptions.get(id);
    if (!subscription) return;
    const { query, variables } = subscription;
    subscription.settled = false;
    this.#send({
      id,
      type: "start",
      payload: {
        data: JSON.stringify({ query, variables }),
        extensions: { authorization: { host: this.#host, Authorization: this.#token } },
      },
    });
  }

  /** @param {Subscription} subscription */
  #settle(subscription) {
    subscription.settled = true;
    if ([...this.#subscriptions.values()].every((s) => s.settled)) {
      this.dispatchEvent(new Event("synced"));
    }
  }

  /** @param {{errors?: {message?: string, errorType?: string}[]} | undefined} payload */
  #problem(payload) {
    const error = payload?.errors?.[0];
    const message = error?.message ?? error?.errorType ?? "Live updates were refused.";
    this.dispatchEvent(new CustomEvent("problem", { detail: { message } }));
  }

  #armKeepAlive() {
    clearTimeout(this.#keepAliveTimer);
    // No `ka` within the advertised timeout means the connection is dead without a close.
    this.#keepAliveTimer = setTimeout(() => this.#drop("reconnecting"), this.#keepAliveMs);
  }

  /** @param {"offline" | "reconnecting"} nextState */
  #drop(nextState) {
    this.#generation += 1;
    clearTimeout(this.#keepAliveTimer);
    const socket = this.#socket;
    this.#socket = null;
    socket?.close();
    if (nextState === "reconnecting") this.#scheduleReconnect();
    else this.#setState(nextState);
  }

  #scheduleReconnect() {
    clearTimeout(this.#keepAliveTimer);
    if (this.#state === "offline") return;
    if (!navigator.onLine) {
      this.#setState("offline");
      return;
    }
    // Exponential backoff with jitter, so a restarted server is not hit by everyone at once.
    const ceiling = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.#attempt);
    const retryInMs = Math.round(ceiling * (0.5 + Math.random() * 0.5));
    this.#attempt += 1;
    this.#setState("reconnecting", retryInMs);
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.#connect(), retryInMs);
  }

  /** @param {State} state @param {number} [retryInMs] */
  #setState(state, retryInMs) {
    this.#state = state;
    this.dispatchEvent(new CustomEvent("status", { detail: { state, retryInMs } }));
  }

  /** @param {object} message */
  #send(message) {
    if (this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(message));
  }
}
