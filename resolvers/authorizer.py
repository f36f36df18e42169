"""Lambda `authorizer`: AppSync's AWS_LAMBDA authorization for user tokens.

AppSync sends `{"authorizationToken", "requestContext": {...}, "requestHeaders": {...}}` and
expects `{"isAuthorized", "resolverContext", "ttlOverride"}` ("AWS_LAMBDA authorization" in the
AppSync guide). The user id goes into `resolverContext`, which AppSync hands to every resolver
as `identity.resolverContext`. AppSync caches the answer per token for the TTL.
"""

import logging
from typing import Any

from resolvers.logs import log
from retro import services
from retro.errors import RetroError
from retro.services import default_store

__all__ = ["TTL_SECONDS", "handler"]

TTL_SECONDS = 300  # as schema/resolvers.json's authorizer.ttlSeconds (a test holds them equal)


def handler(event: dict[str, Any], _context: Any = None) -> dict[str, Any]:
    token = event.get("authorizationToken") if isinstance(event, dict) else None
    if not isinstance(token, str):
        return {"isAuthorized": False}
    try:
        user_id = services.authenticate(default_store(), token)
    except RetroError:
        return {"isAuthorized": False, "ttlOverride": 0}
    except Exception:
        log(logging.ERROR, "authorizer failed", exc_info=True)
        return {"isAuthorized": False, "ttlOverride": 0}
    return {
        "isAuthorized": True,
        "resolverContext": {"userId": user_id},
        "ttlOverride": TTL_SECONDS,
    }
