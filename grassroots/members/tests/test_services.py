import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grassroots.core import crypto
from grassroots.core.models import AuditLog
from grassroots.members import services
from grassroots.members.models import Member, MemberEvent

pytestmark = pytest.mark.django_db
ID = "11010119900307803X"


def data(**changes):
    base = {
        "name": "王小红", "gender": "male", "ethnicity": "01", "birth_date": datetime.date(1990, 3, 7), "id_number": ID,
        "phone": "13812345678", "status": "full", "joined_on": datetime.date(2010, 7, 1), "full_on": datetime.date(2011, 7, 1),
        "state": "normal", "education": "bachelor", "occupation": "worker",
    }
    base.update(changes)
    return base


def test_create_encrypts_and_masks(tree, people):
    member = services.create_member(people.secretary_a, tree.branch_a, data())
    member.refresh_from_db()
    assert member.id_number_masked == "1101**********803X" and member.phone_masked == "138****5678"
    assert ID not in member.id_number_encrypted and crypto.decrypt(member.id_number_encrypted) == ID
    assert member.initials == "wxh" and member.org_path == tree.branch_a.path
    entry = AuditLog.objects.for_object(member).get()
    assert ID not in str(entry.after) and "13812345678" not in str(entry.after)
    assert member.events.get().kind == "created"


def test_find_by_full_id_number_and_phone(tree, people):
    member = services.create_member(people.secretary_a, tree.branch_a, data())
    assert list(services.find_by_id_number(Member.objects.all(), ID.lower())) == [member]
    assert list(services.find_by_phone(Member.objects.all(), "13812345678")) == [member]
    assert not services.find_by_phone(Member.objects.all(), "13812345679").exists()


def test_bad_record_changes_nothing(tree, people):
    with pytest.raises(ValidationError) as exc:
        services.create_member(people.secretary_a, tree.branch_a, data(gender="female", joined_on=datetime.date(2005, 1, 1)))
    assert set(exc.value.message_dict) == {"id_number", "joined_on"}
    assert not Member.objects.exists() and not AuditLog.objects.filter(content_type__model="member").exists()


def test_scope(tree, people):
    with pytest.raises(PermissionDenied):
        services.create_member(people.secretary_a, tree.branch_b, data())
    with pytest.raises(PermissionDenied):
        services.create_member(people.supervisor, tree.branch_a, data())


def test_status_and_state_changes_are_events(tree, people):
    member = services.create_member(people.secretary_a, tree.branch_a, data(status="probationary", full_on=None, joined_on=datetime.date(2025, 6, 1)))
    services.update_member(people.secretary_a, member, {"status": "full", "full_on": datetime.date(2026, 6, 1)})
    services.update_member(people.dept_a, member, {"state": "left", "left_reason": "removed", "left_on": datetime.date(2026, 9, 1), "left_document": "湖委〔2026〕8号"})
    kinds = list(MemberEvent.objects.filter(member=member).order_by("id").values_list("kind", "after", "document"))
    assert kinds[1] == ("status", "正式党员", "")
    assert kinds[2] == ("state", "已出党（除名）", "湖委〔2026〕8号")
    assert MemberEvent.objects.filter(member=member, kind="status").get().happened_on == datetime.date(2026, 6, 1)


def test_move_between_branches_needs_both_sides(tree, people):
    member = services.create_member(people.secretary_a, tree.branch_a, data())
    with pytest.raises(PermissionDenied):
        services.update_member(people.secretary_a, member, {"org": tree.branch_b})
    services.update_member(people.dept_a, member, {"org": tree.branch_b})
    member.refresh_from_db()
    assert member.org_path == tree.branch_b.path
    assert member.events.filter(kind="moved").get().after == "新村第二党支部"


def test_reveal_is_audited_and_limited(tree, people):
    member = services.create_member(people.secretary_a, tree.branch_a, data())
    assert services.reveal(people.secretary_a, member, "id_number") == ID
    entry = AuditLog.objects.get(action="reveal")
    assert entry.actor == people.secretary_a and "公民身份号码" in entry.note
    for outsider in (people.supervisor, people.secretary_b, people.member_a):
        with pytest.raises(PermissionDenied):
            services.reveal(outsider, member, "phone")
    assert AuditLog.objects.filter(action="reveal").count() == 1


def test_key_rotation(tree, people, settings):
    from cryptography.fernet import Fernet

    old = Fernet.generate_key().decode()
    settings.DATA_KEYS = old
    crypto.reset_keys()
    member = services.create_member(people.secretary_a, tree.branch_a, data())
    new = Fernet.generate_key().decode()
    settings.DATA_KEYS = f"{new},{old}"
    crypto.reset_keys()
    assert crypto.decrypt(member.id_number_encrypted) == ID
    rotated = crypto.rotate(member.id_number_encrypted)
    settings.DATA_KEYS = new
    crypto.reset_keys()
    assert crypto.decrypt(rotated) == ID
    with pytest.raises(ValueError, match="无法解密"):
        crypto.decrypt(member.id_number_encrypted)
    settings.DATA_KEYS = ""
    crypto.reset_keys()
