"""Publishing, corrections, immutability, and the chain check catching changes made behind the platform's back."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection

from grassroots.core.hashchain import GENESIS, Reason
from grassroots.core.models import AuditLog
from grassroots.disclosure import services
from grassroots.disclosure.models import Attachment, ChainHead, Disclosure, ImmutableError, Question

from .conftest import PDF, pdf, png

pytestmark = pytest.mark.django_db


def test_publish_appends_to_the_org_chain_with_attachments(people, tree, publish, media):
    first = publish(attachments=[png(), pdf()], min_posting_days=10, deadline=datetime.date(2000, 1, 1))
    second = publish(title="第二条")
    other = publish(org=tree.branch_b, actor=people.secretary_b)
    assert (first.seq, second.seq, other.seq) == (1, 2, 1)
    assert first.prev_hash == GENESIS and second.prev_hash == first.hash and other.prev_hash == GENESIS
    assert first.org_path == tree.branch_a.path and first.min_posting_days == 10 and first.is_late
    assert first.posting_ends_on == first.posted_on + datetime.timedelta(days=9)
    files = list(first.attachments.all())
    assert [f.original_name for f in files] == ["照片.png", "决议.pdf"]
    assert files[1].file.name.startswith("disclosures/") and "决议" not in files[1].file.name
    assert (media / files[1].file.name).read_bytes() == PDF
    assert ChainHead.objects.get(org=tree.branch_a).seq == 2
    log = AuditLog.objects.get(action="publish", object_id=str(first.pk))
    assert log.actor == people.secretary_a and log.after["hash"] == first.hash
    assert services.verify_org_chain(tree.branch_a) is None


def test_default_posting_days(publish):
    assert publish().min_posting_days == 7


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": " "}, "title"),
        ({"body": ""}, "body"),
        ({"category": "nonsense"}, "category"),
        ({"min_posting_days": 0}, "min_posting_days"),
        ({"source_url": "https://evil.example/"}, "source_url"),
        ({"attachments": [png("x.exe")]}, "attachments"),
        ({"attachments": [png("假.pdf")]}, "attachments"),
        ({"table": [{"item": "拨款", "income": "-1", "expenditure": "0"}]}, "table"),
        ({"table": [{"item": "拨款", "income": "1.005", "expenditure": "0"}]}, "table"),
        ({"table": [{"item": "", "income": "5", "expenditure": "0"}]}, "table"),
        ({"table": []}, "table"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(publish, media, fields, field):
    with pytest.raises(ValidationError) as exc:
        publish(**fields)
    assert field in exc.value.message_dict
    assert not Disclosure.objects.exists() and not Attachment.objects.exists() and not AuditLog.objects.filter(action="publish").exists()
    assert not (media / "disclosures").exists() or not any((media / "disclosures").rglob("*.*"))


def test_only_managers_of_the_org_publish(people, tree, publish):
    for actor in (people.secretary_b, people.member_a, people.supervisor, people.nobody):
        with pytest.raises(PermissionDenied):
            publish(actor=actor)
    assert publish(actor=people.dept_a).org == tree.branch_a  # the district department manages the subtree


def test_table_totals_are_computed_and_checked(publish):
    rows = [{"item": "上级拨款", "income": "120000", "expenditure": ""}, {"item": "道路硬化", "income": "0", "expenditure": "80000.5"}]
    d = publish(category="finance", table=rows)
    assert d.table == {"rows": [{"item": "上级拨款", "income": "120000.00", "expenditure": "0.00"},
                                {"item": "道路硬化", "income": "0.00", "expenditure": "80000.50"}]}
    assert services.table_totals(d.table) == (Decimal("120000.00"), Decimal("80000.50"), Decimal("39999.50"))
    with pytest.raises(ValidationError) as exc:
        services.clean_table(rows, totals=("120000", "80000.00"))
    assert "合计支出 80000.00 与明细之和 80000.50 不符" in exc.value.message_dict["table"]
    assert services.clean_table(rows, totals=("120,000.00", "80000.50"))["rows"][1]["expenditure"] == "80000.50"


def test_table_from_excel(publish):
    from .conftest import xlsx

    rows, totals = services.read_table_xlsx(xlsx([["2026年第一季度财务收支"], ["项目", "收入（元）", "支出（元）"], ["拨款", 100, None],
                                                  ["保洁", None, 30.5], ["合计", 100, 30.5]]))
    table = services.clean_table(rows, totals=totals)
    assert services.table_totals(table) == (Decimal("100.00"), Decimal("30.50"), Decimal("69.50"))
    with pytest.raises(ValidationError) as exc:
        services.read_table_xlsx(xlsx([["名称", "金额"]]))
    assert "table_file" in exc.value.message_dict


# ---- immutability ------------------------------------------------------------------------------------------


def test_published_items_cannot_be_changed_or_deleted_through_the_orm(publish):
    d = publish(attachments=[png()])
    d.title = "改过"
    with pytest.raises(ImmutableError):
        d.save()
    with pytest.raises(ImmutableError):
        d.delete()
    with pytest.raises(ImmutableError):
        Disclosure.objects.filter(pk=d.pk).delete()
    attachment = d.attachments.get()
    attachment.original_name = "x.png"
    with pytest.raises(ImmutableError):
        attachment.save()
    with pytest.raises(ImmutableError):
        attachment.delete()
    assert Disclosure.objects.get(pk=d.pk).title == "2026年第一季度村务公开"


def test_no_service_changes_a_published_item(people, publish):
    """Every public function of services either creates new rows or touches questions and schedules: run them
    all against a published item and its content, hash and files stay as they were."""
    d = publish(attachments=[png()])
    before = (Disclosure.objects.filter(pk=d.pk).values().get(), list(Attachment.objects.filter(disclosure=d).values()))
    q = services.ask_question(d, text="这笔钱用在哪里？", ip="1")
    services.answer_question(people.secretary_a, q, answer="修路")
    services.hide_question(people.secretary_a, q, reason="测试")
    services.unhide_question(people.secretary_a, q)
    services.correct_disclosure(people.secretary_a, d, title="更正", body="更正内容", reason="错字")
    assert (Disclosure.objects.filter(pk=d.pk).values().get(), list(Attachment.objects.filter(disclosure=d).values())) == before
    names = {n for n in dir(services) if callable(getattr(services, n)) and not n.startswith("_")}
    assert not {n for n in names if n.startswith(("update_", "edit_", "delete_", "change_", "remove_"))}


def test_correction_is_a_new_linked_version_and_both_stay(people, tree, publish):
    d1 = publish(min_posting_days=10, table=[{"item": "拨款", "income": "5", "expenditure": "0"}])
    d2 = services.correct_disclosure(people.secretary_a, d1, title="更正后", body="新内容", reason="金额填错", attachments=[png()])
    d1.refresh_from_db()
    assert d2.supersedes == d1 and d1.superseded_by == d2 and d2.version == 2 and not d1.is_current and d2.is_current
    assert d2.seq == d1.seq + 1 and d2.prev_hash == d1.hash and d2.min_posting_days == 10 and d2.table == d1.table
    assert Disclosure.objects.filter(org=tree.branch_a).count() == 2
    assert AuditLog.objects.filter(action="correct", object_id=str(d2.pk)).exists()
    with pytest.raises(ValidationError) as exc:
        services.correct_disclosure(people.secretary_a, d1, title="再改", body="x", reason="y")
    assert "该内容已有更正版本" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.correct_disclosure(people.secretary_a, d2, title="再改", body="x", reason=" ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.correct_disclosure(people.secretary_b, d2, title="再改", body="x", reason="y")
    assert services.verify_org_chain(tree.branch_a) is None


# ---- tampering behind the platform's back ------------------------------------------------------------------


@pytest.fixture
def chain(publish, tree):
    items = [publish(title=f"第{i}条", attachments=[png(f"{i}.png", b"\x89PNG\r\n\x1a\n" + bytes([i]) * 20)]) for i in range(1, 5)]
    assert services.verify_org_chain(tree.branch_a) is None
    return items


def test_a_row_changed_in_the_database_is_detected(chain, tree):
    Disclosure.objects.filter(pk=chain[1].pk).update(body="被悄悄改过的内容")
    broken = services.verify_org_chain(tree.branch_a)
    assert (broken.seq, broken.pk, broken.reason) == (2, chain[1].pk, Reason.CONTENT)
    ok, item_break = services.verify_item(chain[0])
    assert ok  # items before the change still verify
    ok, item_break = services.verify_item(Disclosure.objects.get(pk=chain[3].pk))
    assert not ok and item_break.seq == 2


def test_a_rehashed_row_breaks_the_next_link(chain, tree):
    from grassroots.core.hashchain import link_hash

    d = Disclosure.objects.get(pk=chain[1].pk)
    d.body = "改过"
    Disclosure.objects.filter(pk=d.pk).update(body="改过", hash=link_hash(d.chain_content(), [a.sha256 for a in d.attachments.all()], d.prev_hash))
    broken = services.verify_org_chain(tree.branch_a)
    assert (broken.seq, broken.reason) == (3, Reason.PREV)


def test_an_attachment_file_altered_on_disk_is_detected(chain, tree, media):
    attachment = chain[2].attachments.get()
    (media / attachment.file.name).write_bytes(b"\x89PNG\r\n\x1a\n" + b"forged")
    broken = services.verify_org_chain(tree.branch_a)
    assert (broken.seq, broken.reason) == (3, Reason.ATTACHMENT) and "3.png" in broken.detail


def test_an_attachment_digest_changed_in_the_database_is_detected(chain, tree):
    Attachment.objects.filter(pk=chain[0].attachments.get().pk).update(sha256="0" * 64)
    broken = services.verify_org_chain(tree.branch_a)
    assert (broken.seq, broken.reason) == (1, Reason.CONTENT)


def _delete_row(pk):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM disclosure_attachment WHERE disclosure_id = %s", [pk])
        cursor.execute("DELETE FROM disclosure_disclosure WHERE id = %s", [pk])


def test_a_deleted_row_is_detected(chain, tree):
    _delete_row(chain[1].pk)
    broken = services.verify_org_chain(tree.branch_a)
    assert (broken.seq, broken.reason) == (2, Reason.MISSING)


def test_the_last_row_deleted_is_detected_by_the_head(chain, tree):
    _delete_row(chain[3].pk)
    broken = services.verify_org_chain(tree.branch_a)
    assert (broken.seq, broken.reason) == (4, Reason.HEAD)


def test_verify_command_exit_status_and_first_broken_link(chain, tree, capsys):
    call_command("verify_disclosures", "--org", tree.branch_a.code)
    assert "通过（4 条）" in capsys.readouterr().out
    Disclosure.objects.filter(pk=chain[2].pk).update(title="改过")
    with pytest.raises(SystemExit) as exc:
        call_command("verify_disclosures")
    assert exc.value.code == 1
    out = capsys.readouterr().out
    assert f"第 3 条（编号 {chain[2].pk}）：内容哈希不符" in out and "1 条未通过" in out


# ---- questions --------------------------------------------------------------------------------------------------


def test_questions_are_answered_or_hidden_never_deleted(people, publish):
    d = publish()
    q = services.ask_question(d, name="老王", text="道路什么时候修好？", ip="10.0.0.1")
    assert q.org_path == d.org_path and q.client_hash and "10.0.0.1" not in q.client_hash
    services.answer_question(people.secretary_a, q, answer="五月底完工")
    services.hide_question(people.secretary_a, q, reason="含个人信息")
    q.refresh_from_db()
    assert q.is_hidden and q.hidden_reason == "含个人信息" and q.hidden_by == people.secretary_a
    with pytest.raises(ImmutableError):
        q.delete()
    with pytest.raises(ImmutableError):
        Question.objects.filter(pk=q.pk).delete()
    with pytest.raises(PermissionDenied):
        services.answer_question(people.secretary_b, q, answer="越权")
    with pytest.raises(ValidationError):
        services.hide_question(people.secretary_a, q, reason="再次")
    assert AuditLog.objects.filter(action="hide", object_id=str(q.pk)).exists()
    assert AuditLog.objects.filter(action="answer", object_id=str(q.pk)).exists()


@pytest.mark.parametrize(("text", "name", "field"), [("短", "", "text"), ("长" * 1001, "", "text"), ("正常的问题内容", "名" * 31, "name")])
def test_question_limits(publish, text, name, field):
    with pytest.raises(ValidationError) as exc:
        services.ask_question(publish(), name=name, text=text, ip="1")
    assert field in exc.value.message_dict
    assert not Question.objects.exists()


def test_question_rate_limit_per_address(publish, settings):
    settings.GRASSROOTS_DISCLOSURE_QUESTIONS_PER_HOUR = 2
    d = publish()
    services.ask_question(d, text="第一个问题啊", ip="1.1.1.1")
    services.ask_question(d, text="第二个问题啊", ip="1.1.1.1")
    with pytest.raises(ValidationError) as exc:
        services.ask_question(d, text="第三个问题啊", ip="1.1.1.1")
    assert "过于频繁" in exc.value.message_dict["text"][0]
    services.ask_question(d, text="别人的问题啊", ip="2.2.2.2")
    assert Question.objects.count() == 3
