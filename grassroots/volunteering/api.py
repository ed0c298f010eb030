"""REST API of volunteering under /api/v1/volunteering/, scoped like the pages."""

from ninja import Router

router = Router(tags=["在职党员到社区报到"])
