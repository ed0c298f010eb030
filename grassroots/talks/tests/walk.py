"""This app's part of the scoping walk (grassroots/core/tests/test_scoping_walk.py): every URL name and API
write route of the app, classified, and the objects one side owns."""

import datetime

# URL name -> which of the other side's objects fills its first <int:...> argument.
WEB_OBJECT = {
    "talks:member_talks": "member", "talks:talk_new": "member", "talks:talk_detail": "talk", "talks:talk_amend": "talk",
    "talks:talk_follow_up": "talk",
}
# Extra URL arguments besides the object.
WEB_KWARGS = {}
# URL names without an object: lists and forms; their output must not show the other side's records.
WEB_LISTS = {"talks:talk_list", "talks:talk_export", "talks:worklist", "talks:worklist_export", "talks:coverage"}
# URL names anyone may open without logging in (the public portal): not walked for siblings.
WEB_PUBLIC = set()
# API path parameter -> which object fills it.
API_PARAM = {"talk_id": "talk"}
# A valid body for every API write route: (method, path) -> function(other side's objects) -> body.
API_BODY = {
    ("post", "/api/v1/talks/"): lambda o: {
        "member_id": o["member"], "held_on": "2026-02-01", "talker_name": "越权", "topic": "越权", "summary": "越权",
    },
    ("post", "/api/v1/talks/{talk_id}/amend"): lambda o: {"reason": "越权", "topic": "越权"},
    ("post", "/api/v1/talks/{talk_id}/follow-up"): lambda o: {"done_on": "2026-02-01", "result": "越权"},
}
# Write routes that act only on the caller's own rows.
API_OWN_WRITES = set()
# API routes open to anyone (public verification): not walked for siblings.
API_PUBLIC = set()


def objects(branch, member, user):
    """A talk with the side's member, with a follow-up still open."""
    from grassroots.talks.models import Talk

    talk = Talk.objects.create(
        member=member, org=branch, org_path=branch.path, held_on=datetime.date(2026, 1, 10), talker_name="支部书记",
        topic=f"{branch.name}谈心谈话", summary=f"与{member.name}谈心", follow_up="跟进", follow_up_due=datetime.date(2026, 2, 10),
    )
    return {"talk": talk.pk}
