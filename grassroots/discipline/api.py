"""REST API of discipline under /api/v1/discipline/, scoped like the pages."""

from ninja import Router

router = Router(tags=["正风肃纪与减负"])
