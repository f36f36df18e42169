"""Lambda `authorizer`: AppSync's AWS_LAMBDA authorization for user tokens.

AppSync sends `{"authorizationToken", "requestContext": {...}, "requestHeaders": {...}}` and
expects `{"isAuthorized", "resolverContext", "ttlOverride"}` ("AWS_LAMBDA authorization" in the
AppSync guide). The user id goes into `resolverContext`, which AppSync hands to every resolver
as `identity.resolverContext`. AppSync caches the answer per token for the TTL.

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

__all__ = ["ATTEMPTS", "BUDGET_SECONDS", "TTL_SECONDS", "handler"]

TTL_SECONDS = 300  # as schema/resolvers.json's authorizer.ttlSeconds (a test holds them equal)
BUDGET_SECONDS = 6.0  # AppSync waits 10 s for an authorizer: room for a cold start and the answer
ATTEMPTS = 4
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
