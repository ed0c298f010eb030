"""This app's part of the scoping walk (grassroots/core/tests/test_scoping_walk.py): every URL name and API
write route of the app, classified, and the objects one side owns."""

import datetime

# URL name -> which of the other side's objects fills its first <int:...> argument.
WEB_OBJECT = {"guarantees:campaign": "g_campaign", "guarantees:campaign_close": "g_campaign", "guarantees:report": "g_report"}
# Extra URL arguments besides the object.
WEB_KWARGS = {}
# URL names without an object: lists and forms; their output must not show the other side's records.
WEB_LISTS = {"guarantees:dashboard", "guarantees:standards", "guarantees:campaigns", "guarantees:conditions"}
# URL names anyone may open without logging in (the public portal): not walked for siblings.
WEB_PUBLIC = set()
# API path parameter -> which object fills it.
API_PARAM = {"guarantee_campaign_id": "g_campaign", "guarantee_report_id": "g_report"}
# A valid body for every API write route: (method, path) -> function(other side's objects) -> body.
_P = "/api/v1/guarantees/reports/{guarantee_report_id}"


def _pdf(o):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("越权.pdf", b"%PDF-1.4\n%%EOF\n")}


API_BODY = {
    ("post", f"{_P}/figures"): lambda o: {"figures": {"work_funds": "1"}},
    ("post", f"{_P}/evidence"): _pdf,
    ("post", f"{_P}/submit"): lambda o: {},
    ("post", f"{_P}/verify"): lambda o: {},
    ("post", f"{_P}/return"): lambda o: {"reason": "越权"},
}
# Write routes that act only on the caller's own rows.
API_OWN_WRITES = set()
# API routes open to anyone (public verification): not walked for siblings.
API_PUBLIC = set()


def objects(branch, member, user):
    """A check campaign of the side's organization with its own report."""
    from grassroots.guarantees.models import Campaign, Report

    campaign = Campaign.objects.create(org=branch, org_path=branch.path, year=2026, title=f"{branch.name}保障核查", due_on=datetime.date(2026, 12, 20))
    report = Report.objects.create(campaign=campaign, org=branch, org_path=branch.path, applies_to="rural")
    return {"g_campaign": campaign.pk, "g_report": report.pk}
