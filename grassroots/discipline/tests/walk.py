"""This app's part of the scoping walk (grassroots/core/tests/test_scoping_walk.py): every URL name and API
write route of the app, classified, and the objects one side owns."""

import datetime

# URL name -> which of the other side's objects fills its first <int:...> argument.
WEB_OBJECT = {
    "discipline:lead": "lead", "discipline:lead_reveal": "lead", "discipline:campaign_report": "campaign",
    "discipline:campaign_report_export": "campaign", "discipline:body": "body", "discipline:body_photo": "body_photo",
    "discipline:burden_decide": "burden",
}
# Extra URL arguments besides the object.
WEB_KWARGS = {}
# URL names without an object: lists and forms; their output must not show the other side's records.
WEB_LISTS = {
    "discipline:leads", "discipline:leads_export", "discipline:lead_new", "discipline:campaigns", "discipline:bodies", "discipline:bodies_export",
    "discipline:burdens", "discipline:burdens_export", "discipline:burdens_template", "discipline:burdens_import", "discipline:generated",
}
# URL names anyone may open without logging in (the public portal): not walked for siblings.
WEB_PUBLIC = {"jubao:report", "jubao:lookup", "jubao:bulletins", "jubao:bulletin"}
# API path parameter -> which object fills it.
API_PARAM = {"lead_id": "lead", "campaign_id": "campaign", "body_id": "body", "burden_id": "burden"}
# A valid body for every API write route: (method, path) -> function(other side's objects) -> body.
API_BODY = {
    ("post", "/api/v1/discipline/leads"): lambda o: {
        "org_id": o["org"], "source": "letter", "category": "finance", "summary": "越权登记", "detail": "越权登记的问题线索内容", "received_on": "2026-01-05",
    },
    ("post", "/api/v1/discipline/leads/{lead_id}/verify"): lambda o: {"verification": "越权核实", "verified_on": "2026-01-06", "finding": "true"},
    ("post", "/api/v1/discipline/leads/{lead_id}/conclude"): lambda o: {"conclusion": "越权办结", "concluded_on": "2026-01-07"},
    ("post", "/api/v1/discipline/burdens"): lambda o: {"org_id": o["org"], "kind": "form", "title": "越权登记", "issuing_dept": "越权"},
    ("post", "/api/v1/discipline/leads/{lead_id}/publish"): lambda o: {"title": "越权通报", "body": "越权公开"},
    ("post", "/api/v1/discipline/bodies/{body_id}/decide"): lambda o: {"decision": "remove", "decided_on": "2026-01-06"},
    ("post", "/api/v1/discipline/burdens/{burden_id}/decide"): lambda o: {"state": "cut"},
}
# Write routes that act only on the caller's own rows.
API_OWN_WRITES = set()
# API routes open to anyone (public verification): not walked for siblings.
API_PUBLIC = set()


def objects(branch, member, user):
    """A lead about the branch (with its campaign), a plaque with a photo row, a burden of the branch."""
    from grassroots.core import crypto
    from grassroots.discipline.models import Body, BodyPhoto, Burden, Campaign, Lead

    day = datetime.date(2026, 1, 5)
    campaign = Campaign.objects.create(org=branch, org_path=branch.path, name=f"{branch.name}专项整治", starts_on=day, ends_on=day)
    lead = Lead.objects.create(org=branch, org_path=branch.path, number=f"XSWALK{branch.pk:05d}", source="letter", category="finance",
                               accused=member.name, summary=f"{branch.name}线索", detail=f"{branch.code}{member.name}", received_on=day,
                               anonymous=False, reporter_name_enc=crypto.encrypt(member.name), campaign=campaign)
    body = Body.objects.create(org=branch, org_path=branch.path, kind="plaque", name=f"{branch.name}挂牌", issuing_dept=member.name)
    photo = BodyPhoto.objects.create(body=body, file="discipline/walk.png", original_name=f"{branch.name}.png", sha256="0" * 64, size=10,
                                     content_type="image/png")
    burden = Burden.objects.create(org=branch, org_path=branch.path, kind="form", title=f"{branch.name}报表", issuing_dept=member.name, reported_on=day)
    return {"lead": lead.pk, "campaign": campaign.pk, "body": body.pk, "body_photo": photo.pk, "burden": burden.pk}
