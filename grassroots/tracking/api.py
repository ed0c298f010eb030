"""REST API of tracking under /api/v1/tracking/, scoped like the pages."""

from ninja import Router

router = Router(tags=["任务与进度"])
