"""This app's part of the scoping walk (grassroots/core/tests/test_scoping_walk.py): every URL name and API
write route of the app, classified, and the objects one side owns."""

# URL name -> which of the other side's objects fills its first <int:...> argument.
WEB_OBJECT = {
    "disclosure:unit": "org", "disclosure:publish": "org", "disclosure:schedule_set": "org",
    "disclosure:detail": "disclosure", "disclosure:correct": "disclosure",
    "disclosure:question_answer": "question", "disclosure:question_hide": "question", "disclosure:question_unhide": "question",
}
# Extra URL arguments besides the object.
WEB_KWARGS = {}
# URL names without an object: lists and forms; their output must not show the other side's records.
WEB_LISTS = {"disclosure:manage_list", "disclosure:ledger_export", "disclosure:questions", "disclosure:table_template"}
# URL names anyone may open without logging in (the public portal): not walked for siblings.
WEB_PUBLIC = {
    "portal:index", "portal:org", "portal:item", "portal:ask", "portal:verify", "portal:qr", "portal:notice", "portal:table_xlsx",
    "portal:attachment",
}
# API path parameter -> which object fills it.
API_PARAM = {"disclosure_id": "disclosure", "question_id": "question"}
# A valid body for every API write route: (method, path) -> function(other side's objects) -> body.
API_BODY = {
    ("post", "/api/v1/disclosure/disclosures"): lambda o: {"org_id": o["org"], "category": "village", "title": "越权发布", "body": "越权"},
    ("post", "/api/v1/disclosure/disclosures/{disclosure_id}/correct"): lambda o: {"title": "越权", "body": "越权", "reason": "越权"},
    ("post", "/api/v1/disclosure/questions/{question_id}/answer"): lambda o: {"answer": "越权答复"},
    ("post", "/api/v1/disclosure/questions/{question_id}/hide"): lambda o: {"reason": "越权屏蔽"},
}
# Write routes that act only on the caller's own rows.
API_OWN_WRITES = set()
# API routes open to anyone (public verification): not walked for siblings.
API_PUBLIC = {("get", "/api/v1/disclosure/chains/{org_id}/verify")}


def objects(branch, member, user):
    """Create this app's records owned by `branch` (one side of the walk) and return {name: pk}.
    `member` is a member of `branch`; `user` is the side's secretary (or district department)."""
    from grassroots.disclosure import services
    from grassroots.disclosure.choices import Category

    disclosure = services.publish_disclosure(
        user, branch, category=Category.VILLAGE, title=f"{branch.name}村务公开", body=f"{branch.name}、{branch.code}、{member.name}",
        period_label="2026年第一季度", period_key="2026-Q1",
    )
    question = services.ask_question(disclosure, name=member.name, text=f"{branch.name}的问题？", ip=f"walk-{branch.pk}")
    schedule = services.set_schedule(user, branch, category=Category.FINANCE, frequency="quarter")
    return {"disclosure": disclosure.pk, "question": question.pk, "schedule": schedule.pk}
