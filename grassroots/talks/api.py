from ninja import Router

router = Router(tags=["谈心谈话"])
