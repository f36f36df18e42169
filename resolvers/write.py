"""Lambda `write`: mutations."""

from resolvers import followup, mutations
from resolvers.router import Router

__all__ = ["handler", "router"]

router = Router("write")
router.include(mutations.router)
router.include(followup.router)
handler = router.handle
