"""This app's part of the scoping walk (grassroots/core/tests/test_scoping_walk.py): every URL name and API
write route of the app, classified, and the objects one side owns."""

# URL name -> which of the other side's objects fills its first <int:...> argument.
WEB_OBJECT = {
    "ballots:round": "ballot_round", "ballots:round_act": "ballot_round", "ballots:voters_add": "ballot_round",
    "ballots:paper": "ballot_round", "ballots:export": "ballot_round", "ballots:vote": "ballot_round",
}
# Extra URL arguments besides the object.
WEB_KWARGS = {}
# URL names without an object: lists and forms; their output must not show the other side's records.
WEB_LISTS = {"ballots:mine", "ballots:rounds"}
# URL names anyone may open without logging in (the public portal): not walked for siblings. The token voter's
# ballot page: the token itself is the key (128 random bits); an unknown token is a 404.
WEB_PUBLIC = {"portal_ballots:vote"}
# API path parameter -> which object fills it.
API_PARAM = {"ballot_round_id": "ballot_round"}
# A valid body for every API write route: (method, path) -> function(other side's objects) -> body.
API_BODY = {
    ("post", "/api/v1/ballots/rounds/{ballot_round_id}/cast"): lambda o: {"choices": {f"m{o['member']}": "satisfied"}},
    ("post", "/api/v1/ballots/rounds/{ballot_round_id}/voters"): lambda o: {"group": "member", "tokens": 1},
    ("post", "/api/v1/ballots/rounds/{ballot_round_id}/paper"): lambda o: {"group": "member", "counts": {f"m{o['member']}": {"satisfied": 1}}},
    ("post", "/api/v1/ballots/rounds/{ballot_round_id}/open"): lambda o: {},
    ("post", "/api/v1/ballots/rounds/{ballot_round_id}/close"): lambda o: {},
    ("post", "/api/v1/ballots/rounds/{ballot_round_id}/publish"): lambda o: {},
}
# Write routes that act only on the caller's own rows.
API_OWN_WRITES = set()
# API routes open to anyone (public verification): not walked for siblings.
API_PUBLIC = set()


def objects(branch, member, user):
    """The records one side owns: an open satisfaction round of the branch about its member, its user on the roll."""
    from grassroots.ballots import rules, services

    round = services.create_round(user, branch, title=f"{branch.name}满意度测评", source="walk.poll", source_id=branch.pk,
                                  grade_set=rules.GRADES_SATISFACTION, subjects=[(f"m{member.pk}", member.name)])
    services.add_voters(user, round, "member", users=[user], tokens=1)
    services.open_round(user, round)
    return {"ballot_round": round.pk}
