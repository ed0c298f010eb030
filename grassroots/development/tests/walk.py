"""This app's part of the scoping walk (grassroots/core/tests/test_scoping_walk.py): every URL name and API write route of the app,
classified, and the objects one side owns."""

import datetime

# URL name -> which of the other side's objects fills its first <int:...> argument.
WEB_OBJECT = {
    "development:board_org": "org", "development:apply": "org", "development:export": "org",
    "development:detail": "dev_applicant", "development:step": "dev_applicant", "development:correct": "dev_step",
    "development:attachment": "dev_attachment", "development:reveal": "dev_applicant",
    "development:edit": "dev_applicant",
}
# Extra URL arguments besides the object.
WEB_KWARGS = {"development:reveal": {"field": "id_number"}}
# URL names without an object: lists and forms; their output must not show the other side's records.
WEB_LISTS = {"development:board", "development:list"}
# URL names anyone may open without logging in (the public portal): not walked for siblings.
WEB_PUBLIC = set()
# API path parameter -> which object fills it.
API_PARAM = {"dev_applicant_id": "dev_applicant", "dev_record_id": "dev_step", "org_id": "org"}
# A valid body for every API write route: (method, path) -> function(other side's objects) -> body.
API_BODY = {
    ("post", "/api/v1/development/applicants"): lambda o: {
        "org_id": o["org"], "name": "越权申请", "gender": "male", "birth_date": "1995-05-05", "applied_on": "2026-01-05",
    },
    ("post", "/api/v1/development/applicants/{dev_applicant_id}/steps"): lambda o: {"code": "activist", "date": "2026-03-01"},
    ("patch", "/api/v1/development/applicants/{dev_applicant_id}"): lambda o: {"reason": "越权", "work_unit": "越权"},
    ("post", "/api/v1/development/steps/{dev_record_id}/correct"): lambda o: {"date": "2026-01-20", "reason": "越权"},
}
# Write routes that act only on the caller's own rows.
API_OWN_WRITES = set()
# API routes open to anyone (public verification): not walked for siblings.
API_PUBLIC = set()


def objects(branch, member, user):
    """Create this app's records owned by `branch` (one side of the walk) and return {name: pk}.
    `member` is a member of `branch`; `user` is the side's secretary (or district department)."""
    from grassroots.development import services

    applicant = services.apply(user, branch, {
        "name": f"{member.name}的申请人", "gender": "female", "birth_date": datetime.date(1996, 4, 4), "applied_on": datetime.date(2026, 1, 5),
    }, today=datetime.date(2026, 3, 1))
    from grassroots.development.models import StepAttachment

    talk = services.record_step(user, applicant, "talk", date=datetime.date(2026, 1, 15), today=datetime.date(2026, 3, 1))
    attachment = StepAttachment.objects.create(  # the row only: the walk never reaches the other side's file
        record=talk, file="development/walk.pdf", original_name=f"{branch.name}谈话记录.pdf", content_type="application/pdf", size=10, sha256="0" * 64,
    )
    return {"dev_applicant": applicant.pk, "dev_step": talk.pk, "dev_attachment": attachment.pk}
