"""This app's part of the scoping walk (grassroots/core/tests/test_scoping_walk.py): every URL name and API
write route of the app, classified, and the objects one side owns."""

# URL name -> which of the other side's objects fills its first <int:...> argument.
WEB_OBJECT = {
    "decisions:disclosure_opinion": "disclosure",
    "decisions:matter_detail": "matter", "decisions:step_record": "matter", "decisions:after_failure": "matter", "decisions:publish": "matter",
    "decisions:close": "matter", "decisions:step_confirm": "step", "decisions:step_amend": "step", "decisions:step_opinion": "step",
    "decisions:opinion_answer": "opinion", "decisions:village": "org",
}
# Extra URL arguments besides the object.
WEB_KWARGS = {}
# URL names without an object: lists and forms; their output must not show the other side's records.
WEB_LISTS = {"decisions:matter_list", "decisions:oversight", "decisions:matter_export", "decisions:matter_create", "decisions:oversight_export"}
# URL names anyone may open without logging in (the public portal): not walked for siblings.
WEB_PUBLIC = {"portal_matters:detail", "portal_matters:index"}
# API path parameter -> which object fills it.
API_PARAM = {"matter_id": "matter", "step_id": "step", "opinion_id": "opinion", "disclosure_id": "disclosure", "committee_id": "committee"}
_P = "/api/v1/decisions"
# A valid body for every API write route: (method, path) -> function(other side's objects) -> body.
API_BODY = {
    ("post", f"{_P}/matters"): lambda o: {"org_id": o["org"], "title": "越权事项", "category": "project"},
    ("post", f"{_P}/matters/{{matter_id}}/steps"): lambda o: {
        "kind": "consultation", "held_on": "2026-01-10", "content": "越权", "attendees": ["甲", "乙"],
    },
    ("post", f"{_P}/steps/{{step_id}}/confirm"): lambda o: {},
    ("post", f"{_P}/steps/{{step_id}}/amend"): lambda o: {"field": "content", "value": "越权", "reason": "越权"},
    ("post", f"{_P}/matters/{{matter_id}}/after-failure"): lambda o: {"choice": "end", "reason": "越权"},
    ("post", f"{_P}/matters/{{matter_id}}/disclosures"): lambda o: {"kind": "resolution_disclosure", "title": "越权", "body": "越权"},
    ("post", f"{_P}/matters/{{matter_id}}/close"): lambda o: {},
    ("post", f"{_P}/steps/{{step_id}}/opinions"): lambda o: {"kind": "objection", "text": "越权"},
    ("post", f"{_P}/disclosures/{{disclosure_id}}/opinions"): lambda o: {"kind": "objection", "text": "越权"},
    ("post", f"{_P}/opinions/{{opinion_id}}/answer"): lambda o: {"answer": "越权"},
    ("post", f"{_P}/villages/{{org_id}}/settings"): lambda o: {"representatives": ["甲"], "adults": 10, "households": 3},
    ("post", f"{_P}/villages/{{org_id}}/committees"): lambda o: {"term_start": "2026-01-01", "term_end": "2030-12-31", "chosen_by": "representatives"},
    ("post", f"{_P}/committees/{{committee_id}}/members"): lambda o: {"name": "越权", "declares_no_relative": True},
}
# Write routes that act only on the caller's own rows.
API_OWN_WRITES = set()
# API routes open to anyone (public verification): not walked for siblings.
API_PUBLIC = set()


def objects(branch, member, user):
    """Create this app's records owned by `branch` (one side of the walk) and return {name: pk}.
    `member` is a member of `branch`; `user` is the side's secretary (or district department)."""
    import datetime

    from grassroots.decisions import services
    from grassroots.decisions.models import Opinion

    matter = services.create_matter(user, branch, {"title": "修建村道", "category": "welfare", "summary": "村道硬化"})
    step = services.record_step(user, matter, "proposal", {
        "held_on": datetime.date(2026, 1, 5), "content": "提议修建村道", "attendees": [member.name],
    })
    opinion = Opinion.objects.create(
        org=branch, org_path=branch.path, matter=matter, step=step, author=user, author_name="监督委员", kind="objection", text="请说明预算",
    )
    committee = services.create_committee(user, branch, term_start=datetime.date(2026, 1, 1), term_end=datetime.date(2030, 12, 31),
                                          chosen_by="representatives")
    return {"matter": matter.pk, "step": step.pk, "opinion": opinion.pk, "committee": committee.pk}
