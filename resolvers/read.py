"""Lambda `read`: queries, nested fields and subscribe-time checks. Its role may only read."""

from resolvers import queries, subscriptions, trends
from resolvers.router import Router

__all__ = ["handler", "router"]

router = Router("read")
router.include(queries.router)
router.include(subscriptions.router)
router.include(trends.router)
handler = router.handle
