// @ts-check
// `retro serve --demo` prints a link that opens the demo board as its owner:
// `#/board/<id>?owner=<token>`. The token is the demo facilitator's, shown in the same terminal;
// a URL fragment never reaches a server (no access log holds it). The client takes it once:
// the address bar loses it at once (replaced, so neither history nor a copied link keeps it),
// and app.js gives it to the Api (`adopt`), which keeps this browser's identity.
//
// Only on a loopback host, where `retro serve` runs: a deployed client never lets a link
// change who the person is. Anywhere else, a link carrying someone's token could make a
// visitor write notes as that user, and the link's sender could then read which notes were
// the visitor's (Participation.myNotes) — an anonymity leak. On this machine the token is
// one its own server made.

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);
const PATTERN = /^(#\/board\/[^/?#]+)\?owner=([^&#]+)$/;

/**
 * Reads and removes the handover from the address bar. Call before anything reads the route.
 * @returns {string | null} the token, where one may be taken
 */
export function takeHandover() {
  const match = PATTERN.exec(location.hash);
  if (!match) return null;
  history.replaceState(history.state, "", match[1]);
  return LOOPBACK.has(location.hostname) ? decodeURIComponent(match[2]) : null;
}
