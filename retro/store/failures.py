"""Failures inside the store, before they become the domain error that fits.

They are deliberately not `RetroError`s: a client sees a domain error the store chose (not
found, conflict, unavailable) or, if one ever escapes untranslated, an internal error — never
one of these by name.
"""

__all__ = ["ConditionFailed", "StoreFailure", "TokenReused", "TransactionFailed"]


class StoreFailure(Exception):
    """Base of the store's own failures; callers in the store translate each one."""


class ConditionFailed(StoreFailure):
    """A single-item condition failed; callers catch it and raise the error that fits."""


class TransactionFailed(StoreFailure):
    """A transaction was cancelled; `reasons[i]` is the code for its i-th action ("None" = fine)."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(f"transaction cancelled: {reasons}")
        self.reasons = reasons

    def failed(self, index: int) -> bool:
        return index < len(self.reasons) and self.reasons[index] == "ConditionalCheckFailed"


class TokenReused(StoreFailure):
    """DynamoDB's IdempotentParameterMismatch: the transaction's ClientRequestToken was used in
    the last 10 minutes for a request with other parameters (a retry made anew: new times)."""
