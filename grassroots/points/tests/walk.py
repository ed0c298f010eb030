"""This app's part of the scoping walk (grassroots/core/tests/test_scoping_walk.py): every URL name and API
write route of the app, classified, and the objects one side owns."""

import datetime

# URL name -> which of the other side's objects fills its first <int:...> argument.
WEB_OBJECT = {
    "points:org": "org", "points:rules": "org", "points:recompute": "org", "points:rate": "org", "points:confirm": "org",
    "points:export": "org", "points:member": "member", "points:entry_new": "member", "points:entry_decide": "point_entry",
}
# Extra URL arguments besides the object.
WEB_KWARGS = {}
# URL names without an object: lists and forms; their output must not show the other side's records.
WEB_LISTS = {"points:home", "points:mine"}
# URL names anyone may open without logging in (the public portal): not walked for siblings.
WEB_PUBLIC = set()
# API path parameter -> which object fills it.
API_PARAM = {"entry_id": "point_entry"}
# A valid body for every API write route: (method, path) -> function(other side's objects) -> body.
API_BODY = {
    ("post", "/api/v1/points/entries"): lambda o: {"member_id": o["member"], "category": "service", "points": 2, "description": "越权"},
    ("post", "/api/v1/points/entries/{entry_id}/decide"): lambda o: {"approve": True},
    ("post", "/api/v1/points/recompute"): lambda o: {"org_id": o["org"], "year": 2026},
    ("post", "/api/v1/points/ratings"): lambda o: {"org_id": o["org"], "year": 2025},
    ("post", "/api/v1/points/ratings/confirm"): lambda o: {"org_id": o["org"], "year": 2025},
    ("put", "/api/v1/points/rules/{org_id}"): lambda o: {
        "meeting_present": 2, "dues_on_time": 1, "absent": -2, "dues_unpaid": -1, "star1": 1, "star2": 2, "star3": 3, "star4": 4, "star5": 5,
    },
    # the caller's own member record only: a secretary without one gets 404, and nobody reaches the other side
    ("post", "/api/v1/points/mine/entries"): lambda o: {"category": "service", "points": 2, "description": "越权"},
}
# Write routes that act only on the caller's own rows.
API_OWN_WRITES = set()
# API routes open to anyone (public verification): not walked for siblings.
API_PUBLIC = set()


def objects(branch, member, user):
    """Create this app's records owned by `branch` (one side of the walk) and return {name: pk}.
    `member` is a member of `branch`; `user` is the side's secretary (or district department)."""
    from grassroots.points.models import PointEntry, StarRating

    entry = PointEntry.objects.create(
        member=member, org_path=member.org_path, date=datetime.date(2026, 3, 1), year=2026, category="service", points=3,
        source="manual", description="志愿服务", state="pending", proposed_by=user,
    )
    StarRating.objects.create(member=member, org=branch, org_path=branch.path, year=2025, total=30, stars=2, thresholds=[20, 30, 40, 50, 60])
    return {"point_entry": entry.pk}
