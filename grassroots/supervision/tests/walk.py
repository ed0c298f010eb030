"""This app's part of the scoping walk (grassroots/core/tests/test_scoping_walk.py): every URL name and API
write route of the app, classified, and the objects one side owns."""

import datetime

# URL name -> which of the other side's objects fills its first <int:...> argument.
WEB_OBJECT = {
    "supervision:notice": "notice", "supervision:notice_table": "notice", "supervision:notice_table_export": "notice",
    "supervision:notice_file": "notice_file", "supervision:receipt_sign": "receipt", "supervision:receipt_feedback": "receipt",
    "supervision:assignment": "assignment", "supervision:group": "supervision_group", "supervision:visit": "visit",
    "supervision:finding": "finding", "supervision:intervention": "intervention",
    "supervision:org_history": "org", "supervision:org_history_export": "org",
}
# Extra URL arguments besides the object.
WEB_KWARGS = {}
# URL names without an object: lists and forms; their output must not show the other side's records.
WEB_LISTS = {"supervision:home", "supervision:notice_new", "supervision:assignments", "supervision:assignments_export", "supervision:assignment_new", "supervision:groups"}
# URL names anyone may open without logging in (the public portal): not walked for siblings.
WEB_PUBLIC = set()
# API path parameter -> which object fills it.
API_PARAM = {"notice_id": "notice", "receipt_id": "receipt", "finding_id": "finding", "intervention_id": "intervention"}
# A valid body for every API write route: (method, path) -> function(other side's objects) -> body.
API_BODY = {
    ("post", "/api/v1/supervision/notices"): lambda o: {
        "org_id": o["org"], "title": "越权通知", "body": "越权", "issued_on": "2026-01-05", "receipt_due": "2026-01-10",
    },
    ("post", "/api/v1/supervision/receipts/{receipt_id}/sign"): lambda o: {},
    ("post", "/api/v1/supervision/receipts/{receipt_id}/feedback"): lambda o: {"text": "越权反馈"},
    ("post", "/api/v1/supervision/findings/{finding_id}/interventions"): lambda o: {
        "kind": "order", "text": "越权整改", "issued_on": "2026-01-05", "due_on": "2026-02-05",
    },
    ("post", "/api/v1/supervision/interventions/{intervention_id}/verify"): lambda o: {"accepted": True, "note": "越权验收"},
    ("post", "/api/v1/supervision/interventions/{intervention_id}/report"): lambda o: {"result": "越权报告"},
    ("post", "/api/v1/supervision/interventions/{intervention_id}/decide"): lambda o: {"decision": "越权处理", "decided_on": "2026-01-06"},
    ("post", "/api/v1/supervision/interventions/{intervention_id}/case"): lambda o: {"case_id": 1},
    ("post", "/api/v1/supervision/assignments"): lambda o: {"org_id": o["org"], "title": "越权督办", "due_on": "2026-02-01", "assignee_ids": [o["org"]]},
}
# Write routes that act only on the caller's own rows.
API_OWN_WRITES = set()
# API routes open to anyone (public verification): not walked for siblings.
API_PUBLIC = set()


def objects(branch, member, user):
    """A notice of the branch with a receipt and a file, a supervised task, a group with a visit, a finding and an
    order, all of the branch."""
    from grassroots.supervision.models import (
        Assignment,
        Finding,
        Intervention,
        Notice,
        NoticeFile,
        Receipt,
        SupervisionGroup,
        Visit,
    )
    from grassroots.tracking import services as tracking

    day = datetime.date(2026, 1, 5)
    notice = Notice.objects.create(org=branch, org_path=branch.path, title=f"{branch.name}通知", body=f"{branch.code}{member.name}",
                                   issued_on=day, receipt_due=day + datetime.timedelta(days=5))
    receipt = Receipt.objects.create(notice=notice, org=branch, org_path=branch.path)
    notice_file = NoticeFile.objects.create(notice=notice, file="supervision/walk.pdf", original_name=f"{branch.name}.pdf", sha256="0" * 64,
                                            size=10, content_type="application/pdf")
    task_list = tracking.create_list(user, branch, title=f"{branch.name}督办", source="supervision.assignment", source_id=None)
    assignment = Assignment.objects.create(org=branch, org_path=branch.path, title=f"{branch.name}督办", due_on=day, task_list=task_list)
    group = SupervisionGroup.objects.create(org=branch, org_path=branch.path, name=f"{branch.name}督导组", leader_name=member.name)
    visit = Visit.objects.create(group=group, issuer_path=branch.path, org=branch, org_path=branch.path, planned_on=day, purpose=f"督导{branch.name}")
    finding = Finding.objects.create(visit=visit, issuer_path=branch.path, org=branch, org_path=branch.path, kind="orglife",
                                     text=f"{branch.name}问题", responsible_name=member.name, found_on=day)
    order = Intervention.objects.create(finding=finding, issuer_path=branch.path, org=branch, org_path=branch.path, kind="order", state="reported",
                                        issued_on=day, text=f"{branch.name}整改", due_on=day + datetime.timedelta(days=30), result="已整改")
    return {"notice": notice.pk, "receipt": receipt.pk, "notice_file": notice_file.pk, "assignment": assignment.pk,
            "supervision_group": group.pk, "visit": visit.pk, "finding": finding.pk, "intervention": order.pk}
