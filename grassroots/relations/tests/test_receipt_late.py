"""A receipt that came back late stays recorded as late once it has arrived: on the model, the ledger page, its
Excel export, the detail page, the API and the audit note."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from grassroots.core.models import AuditLog
from grassroots.relations import rules, services
from grassroots.relations.models import Transfer

pytestmark = pytest.mark.django_db


def outgoing(people, member, issued_on, valid_days=10):
    return services.issue_transfer(people.secretary_a, member, reason="work_unit", to_external="上海市某街道党工委",
                                   issued_on=issued_on, valid_days=valid_days)


@pytest.mark.parametrize("days_after_due", [-1, 0, 1, 15])
def test_outgoing_receipt_late_days_at_the_boundary(tree, people, members, days_after_due):
    today = timezone.localdate()
    t = outgoing(people, members.a1, issued_on=today - datetime.timedelta(days=60))  # valid 10 days, receipt due a month later
    assert t.receipt_due == rules.receipt_due(t.valid_until) < today - datetime.timedelta(days=15)
    assert t.receipt_late_days is None and t.receipt_label(today) == "逾期未回"
    services.record_receipt(people.secretary_a, t, received_on=t.receipt_due + datetime.timedelta(days=days_after_due))
    t = Transfer.objects.get(pk=t.pk)
    late = max(days_after_due, 0)
    assert not t.receipt_overdue(today)  # no longer awaited ...
    assert t.receipt_late_days == late and t.receipt_late == bool(late)  # ... but still recorded as late
    assert t.receipt_label(today) == (f"逾期{late}天" if late else "按时")
    assert t.receipt_label(today + datetime.timedelta(days=365)) == t.receipt_label(today)  # from stored dates


def test_incoming_receipt_sent_back_late(tree, people, members):
    from grassroots.conftest import make_user
    from grassroots.core.roles import Role

    b_secretary = make_user("tn_branch", Role.SECRETARY, tree.b_branch)
    data = {"name": "吴十", "gender": "female", "ethnicity": "01", "birth_date": datetime.date(1990, 3, 1), "status": "full",
            "joined_on": datetime.date(2015, 7, 1), "full_on": datetime.date(2016, 7, 1), "state": "normal"}
    t = services.register_incoming(b_secretary, tree.b_branch, data, from_external="南京市某党支部", letter_number="宁组〔2026〕8号",
                                   issued_on=timezone.localdate(), reason="residence")
    Transfer.objects.filter(pk=t.pk).update(decided_on=timezone.localdate() - datetime.timedelta(days=100))
    t.refresh_from_db()
    services.record_receipt(b_secretary, t, received_on=timezone.localdate())
    t.refresh_from_db()
    assert t.receipt_late_days == (timezone.localdate() - t.receipt_due).days > 0
    assert AuditLog.objects.filter(object_id=str(t.pk), note__contains=f"逾期{t.receipt_late_days}天").exists()


def test_ledger_detail_export_and_api_show_the_late_receipt(client, tree, people, members):
    today = timezone.localdate()
    late = outgoing(people, members.a1, issued_on=today - datetime.timedelta(days=70))
    services.record_receipt(people.secretary_a, late, received_on=today)
    late.refresh_from_db()
    days = late.receipt_late_days
    assert days > 0
    on_time = outgoing(people, members.a2, issued_on=today - datetime.timedelta(days=5))
    services.record_receipt(people.secretary_a, on_time, received_on=today)
    client.force_login(people.secretary_a)

    html = client.get(reverse("relations:transfer_list")).content.decode()
    assert html.count(f"回执逾期{days}天") == 1
    assert f'data-receipt-late="{days}"' in client.get(reverse("relations:transfer_detail", args=[late.pk])).content.decode()
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(client.get(reverse("relations:transfer_export")).streaming_content)))
    rows = list(wb.active.iter_rows(values_only=True))
    column = rows[0].index("回执情况")
    by_letter = {r[0]: r for r in rows[1:]}
    assert by_letter[late.letter_number][column] == f"逾期{days}天" and by_letter[on_time.letter_number][column] == "按时"
    items = {i["id"]: i for i in client.get("/api/v1/relations/transfers").json()["items"]}
    assert items[late.pk]["receipt_late_days"] == days and not items[late.pk]["receipt_overdue"]
    assert items[on_time.pk]["receipt_late_days"] == 0
