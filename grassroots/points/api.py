from ninja import Router

router = Router(tags=["积分与星级"])
