"""Lambda `write`: mutations."""

from resolvers import mutations
from resolvers.router import Router

__all__ = ["handler", "router"]

router = Router("write")
router.include(mutations.router)
handler = router.handle
