"""Who is calling: AppSync's API_KEY and AWS_LAMBDA authorization modes.

- `x-api-key` header → API_KEY mode; it must equal the API's key. The identity is null. An API
  without API_KEY mode (`api_key=None`: AWS_LAMBDA only) has no key to match.
- `Authorization` header → AWS_LAMBDA mode: the authorizer handler receives AppSync's event
  (`authorizationToken`, `requestContext`, `requestHeaders`) and answers `isAuthorized`,
  `resolverContext`, `deniedFields`, `ttlOverride`. The identity is
  `{"resolverContext": ...}`. Answers are cached per token for the TTL (`ttlOverride`, else the
  authorizer's configured TTL), as AppSync caches them; the cache makes later calls skip the
  handler, so a token revoked in the store still works until its entry expires — as in AWS.
  A token that does not match the authorizer's `identityValidationExpression` is refused
  without invoking it ("A regular expression for validation of tokens before the Lambda
  function is called", AppSync API reference, `LambdaAuthorizerConfig`).
- Both headers: `Authorization` decides (the more specific credential).
- Neither, a wrong key, or a refusal: HTTP 401 with AppSync's body.

Field-level rules (`@aws_*`) are enforced per field at resolution (`FieldAuthorization`).
"""

import re
import secrets
import string
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from appsync_local.errors import UNAUTHORIZED_MESSAGE, RequestError, field_error
from appsync_local.invoke import HandlerError, Invoker
from appsync_local.sdl import API_KEY, AWS_LAMBDA, AuthRules

__all__ = [
    "AUTHORIZER_FUNCTION",
    "Authenticator",
    "Caller",
    "FieldAuthorization",
    "new_api_key",
]

AUTHORIZER_FUNCTION = "authorizer"  # the name its invocations are counted under
_MISSING_MESSAGE = "Valid authorization header not provided."


def new_api_key() -> str:
    """A key in AppSync's format: `da2-` and 26 lowercase letters and digits."""
    alphabet = string.ascii_lowercase + string.digits
    return "da2-" + "".join(secrets.choice(alphabet) for _ in range(26))


@dataclass(frozen=True)
class Caller:
    """An authenticated caller: its mode, the identity resolvers see, fields it may not read."""

    mode: str
    identity: Mapping[str, Any] | None
    denied_fields: frozenset[str] = frozenset()


@dataclass
class _Cached:
    expires: float
    answer: Mapping[str, Any]


def _denied(raw: Any) -> frozenset[str]:
    """`deniedFields` entries as `Type.field`; AppSync accepts that or the field's ARN."""
    out: set[str] = set()
    for entry in raw if isinstance(raw, list) else ():
        if not isinstance(entry, str):
            continue
        if "/types/" in entry and "/fields/" in entry:
            type_name = entry.split("/types/", 1)[1].split("/", 1)[0]
            out.add(f"{type_name}.{entry.rsplit('/fields/', 1)[1]}")
        else:
            out.add(entry)
    return frozenset(out)


class Authenticator:
    def __init__(
        self,
        *,
        api_key: str | None,
        invoker: Invoker,
        authorizer: bool,
        ttl_seconds: int,
        identity_validation: str | None = None,
        api_id: str = "local",
        account_id: str = "000000000000",
    ) -> None:
        self.api_key = api_key
        self._invoker = invoker
        self._authorizer = authorizer
        self._ttl = ttl_seconds
        self._identity = re.compile(identity_validation) if identity_validation else None
        self._api_id = api_id
        self._account = account_id
        self._cache: dict[str, _Cached] = {}

    async def authenticate(
        self,
        headers: Mapping[str, str],
        *,
        query: str = "",
        operation_name: str | None = None,
        variables: Mapping[str, Any] | None = None,
    ) -> Caller:
        """The caller behind these (lower-cased) headers, or `RequestError` (HTTP 401)."""
        token = headers.get("authorization")
        if token:
            return await self._lambda(token, headers, query, operation_name, variables or {})
        key = headers.get("x-api-key")
        if key is None or self.api_key is None:
            raise RequestError(401, "UnauthorizedException", _MISSING_MESSAGE)
        if not secrets.compare_digest(key.encode(), self.api_key.encode()):
            raise RequestError(401, "UnauthorizedException", UNAUTHORIZED_MESSAGE)
        return Caller(API_KEY, None)

    async def _lambda(
        self,
        token: str,
        headers: Mapping[str, str],
        query: str,
        operation_name: str | None,
        variables: Mapping[str, Any],
    ) -> Caller:
        if not self._authorizer or (self._identity and not self._identity.search(token)):
            raise RequestError(401, "UnauthorizedException", UNAUTHORIZED_MESSAGE)
        now = time.monotonic()
        cached = self._cache.get(token)
        if cached is not None and cached.expires > now:
            answer = cached.answer
        else:
            answer = await self._ask(token, headers, query, operation_name, variables)
        if answer.get("isAuthorized") is not True:
            raise RequestError(401, "UnauthorizedException", UNAUTHORIZED_MESSAGE)
        context = answer.get("resolverContext")
        return Caller(
            AWS_LAMBDA,
            {"resolverContext": dict(context) if isinstance(context, Mapping) else {}},
            _denied(answer.get("deniedFields")),
        )

    async def _ask(
        self,
        token: str,
        headers: Mapping[str, str],
        query: str,
        operation_name: str | None,
        variables: Mapping[str, Any],
    ) -> Mapping[str, Any]:
        event = {
            "authorizationToken": token,
            "requestContext": {
                "apiId": self._api_id,
                "accountId": self._account,
                "requestId": str(uuid.uuid4()),
                "queryString": query,
                "operationName": operation_name,
                "variables": dict(variables),
            },
            "requestHeaders": {k: v for k, v in headers.items() if k != "cookie"},
        }
        try:
            answer = await self._invoker.invoke(AUTHORIZER_FUNCTION, event)
        except HandlerError:
            # AppSync treats a failing authorizer as a refusal.
            raise RequestError(401, "UnauthorizedException", UNAUTHORIZED_MESSAGE) from None
        if not isinstance(answer, dict):
            raise RequestError(401, "UnauthorizedException", UNAUTHORIZED_MESSAGE)
        ttl = answer.get("ttlOverride", self._ttl)
        if isinstance(ttl, int) and not isinstance(ttl, bool) and ttl > 0:
            self._cache[token] = _Cached(time.monotonic() + ttl, answer)
            if len(self._cache) > 10_000:  # bound memory: drop the expired, then the oldest
                now = time.monotonic()
                for key in [k for k, v in self._cache.items() if v.expires <= now] or list(
                    self._cache
                )[:1000]:
                    self._cache.pop(key, None)
        return answer

    def forget(self) -> None:
        """Empty the authorizer cache (tests)."""
        self._cache.clear()


class FieldAuthorization(SchemaExtension):
    """AppSync's per-field check: the caller's mode must be allowed on the field, and the field
    not in the authorizer's `deniedFields`. A refused field is null with an `Unauthorized`
    error, and its resolver never runs."""

    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        field_name = info.field_name
        parent = info.parent_type.name
        if not field_name.startswith("__") and not parent.startswith("__"):
            context = info.context
            caller: Caller = context.caller
            rules: AuthRules = context.auth_rules
            if caller.mode not in rules.modes(parent, field_name) or (
                caller.denied_fields and f"{parent}.{field_name}" in caller.denied_fields
            ):
                raise _refusal(field_name, parent)
        return _next(root, info, *args, **kwargs)


def _refusal(field_name: str, parent: str) -> GraphQLError:
    return field_error(f"Not Authorized to access {field_name} on type {parent}", "Unauthorized")
