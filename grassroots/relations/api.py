from ninja import Router

router = Router(tags=["组织关系"])
