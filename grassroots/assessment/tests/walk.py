"""This app's part of the scoping walk (grassroots/core/tests/test_scoping_walk.py): every URL name and API
write route of the app, classified, and the objects one side owns."""

# URL name -> which of the other side's objects fills its first <int:...> argument.
WEB_OBJECT = {"assessment:round": "a_round", "assessment:report": "a_report"}
# Extra URL arguments besides the object.
WEB_KWARGS = {}
# URL names without an object: lists and forms; their output must not show the other side's records.
WEB_LISTS = {"assessment:rounds"}
# URL names anyone may open without logging in (the public portal): not walked for siblings.
WEB_PUBLIC = set()
# API path parameter -> which object fills it.
API_PARAM = {"assessment_round_id": "a_round", "assessment_report_id": "a_report"}
# A valid body for every API write route: (method, path) -> function(other side's objects) -> body.
_P = "/api/v1/assessment"
API_BODY = {
    ("post", f"{_P}/reports/{{assessment_report_id}}"): lambda o: {"ideas": "越权"},
    ("post", f"{_P}/reports/{{assessment_report_id}}/comment"): lambda o: {"text": "越权", "year_score": 90},
    ("post", f"{_P}/rounds/{{assessment_round_id}}/open"): lambda o: {},
    ("post", f"{_P}/rounds/{{assessment_round_id}}/publish"): lambda o: {},
}
# Write routes that act only on the caller's own rows.
API_OWN_WRITES = set()
# API routes open to anyone (public verification): not walked for siblings.
API_PUBLIC = set()


def objects(branch, member, user):
    """A round of the side's organization with one report (its member reporting)."""
    from grassroots.assessment.models import AssessmentRound, Report
    from grassroots.assessment.rules import DEFAULT_GRADE_SET

    round = AssessmentRound.objects.create(org=branch, org_path=branch.path, year=2026, title=f"{branch.name}述职评议", live_weight="0.35",
                                           grade_set=DEFAULT_GRADE_SET)
    report = Report.objects.create(round=round, person_name=member.name, subject_org=branch, subject_path=branch.path, post="书记")
    return {"a_round": round.pk, "a_report": report.pk}
