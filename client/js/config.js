// @ts-check
// Where the API lives: `config.json` next to index.html, served by `retro serve` locally and
// written by Terraform in the cloud. Nothing else in the client knows a URL.

/**
 * @typedef {object} Config
 * @property {string} graphqlUrl  absolute https?:// URL of the GraphQL endpoint
 * @property {string} realtimeUrl absolute wss?:// URL of AppSync's realtime endpoint
 */

/**
 * Loads and checks config.json. Relative URLs are resolved against the page, so a server may
 * write `"/graphql"`; a relative realtime URL becomes ws:// or wss:// on the page's host.
 * @returns {Promise<Config>}
 */
export async function loadConfig() {
  const response = await fetch("./config.json", { cache: "no-store" });
  if (!response.ok) {
    throw new Error(`config.json could not be loaded (HTTP ${response.status}).`);
  }
  const raw = await response.json();
  // No credential here: the API's only mode is its Lambda authorizer, and the credential that
  // creates a user is a fixed string (api.js, ANONYMOUS_TOKEN). A config.json of the API-key
  // era still loads; its apiKey is not used.
  for (const key of ["graphqlUrl", "realtimeUrl"]) {
    if (typeof raw[key] !== "string" || raw[key] === "") {
      throw new Error(`config.json has no "${key}".`);
    }
  }
  const realtime = new URL(raw.realtimeUrl, location.href);
  if (realtime.protocol === "http:") realtime.protocol = "ws:";
  if (realtime.protocol === "https:") realtime.protocol = "wss:";
  return {
    graphqlUrl: new URL(raw.graphqlUrl, location.href).href,
    realtimeUrl: realtime.href,
  };
}
