"""This app's part of the scoping walk (grassroots/core/tests/test_scoping_walk.py): every URL name and API write route of the app, classified, and the objects one side owns."""

import datetime

# URL name -> which of the other side's objects fills its first <int:...> argument.
WEB_OBJECT = {
    "relations:transfer_detail": "transfer", "relations:transfer_letter": "transfer", "relations:transfer_accept": "transfer",
    "relations:transfer_reject": "transfer", "relations:transfer_cancel": "transfer", "relations:transfer_reissue": "transfer",
    "relations:transfer_receipt": "transfer", "relations:destinations": "org",
    "relations:floating_detail": "floating", "relations:floating_edit": "floating", "relations:floating_return": "floating",
    "relations:lost_detail": "lost_case", "relations:lost_search": "lost_case", "relations:lost_suspend": "lost_case",
    "relations:lost_self_left": "lost_case", "relations:lost_restore": "lost_case",
}
# Extra URL arguments besides the object.
WEB_KWARGS = {}
# URL names without an object: lists and forms; their output must not show the other side's records.
WEB_LISTS = {
    "relations:transfer_list", "relations:floating_list", "relations:transfer_export", "relations:transfer_new", "relations:transfer_incoming",
    "relations:member_search", "relations:floating_export", "relations:floating_new", "relations:lost_list", "relations:lost_export",
    "relations:lost_new",
}
# URL names anyone may open without logging in (the public portal): not walked for siblings.
WEB_PUBLIC = set()
# API path parameter -> which object fills it.
API_PARAM = {"transfer_id": "transfer", "record_id": "floating", "case_id": "lost_case"}
# A valid body for every API write route: (method, path) -> function(other side's objects) -> body.
API_BODY = {
    ("post", "/api/v1/relations/transfers"): lambda o: {"member_id": o["member"], "to_org_id": o["org"], "reason": "work_unit"},
    ("post", "/api/v1/relations/transfers/incoming"): lambda o: {
        "org_id": o["org"], "name": "越权转入", "gender": "male", "birth_date": "1985-06-15", "status": "full", "joined_on": "2008-07-01",
        "full_on": "2009-07-01", "from_external": "外省某党支部", "letter_number": "越权001", "issued_on": "2026-01-05", "reason": "residence",
    },
    ("post", "/api/v1/relations/transfers/{transfer_id}/accept"): lambda o: {},
    ("post", "/api/v1/relations/transfers/{transfer_id}/reject"): lambda o: {"reason": "越权"},
    ("post", "/api/v1/relations/transfers/{transfer_id}/cancel"): lambda o: {"reason": "越权"},
    ("post", "/api/v1/relations/transfers/{transfer_id}/reissue"): lambda o: {},
    ("post", "/api/v1/relations/transfers/{transfer_id}/receipt"): lambda o: {"received_on": "2026-01-10"},
    ("post", "/api/v1/relations/floating"): lambda o: {
        "member_id": o["member"], "left_on": "2025-06-01", "destination": "越权", "reason": "work",
    },
    ("patch", "/api/v1/relations/floating/{record_id}"): lambda o: {"destination": "越权修改"},
    ("post", "/api/v1/relations/floating/{record_id}/return"): lambda o: {"returned_on": "2026-01-10"},
    ("post", "/api/v1/relations/lost"): lambda o: {"member_id": o["member"], "last_contact_on": "2025-01-01"},
    ("post", "/api/v1/relations/lost/{case_id}/searches"): lambda o: {"tried_on": "2026-01-10", "method": "phone", "searcher": "越权", "result": "越权"},
    ("post", "/api/v1/relations/lost/{case_id}/suspend"): lambda o: {"decided_on": "2026-01-10", "document": "越权"},
    ("post", "/api/v1/relations/lost/{case_id}/self-left"): lambda o: {"decided_on": "2026-01-10", "document": "越权"},
    ("post", "/api/v1/relations/lost/{case_id}/restore"): lambda o: {"restored_on": "2026-01-10"},
}
# Write routes that act only on the caller's own rows.
API_OWN_WRITES = set()
# API routes open to anyone (public verification): not walked for siblings.
API_PUBLIC = set()


def objects(branch, member, user):
    """Create this app's records owned by `branch` (one side of the walk) and return {name: pk}.
    `member` is a member of `branch`; `user` is the side's secretary (or district department).

    The transfer goes from the branch to a Party group created under it, so both its ends belong to this side and
    the other side never sees it. The floating and lost-contact members are fresh members of the branch (the walk's
    `member` stays in the normal state for the other apps)."""
    from grassroots.conftest import make_member, make_org
    from grassroots.orgs.choices import Kind
    from grassroots.relations import services

    group = make_org(user, branch, f"{branch.name}转接小组", f"{branch.code}R", Kind.GROUP)
    transfer = services.issue_transfer(user, member, reason="residence", to_org=group, issued_on=datetime.date.today())
    floater = make_member(branch, f"{branch.short_name or branch.name}流动党员")
    floating = services.register_floating(user, floater, {"left_on": datetime.date(2025, 3, 1), "destination": "苏州市工业园区", "reason": "work"})
    lost = make_member(branch, f"{branch.short_name or branch.name}失联党员")
    case = services.open_lost_contact(user, lost, last_contact_on=datetime.date(2025, 1, 1))
    return {"transfer": transfer.pk, "floating": floating.pk, "lost_case": case.pk}
