"""GraphiQL, served from the npm packages `make setup` installs — no CDN, nothing committed.

The page loads React, GraphiQL and the `graphql-ws` client from `node_modules` (through the
`/graphiql/assets/<name>` routes below, which serve only the files listed in `ASSETS`). Queries
and mutations go to `/graphql` with the headers of GraphiQL's header editor (pre-filled with the
server's `graphiql_headers` — by default the API key — and kept in GraphiQL's storage across
reloads); subscriptions go over graphql-transport-ws with those same headers as the connection
payload, so AppSync's authorization applies to them too.
"""

import json
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response

__all__ = ["ASSETS", "find_node_modules", "graphiql_asset", "graphiql_page"]

# URL name -> file under node_modules (versions pinned in package.json).
ASSETS = {
    "react.js": "react/umd/react.production.min.js",
    "react-dom.js": "react-dom/umd/react-dom.production.min.js",
    "graphiql.js": "graphiql/graphiql.min.js",
    "graphiql.css": "graphiql/graphiql.min.css",
    "graphql-ws.js": "graphql-ws/umd/graphql-ws.min.js",
}

_MISSING = (
    "GraphiQL's files are not installed. Run `make setup` (it runs `npm install` from "
    "package.json), then restart `retro serve`."
)

# The first document a new GraphiQL shows. Its lines stay short (under 50 characters): at
# 1280 px the editor is about half the window, and its toolbar covers the right-hand end.
_DEFAULT_QUERY = """# Local AppSync. The credential in Headers,
# below, may only run createUser. Any other
# field answers "Not Authorized" until you:
#   1. run CreateUser (the ▶ button),
#   2. copy the token it answers,
#   3. set in Headers, below:
#      "Authorization": "<the token>"
# Headers are kept when you reload this page.
mutation CreateUser {
  createUser(name: "Explorer") {
    token
    user { id name }
  }
}
"""

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphiQL · local AppSync</title>
<link rel="stylesheet" href="/graphiql/assets/graphiql.css">
<style>html, body, #graphiql {{ height: 100%; margin: 0; }}</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/graphiql/assets/react.js"></script>
<script src="/graphiql/assets/react-dom.js"></script>
<script src="/graphiql/assets/graphql-ws.js"></script>
<script src="/graphiql/assets/graphiql.js"></script>
<script id="retro-config" type="application/json">{config}</script>
<script>
(function () {{
  const config = JSON.parse(document.getElementById("retro-config").textContent);
  const wsUrl = config.graphqlUrl.replace(/^http/, "ws");

  function operationOf(params, opts) {{
    const doc = opts && opts.documentAST;
    if (!doc) return null;
    const ops = doc.definitions.filter((d) => d.kind === "OperationDefinition");
    const named = ops.find((d) => d.name && d.name.value === params.operationName);
    return (named || ops[0] || {{}}).operation || null;
  }}

  function subscribe(params, headers) {{
    const client = graphqlWs.createClient({{
      url: wsUrl, connectionParams: headers, lazy: true, retryAttempts: 0,
    }});
    const iterator = client.iterate(params);
    return {{
      [Symbol.asyncIterator]() {{
        return {{
          next: () => iterator.next(),
          return: async () => {{ const r = await iterator.return(); client.dispose(); return r; }},
        }};
      }},
    }};
  }}

  function fetcher(params, opts) {{
    const headers = Object.assign({{}}, (opts && opts.headers) || {{}});
    if (operationOf(params, opts) === "subscription") return subscribe(params, headers);
    return fetch(config.graphqlUrl, {{
      method: "POST",
      headers: Object.assign({{ "content-type": "application/json" }}, headers),
      body: JSON.stringify(params),
    }}).then((response) => response.json());
  }}

  // Headers persist in GraphiQL's own storage (a pasted token survives a reload). The API
  // key is the server's and may have changed since (a server started in memory makes a new
  // one): a kept x-api-key takes the server's value now. Every other header is the person's
  // (a pasted Authorization stays, even where the server pre-fills another).
  const freshKey = (config.defaultHeaders || {{}})["x-api-key"];
  function withKey(text) {{
    try {{
      const headers = JSON.parse(text);
      if (!freshKey || !headers || typeof headers !== "object") return text;
      if (!("x-api-key" in headers) || headers["x-api-key"] === freshKey) return text;
      headers["x-api-key"] = freshKey;
      return JSON.stringify(headers, null, 2);
    }} catch (error) {{
      return text; // half-typed headers: left as they are
    }}
  }}
  // GraphiQL finds its open tab again by the last headers it stored ("graphiql:headers"),
  // but drops that key once loaded: from the second reload on, the tab was not found and a
  // new one opened with the default headers. The open tab's headers are put back first.
  try {{
    const kept = localStorage.getItem("graphiql:headers");
    if (kept) localStorage.setItem("graphiql:headers", withKey(kept));
    const tabs = JSON.parse(localStorage.getItem("graphiql:tabState") || "null");
    if (tabs && Array.isArray(tabs.tabs)) {{
      for (const tab of tabs.tabs) if (tab.headers) tab.headers = withKey(tab.headers);
      localStorage.setItem("graphiql:tabState", JSON.stringify(tabs));
      const open = tabs.tabs[tabs.activeTabIndex];
      if (open && open.headers) localStorage.setItem("graphiql:headers", open.headers);
    }}
  }} catch (error) {{
    // storage unreadable: GraphiQL starts from its defaults
  }}

  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {{
      fetcher,
      defaultQuery: config.defaultQuery,
      defaultHeaders: JSON.stringify(config.defaultHeaders, null, 2),
      shouldPersistHeaders: true,
      defaultEditorToolsVisibility: "headers",
    }}),
  );
}})();
</script>
</body>
</html>
"""


def find_node_modules(*starts: Path) -> Path | None:
    """The nearest `node_modules` with GraphiQL in it, looking up from each start directory."""
    for start in starts:
        for directory in (start, *start.parents):
            candidate = directory / "node_modules"
            if (candidate / ASSETS["graphiql.js"]).is_file():
                return candidate
    return None


async def graphiql_page(request: Request) -> Response:
    state = request.app.state
    if state.node_modules is None:
        return PlainTextResponse(_MISSING, status_code=503)
    config = {
        **state.public_config,
        "defaultQuery": _DEFAULT_QUERY,
        "defaultHeaders": getattr(state, "graphiql_headers", {}),
    }
    # JSON inside <script>: escape '<' so no value can close the element.
    text = json.dumps(config).replace("<", "\\u003c")
    return HTMLResponse(_PAGE.format(config=text), headers={"cache-control": "no-store"})


async def graphiql_asset(request: Request) -> Response:
    state = request.app.state
    relative = ASSETS.get(request.path_params["name"])
    if relative is None:
        return PlainTextResponse("Not found", status_code=404)
    if state.node_modules is None:
        return PlainTextResponse(_MISSING, status_code=503)  # plain text: nothing to escape
    return FileResponse(Path(state.node_modules) / relative)
