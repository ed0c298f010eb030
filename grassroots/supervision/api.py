"""REST API of supervision under /api/v1/supervision/, scoped like the pages."""

from ninja import Router

router = Router(tags=["督导与通知"])
