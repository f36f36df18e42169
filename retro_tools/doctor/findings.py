"""What `retro doctor` finds: a problem, where, and what repairing it would do."""

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Finding"]


@dataclass(frozen=True)
class Finding:
    """A broken invariant. `repair` does what can be done and says what it did; without one,
    `why_not` says why a person has to look."""

    where: str
    problem: str
    repair: Callable[[], str] | None = None
    why_not: str = ""

    def line(self) -> str:
        return f"{self.where}: {self.problem}"
