"""This app's part of the scoping walk (grassroots/core/tests/test_scoping_walk.py): every URL name and API
write route of the app, classified, and the objects one side owns."""

# URL name -> which of the other side's objects fills its first <int:...> argument.
WEB_OBJECT = {
    "leaders:election_detail": "election", "leaders:advance": "election", "leaders:candidate_add": "election",
    "leaders:voters_add": "election", "leaders:count": "election", "leaders:close": "election",
    "leaders:signoff": "candidate", "leaders:nominate": "candidate",
    "leaders:audit_detail": "exit_audit", "leaders:audit_publish": "exit_audit",
    "leaders:reserve_detail": "reserve", "leaders:reserve_event": "reserve", "leaders:reserve_leave": "reserve",
    "leaders:course_detail": "course", "leaders:review_conclude": "review_round",
}
# Extra URL arguments besides the object.
WEB_KWARGS = {}
# URL names without an object: lists and forms; their output must not show the other side's records.
WEB_LISTS = {
    "leaders:overview", "leaders:overview_export", "leaders:term_list", "leaders:term_export", "leaders:election_list", "leaders:election_export", "leaders:election_create",
    "leaders:plan_create", "leaders:audit_list", "leaders:audit_export", "leaders:audit_create", "leaders:reserve_list",
    "leaders:reserve_export", "leaders:reserve_template", "leaders:reserve_import", "leaders:reserve_create", "leaders:course_list",
    "leaders:hours_export", "leaders:course_create", "leaders:review_list", "leaders:review_export", "leaders:review_create",
    "leaders:career", "leaders:review_round_create",
}
# URL names anyone may open without logging in (the public portal): not walked for siblings.
WEB_PUBLIC = set()
# API path parameter -> which object fills it.
API_PARAM = {"election_id": "election"}
_P = "/api/v1/leaders"
# A valid body for every API write route: (method, path) -> function(other side's objects) -> body.
API_BODY = {
    ("post", f"{_P}/elections/{{election_id}}/advance"): lambda o: {},
    ("post", f"{_P}/elections/{{election_id}}/counts"): lambda o: {"body": "party", "ballots_cast": 1, "votes": {}},
    ("post", f"{_P}/reserves"): lambda o: {"org_id": o["org"], "name": "越权", "gender": "male", "birth_date": "1990-01-01", "source": "graduate"},
}
# Write routes that act only on the caller's own rows.
API_OWN_WRITES = set()
# API routes open to anyone (public verification): not walked for siblings.
API_PUBLIC = set()


def objects(branch, member, user):
    """The records one side owns: {name: pk}. `member` is a member of `branch`; `user` its secretary (or department)."""
    import datetime

    from grassroots.leaders import services

    plan = services.create_plan(user, branch, title=f"{branch.name}换届方案", year=2026, starts_on=datetime.date(2026, 9, 1),
                                ends_on=datetime.date(2026, 12, 31))
    election = services.create_election(user, branch, plan=plan, title=f"{branch.name}换届选举")
    candidate = services.add_candidate(user, election, body="party", seat="secretary", name=member.name, gender=member.gender,
                                       birth_date=member.birth_date, member=member)
    exit_audit = services.create_audit(user, branch, kind="exit", person_name=member.name, post_label="书记", scope="任期内经济责任",
                                       auditor=f"{branch.name}审计组", election=election)
    reserve = services.add_reserve(user, branch, {"name": member.name, "gender": member.gender, "birth_date": member.birth_date,
                                                  "source": "returnee", "phone": "13912345678"})
    course = services.create_course(user, branch, title=f"{branch.name}书记培训", held_on=datetime.date(2026, 5, 1), hours=8)
    services.add_attendance(user, course, reserve=reserve)
    services.record_review(user, branch, year=2025, name=member.name, member=member, post_label="书记", report=f"{branch.name}述职",
                           grade="incompetent")
    review_round, _raw = services.open_review_round(user, branch, year=2024, cadres=[
        {"name": member.name, "post_label": "书记", "report": f"{branch.name}述职", "member": member}], tokens=1)
    return {"review_round": review_round.pk, "election": election.pk, "candidate": candidate.pk, "exit_audit": exit_audit.pk, "reserve": reserve.pk, "course": course.pk}
