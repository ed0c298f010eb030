"""This app's part of the scoping walk (grassroots/core/tests/test_scoping_walk.py): every URL name and API
write route of the app, classified, and the objects one side owns."""

# URL name -> which of the other side's objects fills its first <int:...> argument.
WEB_OBJECT = {
    "volunteering:end": "vol_registration", "volunteering:claim": "vol_slot", "volunteering:cancel": "vol_claim",
    "volunteering:statement": "member",
    "volunteering:desk_registration": "vol_registration", "volunteering:desk_record": "vol_registration",
    "volunteering:desk_evaluate": "vol_registration", "volunteering:desk_hours": "vol_log", "volunteering:desk_slot": "vol_post",
    "volunteering:desk_match": "vol_offer", "volunteering:desk_close_need": "vol_need",
}
# Extra URL arguments besides the object.
WEB_KWARGS = {}
# URL names without an object: lists and forms; their output must not show the other side's records.
WEB_LISTS = {
    "volunteering:my", "volunteering:register", "volunteering:report_hours", "volunteering:desk", "volunteering:desk_export",
    "volunteering:desk_post", "volunteering:desk_need", "volunteering:desk_cap", "volunteering:unit", "volunteering:unit_export",
    "volunteering:unit_import", "volunteering:unit_template", "volunteering:unit_offer", "volunteering:stats", "volunteering:stats_export",
}
# URL names anyone may open without logging in (the public portal): not walked for siblings.
WEB_PUBLIC = set()
# API path parameter -> which object fills it.
API_PARAM = {"registration_id": "vol_registration", "slot_id": "vol_slot", "claim_id": "vol_claim", "log_id": "vol_log"}
# A valid body for every API write route: (method, path) -> function(other side's objects) -> body.
API_BODY = {
    ("post", "/api/v1/volunteering/registrations"): lambda o: {"member_id": o["member"], "community_id": o["org"], "basis": "live"},
    ("post", "/api/v1/volunteering/registrations/{registration_id}/decide"): lambda o: {"accept": True},
    ("post", "/api/v1/volunteering/slots/{slot_id}/claim"): lambda o: {},
    ("post", "/api/v1/volunteering/claims/{claim_id}/cancel"): lambda o: {},
    ("post", "/api/v1/volunteering/registrations/{registration_id}/hours"): lambda o: {
        "served_on": "2026-01-10", "hours": "2", "content": "越权"},
    ("post", "/api/v1/volunteering/hours/{log_id}/decide"): lambda o: {"accept": True},
    ("post", "/api/v1/volunteering/registrations/{registration_id}/evaluate"): lambda o: {"year": 2026, "grade": "good"},
}
# Write routes that act only on the caller's own rows.
API_OWN_WRITES = set()
# API routes open to anyone (public verification): not walked for siblings.
API_PUBLIC = set()


def objects(branch, member, user):
    """The side's member registered (pending) at a community that is the side's own branch, a post with a future slot
    the member claimed, a self-reported service log, a need and an agency offer to it."""
    import datetime

    from django.utils import timezone

    from grassroots.volunteering.models import Claim, Need, Offer, Post, Registration, ServiceCategory, ServiceLog, Slot

    category = ServiceCategory.objects.first() or ServiceCategory.objects.create(name="环境整治", order=1)
    reg = Registration.objects.create(member=member, org_path=member.org_path, unit=branch, community=branch, community_path=branch.path,
                                      basis="live", registered_on=datetime.date(2026, 1, 5), skills=f"{member.name}的特长")
    post = Post.objects.create(community=branch, community_path=branch.path, category=category, title=f"{branch.name}服务岗")
    start = timezone.now() + datetime.timedelta(days=30)
    slot = Slot.objects.create(post=post, starts_at=start, ends_at=start + datetime.timedelta(hours=2), capacity=3, taken=1)
    claim = Claim.objects.create(slot=slot, member=member, org_path=member.org_path, community_path=branch.path)
    log = ServiceLog.objects.create(member=member, org_path=member.org_path, unit=branch, community=branch, community_path=branch.path,
                                    served_on=datetime.date(2026, 1, 10), year=2026, hours=2, content=f"{member.name}服务", self_reported=True)
    need = Need.objects.create(community=branch, community_path=branch.path, category=category, title=f"{branch.name}需求")
    offer = Offer.objects.create(org=branch, org_path=branch.path, community=branch, community_path=branch.path, category=category,
                                 title=f"{branch.name}资源")
    return {"vol_registration": reg.pk, "vol_post": post.pk, "vol_slot": slot.pk, "vol_claim": claim.pk, "vol_log": log.pk,
            "vol_need": need.pk, "vol_offer": offer.pk}
