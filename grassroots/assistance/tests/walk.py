"""This app's part of the scoping walk (grassroots/core/tests/test_scoping_walk.py): every URL name and API
write route of the app, classified, and the objects one side owns."""

_A = "assistance:"
# URL name -> which of the other side's objects fills its first <int:...> argument.
WEB_OBJECT = {
    f"{_A}pairing_detail": "pairing", f"{_A}pairing_end": "pairing", f"{_A}book_open": "pairing", f"{_A}book_task_add": "pairing",
    f"{_A}book_report": "book_task", f"{_A}poor_lift": "poor",
    f"{_A}stationing_detail": "stationing", f"{_A}attendance_record": "stationing", f"{_A}leave_request": "stationing", f"{_A}log_write": "stationing",
    f"{_A}stationing_recall": "stationing", f"{_A}stationing_replace": "stationing", f"{_A}assessment_save": "stationing",
    f"{_A}leave_decide": "leave", f"{_A}household_detail": "household", f"{_A}household_reveal": "household", f"{_A}household_link": "household",
    f"{_A}visit_record": "household_link", f"{_A}rating_open": "org",
}
# Extra URL arguments besides the object.
WEB_KWARGS = {f"{_A}book_open": {"kind": "pairing"}, f"{_A}book_task_add": {"kind": "pairing"}, f"{_A}household_reveal": {"field": "phone"}}
# URL names without an object: lists and forms; their output must not show the other side's records.
WEB_LISTS = {f"{_A}{n}" for n in (
    "coverage", "coverage_export", "pairing_list", "pairing_export", "pairing_create", "bulletin", "poor_list", "poor_create", "stationing_list",
    "stationing_export", "stationing_create", "leave_list", "attendance_report", "household_list", "household_create", "assessment_list",
)}
# URL names anyone may open without logging in (the public portal): not walked for siblings.
WEB_PUBLIC = set()
# API path parameter -> which object fills it.
API_PARAM = {"stationing_id": "stationing", "leave_id": "leave", "link_id": "household_link"}
_P = "/api/v1/assistance"
# A valid body for every API write route: (method, path) -> function(other side's objects) -> body.
API_BODY = {
    ("post", f"{_P}/pairings"): lambda o: {"partner_id": o["org"], "village_id": o["org"], "started_on": "2026-01-01"},
    ("post", f"{_P}/stationings/{{stationing_id}}/attendance"): lambda o: {"month": "2026-02-01", "days": 20},
    ("post", f"{_P}/stationings/{{stationing_id}}/leaves"): lambda o: {"starts_on": "2026-03-02", "ends_on": "2026-03-03", "reason": "越权"},
    ("post", f"{_P}/leaves/{{leave_id}}/decide"): lambda o: {"approve": True},
    ("post", f"{_P}/links/{{link_id}}/visits"): lambda o: {"visited_on": "2026-03-01", "needs": "越权"},
}
# Write routes that act only on the caller's own rows.
API_OWN_WRITES = set()
# API routes open to anyone (public verification): not walked for siblings.
API_PUBLIC = set()


def objects(branch, member, user):
    """The records one side owns: {name: pk}. Rows are written directly where the walk's branch is not a village the
    services would accept; the task book goes through the tracking engine."""
    import datetime

    from grassroots.assistance.models import Household, HouseholdLink, Leave, Pairing, PoorVillage, Stationing
    from grassroots.tracking import services as tracking

    day = datetime.date(2026, 1, 1)
    pairing = Pairing.objects.create(partner=branch, partner_path=branch.path, village=branch, org_path=branch.path, started_on=day, created_by=user)
    poor = PoorVillage.objects.create(village=branch, org_path=branch.path, source="省定经济薄弱村", designated_on=day, created_by=user)
    stationing = Stationing.objects.create(village=branch, org_path=branch.path, kind="first_secretary", name="驻村干部", sending_unit=branch,
                                           sending_path=branch.path, started_on=day, term_years=2, ends_on=datetime.date(2027, 12, 31), created_by=user)
    leave = Leave.objects.create(stationing=stationing, org_path=branch.path, starts_on=day, ends_on=day, days=1, reason="事假", level="township",
                                 approver_org=branch, approver_path=branch.path, requested_by=user)
    household = Household.objects.create(village=branch, org_path=branch.path, kind="poor", head_name="困难户", created_by=user)
    link = HouseholdLink.objects.create(household=household, org_path=branch.path, cadre_name="联户干部", started_on=day, created_by=user)
    book = tracking.create_list(user, branch, title="结对帮扶任务书", source="assistance.pairing", source_id=pairing.pk)
    task = tracking.add_task(user, book, title="修建村道", due_on=datetime.date(2026, 6, 30), assignee_org=branch)
    return {"pairing": pairing.pk, "poor": poor.pk, "stationing": stationing.pk, "leave": leave.pk, "household": household.pk,
            "household_link": link.pk, "book_task": task.pk}
