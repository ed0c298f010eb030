"""This app's part of the scoping walk (grassroots/core/tests/test_scoping_walk.py): every URL name and API
write route of the app, classified, and the objects one side owns."""

# URL name -> which of the other side's objects fills its first <int:...> argument.
WEB_OBJECT = {
    "rectification:screening": "rectification_screening", "rectification:screening_act": "rectification_screening",
    "rectification:case": "rectification_case", "rectification:case_act": "rectification_case", "rectification:case_print": "rectification_case",
}
# Extra URL arguments besides the object.
WEB_KWARGS = {}
# URL names without an object: lists and forms; their output must not show the other side's records.
WEB_LISTS = {"rectification:home", "rectification:export", "rectification:report", "rectification:report_export", "rectification:screenings"}
# URL names anyone may open without logging in (the public portal): not walked for siblings.
WEB_PUBLIC = set()
# API path parameter -> which object fills it.
API_PARAM = {"rcase_id": "rectification_case", "rscreening_id": "rectification_screening"}
_P = "/api/v1/rectification"
# A valid body for every API write route: (method, path) -> function(other side's objects) -> body.
API_BODY = {
    ("post", f"{_P}/cases"): lambda o: {"org_id": o["org"], "year": 2026, "problems": ["disunited"], "due_on": "2027-06-30"},
    ("post", f"{_P}/cases/{{rcase_id}}/support"): lambda o: {"contact_leader": "越权"},
}
# Write routes that act only on the caller's own rows.
API_OWN_WRITES = set()
# API routes open to anyone (public verification): not walked for siblings.
API_PUBLIC = set()


def objects(branch, member, user):
    """A case of `branch` (opened by a system administrator: a branch secretary does not open its own case) and
    the screening of its district (shared by two branches of one district, which do not read screenings)."""
    import datetime

    from grassroots.accounts.models import User
    from grassroots.rectification import services
    from grassroots.rectification.models import Screening

    admin = User.objects.filter(is_superuser=True).first()
    case = services.open_case(admin, branch, year=2026, problems=["disunited"], due_on=datetime.date(2027, 6, 30))
    district = services.district_of(branch)
    screening, _ = Screening.objects.get_or_create(org=district, year=2026, defaults={"org_path": district.path, "rule_version": "2014"})
    return {"rectification_case": case.pk, "rectification_screening": screening.pk}
