"""The synthetic dataset's registry fields: valid, consistent ID numbers stored like the services store them,
realistic education and occupation, and the deliberate gaps and duplicates the data-quality audit finds."""

import datetime
from collections import Counter

import pytest

from grassroots.core import crypto
from grassroots.dataset import generator as synthetic
from grassroots.members import quality, rules
from grassroots.members.choices import Occupation
from grassroots.members.models import Member
from grassroots.orgs.choices import Category
from grassroots.orgs.models import Organization

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 7, 1)
REGIONS = {"320481", "320413", "320412", "320411", "320402", "320404", "320400"} | {code for _, code in synthetic.ELSEWHERE}


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo scale, loaded once for this module and removed afterwards."""
    with django_db_blocker.unblock():
        result = synthetic.load("demo", logins=False, meetings=False, today=TODAY)
        yield result
        from grassroots.core.models import AuditLog
        from grassroots.orgs.models import Post

        Post.objects.all().delete()
        Member.objects.all().delete()
        Organization.objects.all().delete()
        AuditLog.objects.all().delete()


def test_id_numbers_are_valid_and_agree_with_the_record(loaded):
    members = list(Member.objects.select_related("org"))
    with_id = [m for m in members if m.id_number_encrypted]
    assert 0.99 * len(members) <= len(with_id) < len(members)  # about 0.3 % left without, on purpose
    for m in with_id:
        number = crypto.decrypt(m.id_number_encrypted)
        birth, gender = rules.parse_id_number(number)  # GB 11643 check character
        assert (birth, gender) == (m.birth_date, m.gender), m.name
        assert number[:6] in REGIONS
        assert m.id_number_hash == crypto.lookup_hash(number) and m.id_number_masked == crypto.mask_id_number(number)
        if m.native_place in synthetic.LOCAL_NATIVE_PLACE.values():
            assert number[:4] == "3204"
        assert rules.check_member({"id_number": number, "birth_date": m.birth_date, "gender": m.gender,
                                   "joined_on": m.joined_on, "full_on": m.full_on, "status": m.status}, TODAY) == {}
    for m in members:
        if m.phone_encrypted:
            phone = crypto.decrypt(m.phone_encrypted)
            assert m.phone_masked == crypto.mask_phone(phone) and m.phone_hash == crypto.lookup_hash(phone)
            assert (len(phone) == 11 and phone[0] == "1") or phone.startswith("0519-")


def test_only_the_planned_duplicates(loaded):
    counts = Counter(Member.objects.exclude(id_number_hash="").values_list("id_number_hash", flat=True))
    pairs = [h for h, n in counts.items() if n > 1]
    assert len(pairs) == synthetic.MIN_DUPLICATE_PAIRS and all(counts[h] == 2 for h in pairs)
    for h in pairs:
        a, b = Member.objects.filter(id_number_hash=h)
        assert (a.name, a.birth_date, a.gender, a.joined_on) == (b.name, b.birth_date, b.gender, b.joined_on)
        assert a.pk != b.pk


def test_registry_fields_are_realistic(loaded):
    members = list(Member.objects.select_related("org"))
    n = len(members)
    for field in ("education", "native_place", "phone_encrypted"):
        missing = sum(1 for m in members if not getattr(m, field))
        assert 0.005 * n < missing < 0.03 * n, field
    assert all(m.occupation for m in members)
    assert all(m.in_service == (m.occupation != Occupation.RETIRED) for m in members)
    assert all(m.work_unit for m in members if m.in_service)
    assert all(m.residence for m in members)
    assert all(m.degree in ("", "none") for m in members if m.education not in ("bachelor", "postgraduate"))

    def age(m):
        return rules.age_on(m.birth_date, TODAY)

    retired = [m for m in members if m.occupation == Occupation.RETIRED]
    assert retired and all(age(m) >= 55 for m in retired)
    old_urban = [m for m in members if age(m) >= 62 and m.org.category != Category.RURAL]
    assert sum(1 for m in old_urban if m.occupation == Occupation.RETIRED) > 0.85 * len(old_urban)
    rural = [m for m in members if m.org.category == Category.RURAL and m.org.kind != "committee"]
    assert sum(1 for m in rural if m.occupation == Occupation.FARMER) > 0.5 * len(rural)
    farmers = [m for m in members if m.occupation == Occupation.FARMER]
    assert sum(1 for m in farmers if m.org.category == Category.RURAL) > 0.9 * len(farmers)
    students = [m for m in members if m.occupation == Occupation.STUDENT]
    assert len(students) < 0.01 * n and all(age(m) < 24 for m in students)
    agency = [m for m in members if m.org.category == Category.AGENCY and age(m) < 55]
    assert sum(1 for m in agency if m.occupation == Occupation.CIVIL_SERVANT) > 0.7 * len(agency)
    graduates = [m for m in members if m.org.category in (Category.AGENCY, Category.SCHOOL) and age(m) < 45]
    assert sum(1 for m in graduates if m.education in ("bachelor", "postgraduate")) > 0.7 * len(graduates)


def test_the_audit_finds_the_deliberate_gaps(loaded):
    root = Organization.objects.get(depth=1)
    totals = quality.report(root, TODAY).totals
    assert totals["duplicate_id_number"] == 2 * synthetic.MIN_DUPLICATE_PAIRS
    assert totals["missing_education"] > 0 and totals["missing_phone"] > 0 and totals["missing_native_place"] > 0
    for kind in ("invalid_id_number", "full_without_date", "probationary_with_date", "probation_overdue", "joined_under_age",
                 "org_dissolved", "missing_occupation"):
        assert totals[kind] == 0, kind


def test_same_seed_same_plain_values(loaded):
    """The registry fields come from their own seeded generator: a second build gives the same plain values."""
    ctx = synthetic.Context(synthetic.SCALES["demo"], synthetic.DEFAULT_SEED, TODAY)
    root = synthetic.build_tree(ctx)
    synthetic.tag_demo_targets(ctx)
    synthetic.assign_paths([root])
    synthetic.inherit_units(root)
    nodes = list(synthetic.walk(root))
    factory = synthetic.MemberFactory(ctx)
    synthetic.plan_duplicates(factory.registry.rng, sum(n.members for n in nodes))  # as save_members does
    first = [factory.make(root)[0] for _ in range(5)]
    saved = list(Member.objects.filter(org__depth=1).order_by("pk")[:5])
    assert [(m.name, m.id_number_masked, m.native_place, m.education, m.occupation, m.work_unit) for m in first] == [
        (m.name, m.id_number_masked, m.native_place, m.education, m.occupation, m.work_unit) for m in saved
    ]
