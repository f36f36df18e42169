"""The one error taxonomy of Retro.

Every failure a client can cause raises a subclass of `RetroError`. The resolver layer turns it
into AppSync's error shape once: `errorType` is the class name, `message` is the message. Each
message names the thing (and its id or field) so that a client can act on it.
"""

__all__ = [
    "BadInputError",
    "ConflictError",
    "ForbiddenError",
    "InternalError",
    "NotFoundError",
    "RetroError",
    "UnauthorizedError",
    "UnavailableError",
]


class RetroError(Exception):
    """Base of every error a client may see. Never raised itself."""

    @property
    def error_type(self) -> str:
        return type(self).__name__


class NotFoundError(RetroError):
    """The addressed board, version, note or user does not exist (or not where it was sought)."""

    def __init__(self, kind: str, ident: str) -> None:
        super().__init__(f"{kind} {ident} not found")
        self.kind = kind
        self.ident = ident


class ForbiddenError(RetroError):
    """The caller is known but may not do this (e.g. edit someone else's note)."""


class UnauthorizedError(RetroError):
    """No valid identity: a missing, unknown or malformed token."""


class ConflictError(RetroError):
    """The request is valid but the state forbids it now (frozen version, spent vote budget)."""


class UnavailableError(RetroError):
    """DynamoDB is throttling or unreachable, or a concurrent twin failed: the client may retry."""


class BadInputError(RetroError):
    """Bad input. `field` names the offending argument, e.g. `input.text`.

    Not called `ValidationError`: that name reads like AppSync's own refusal of a document that
    does not validate against the schema (which carries no `errorType` at all in the cloud), and
    a client keyed on it would treat the two alike locally and differently in the cloud."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


# The former name, kept (outside `__all__`, which lists the errorTypes) so that code written
# against it keeps working: the same class, so its errorType is `BadInputError` too.
ValidationError = BadInputError


class InternalError(RetroError):
    """Something failed that the client cannot fix. Raised only by the resolver layer, in place
    of an unexpected exception: the message carries a correlation id, never the cause."""
