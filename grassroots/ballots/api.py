"""REST API of ballots under /api/v1/ballots/, scoped like the pages."""

from ninja import Router

router = Router(tags=["评议与表决"])
