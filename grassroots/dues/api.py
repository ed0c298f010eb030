from ninja import Router

router = Router(tags=["党费"])
