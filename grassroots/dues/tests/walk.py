"""This app's part of the scoping walk (grassroots/core/tests/test_scoping_walk.py): every URL name and API
write route of the app, classified, and the objects one side owns."""

import datetime

# URL name -> which of the other side's objects fills its first <int:...> argument.
WEB_OBJECT = {
    "dues:summary": "org", "dues:arrears": "org", "dues:collect": "org", "dues:ledger": "org", "dues:ledger_export": "org",
    "dues:carry_over": "org", "dues:declare": "member", "dues:relief_new": "member", "dues:relief_decide": "dues_relief",
}
# Extra URL arguments besides the object.
WEB_KWARGS = {}
# URL names without an object: lists and forms; their output must not show the other side's records.
WEB_LISTS = {"dues:home", "dues:reliefs"}
# URL names anyone may open without logging in (the public portal): not walked for siblings.
WEB_PUBLIC = set()
# API path parameter -> which object fills it.
API_PARAM = {"relief_id": "dues_relief"}
# A valid body for every API write route: (method, path) -> function(other side's objects) -> body.
API_BODY = {
    ("post", "/api/v1/dues/declarations"): lambda o: {"member_id": o["member"], "year": 2026, "category": "employed", "base": "4000"},
    ("post", "/api/v1/dues/payments"): lambda o: {
        "org_id": o["org"], "month": "2026-01", "payments": [{"member_id": o["member"], "amount_paid": "20.00", "paid_on": "2026-01-10"}],
    },
    ("post", "/api/v1/dues/declarations/carry-over"): lambda o: {"org_id": o["org"], "year": 2026},
    ("post", "/api/v1/dues/reliefs"): lambda o: {
        "member_id": o["member"], "kind": "exempt", "from_month": "2026-01", "to_month": "2026-06", "reason": "越权",
    },
    ("post", "/api/v1/dues/reliefs/{relief_id}/decide"): lambda o: {"approve": True, "note": "越权"},
}
# Write routes that act only on the caller's own rows.
API_OWN_WRITES = set()
# API routes open to anyone (public verification): not walked for siblings.
API_PUBLIC = set()


def objects(branch, member, user):
    """Create this app's records owned by `branch` (one side of the walk) and return {name: pk}.
    `member` is a member of `branch`; `user` is the side's secretary (or district department)."""
    from decimal import Decimal

    from grassroots.dues.models import DuesDeclaration, DuesPayment, DuesRelief

    DuesDeclaration.objects.create(
        member=member, org=branch, org_path=branch.path, year=2026, category="employed", base=Decimal("4000"), amount=Decimal("40.00"),
        effective_from=datetime.date(2025, 1, 1), declared_on=datetime.date(2025, 1, 5),
    )
    DuesPayment.objects.create(member=member, org=branch, org_path=branch.path, month=datetime.date(2025, 1, 1), amount_due=Decimal("40.00"))
    relief = DuesRelief.objects.create(
        member=member, org=branch, org_path=branch.path, kind="exempt", from_month=datetime.date(2026, 1, 1),
        to_month=datetime.date(2026, 3, 1), reason="困难", decided_by=user,
    )
    return {"dues_relief": relief.pk}
