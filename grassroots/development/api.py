from ninja import Router

router = Router(tags=["发展党员"])
