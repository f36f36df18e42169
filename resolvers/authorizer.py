"""Lambda `authorizer`: AppSync's AWS_LAMBDA authorization, the API's only mode.

AppSync sends `{"authorizationToken", "requestContext": {...}, "requestHeaders": {...}}` and
expects `{"isAuthorized", "resolverContext", "deniedFields", "ttlOverride"}` ("AWS_LAMBDA
authorization" in the AppSync guide). AppSync caches the answer per token for the TTL.

Two kinds of credential:
- a user token `<user id>.<secret>`: the user id goes into `resolverContext`, which AppSync
  hands to every resolver as `identity.resolverContext`; `createUser` is denied (a user has one);
- `ANONYMOUS_TOKEN`, the same for everyone (the browser before it has a user, integrators):
  admitted with `deniedFields` naming every field that runs a resolver except
  `Mutation.createUser`, so it can create a user and nothing else. AppSync nulls a denied field
  with an `Unauthorized` error; the resolvers do not rely on it — each refuses a call without a
  user id in `resolverContext` (deny by default, `resolvers.router.Call.require_user`).

"Not authorized" is said only of a token that was checked and is not a user's: a client that
hears it may give up its identity. A token that could not be checked — the database busy or
unreachable — is tried again within `BUDGET_SECONDS`, safely inside the 10 seconds AppSync gives
an authorizer; then the handler raises, so the request fails without a verdict on the token
(and nothing is cached).
"""

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as WaitedTooLong
from typing import Any

from resolvers.logs import log
from retro import services
from retro.errors import UnauthorizedError, UnavailableError
from retro.services import default_store

__all__ = [
    "ANONYMOUS_DENIED_FIELDS",
    "ANONYMOUS_TOKEN",
    "ATTEMPTS",
    "BUDGET_SECONDS",
    "TTL_SECONDS",
    "USER_DENIED_FIELDS",
    "handler",
]

TTL_SECONDS = 300  # as schema/resolvers.json's authorizer.ttlSeconds (a test holds them equal)
BUDGET_SECONDS = 6.0  # AppSync waits 10 s for an authorizer: room for a cold start and the answer
ATTEMPTS = 4

# The anonymous credential: a fixed, public string (docs/API.md, "Authorization"); infra's
# identity_validation_expression admits it beside the user tokens' shape.
ANONYMOUS_TOKEN = "anonymous"  # noqa: S105 — public by design, not a secret
# Every root field and every field with a resolver, but createUser. AppSync takes no wildcard
# ("Mutation" or "Mutation.*" deny nothing): each field by name. tests/api/test_anonymous.py
# holds this equal to what schema/schema.graphql and schema/resolvers.json define, so a new
# field cannot be left open to the anonymous credential.
ANONYMOUS_DENIED_FIELDS = (
    "Query.board",
    "Query.me",
    "Query.participation",
    "Query.trend",
    "Mutation.createBoard",
    "Mutation.updateBoard",
    "Mutation.deleteBoard",
    "Mutation.startNewVersion",
    "Mutation.addNote",
    "Mutation.updateNote",
    "Mutation.deleteNote",
    "Mutation.vote",
    "Mutation.unvote",
    "Mutation.setStage",
    "Mutation.startTimer",
    "Mutation.extendTimer",
    "Mutation.stopTimer",
    "Mutation.updateAction",
    "Mutation.groupNotes",
    "Mutation.renameGroup",
    "Mutation.ungroupNote",
    "Subscription.onNoteAdded",
    "Subscription.onNoteUpdated",
    "Subscription.onNoteDeleted",
    "Subscription.onBoardUpdated",
    "Subscription.onBoardDeleted",
    "Subscription.onVersionStarted",
    "Subscription.onVersionChanged",
    "Subscription.onGroupChanged",
    "User.boards",
    "Board.version",
    "BoardVersion.export",
)
USER_DENIED_FIELDS = ("Mutation.createUser",)  # a user's token makes no second user
FIRST_PAUSE_SECONDS = 0.2  # then doubled: 0.2, 0.4, 0.8

# One token check at a time runs here, so a read stuck in the network cannot hold the handler
# past its budget (botocore's timeouts and 4 attempts allow a single read ~30 s).
_checks = ThreadPoolExecutor(max_workers=2, thread_name_prefix="retro-authorizer")
clock: Callable[[], float] = time.monotonic  # tests replace both: counts, never wall time
sleep: Callable[[float], None] = time.sleep


def handler(event: dict[str, Any], _context: Any = None) -> dict[str, Any]:
    token = event.get("authorizationToken") if isinstance(event, dict) else None
    if not isinstance(token, str):
        return {"isAuthorized": False}
    if token == ANONYMOUS_TOKEN:
        return {
            "isAuthorized": True,
            "resolverContext": {},
            "deniedFields": list(ANONYMOUS_DENIED_FIELDS),
            "ttlOverride": TTL_SECONDS,
        }
    try:
        user_id = _check(token)
    except UnauthorizedError:
        return {"isAuthorized": False, "ttlOverride": 0}
    except Exception:
        log(logging.ERROR, "authorizer could not check a token", exc_info=True)
        raise
    return {
        "isAuthorized": True,
        "resolverContext": {"userId": user_id},
        "deniedFields": list(USER_DENIED_FIELDS),
        "ttlOverride": TTL_SECONDS,
    }


def _check(token: str) -> str:
    """The token's user id, with the read retried while the database is unavailable."""
    deadline = clock() + BUDGET_SECONDS
    pause = FIRST_PAUSE_SECONDS
    for attempt in range(1, ATTEMPTS + 1):
        remaining = deadline - clock()
        if remaining <= 0:
            break
        check = _checks.submit(services.authenticate, default_store(), token)
        try:
            return check.result(timeout=remaining)
        except WaitedTooLong:
            break
        except UnavailableError:
            if attempt == ATTEMPTS or clock() + pause >= deadline:
                break
            sleep(pause)
            pause *= 2
    raise UnavailableError("the token could not be checked now: the database did not answer")
