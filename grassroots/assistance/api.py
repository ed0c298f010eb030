"""REST API of assistance under /api/v1/assistance/, scoped like the pages."""

from ninja import Router

router = Router(tags=["驻村联户与结对帮扶"])
