"""Retro's developer tools: the `retro` command (`serve`, `console`), the API reference
generator and the Lambda packaging. None of it ships to Lambda.

- `cli`: the `retro` command.
- `serve`: `retro serve` — the local AppSync (`appsync_local`) wired to Retro's API, client and
  an embedded DynamoDB, with optional demo data.
- `console`: `retro console`, a Python shell on the store and services.
- `apidocs`, `apidocs_examples`: the reference part of docs/API.md, generated from the SDL.
- `packaging`: `make package`, one deterministic zip per Lambda function.
- `smoke`, `smoke_meeting`: `retro smoke URL`, a real meeting against a deployed stack (or the
  local server), one PASS/FAIL line per step.
"""

__all__: list[str] = []
