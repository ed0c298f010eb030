import datetime

import pytest
from django.core.management import call_command
from django.db.models import Count

from grassroots.accounts.models import User
from grassroots.core import scoping
from grassroots.core.models import AuditLog
from grassroots.dataset import generator as synthetic
from grassroots.dataset.generator import DEMO_ACCOUNTS
from grassroots.members import stats
from grassroots.members.models import Member
from grassroots.orglife.models import Attendance, Meeting
from grassroots.orgs.choices import BRANCH_KINDS, Kind
from grassroots.orgs.models import Organization

pytestmark = pytest.mark.django_db(transaction=False)


def test_demo_dataset_is_a_valid_changzhou_tree(capsys):
    call_command("generate_dataset", "--scale", "demo")
    out = capsys.readouterr().out
    assert "city_zzb" in out and "Demo@2026" in out

    assert Organization.objects.find_problems() == ([], [], [], [], [])
    assert 250 <= Organization.objects.count() <= 450
    assert 4000 <= Member.objects.count() <= 6000
    districts = set(Organization.objects.filter(depth=2, kind=Kind.COMMITTEE).values_list("short_name", flat=True))
    assert {"溧阳市委", "金坛区委", "武进区委", "新北区委", "天宁区委", "钟楼区委"} <= districts
    assert not Organization.objects.filter(is_synthetic=False).exists() and not Member.objects.filter(is_synthetic=False).exists()

    # every domain app's demo step left records (the disclosure step once skipped itself after the decisions step)
    from grassroots.decisions.models import Matter
    from grassroots.development.models import Applicant
    from grassroots.disclosure.models import Disclosure
    from grassroots.dues.models import DuesPayment
    from grassroots.points.models import PointEntry
    from grassroots.relations.models import Transfer
    from grassroots.talks.models import Talk

    for model in (Applicant, Transfer, DuesPayment, PointEntry, Talk, Matter):
        assert model.objects.exists(), model.__name__
    assert set(Disclosure.objects.values_list("category", flat=True)) >= {"finance", "village", "party", "resolution", "result"}

    for group in Organization.objects.filter(kind=Kind.GROUP):
        assert Organization.objects.get_parent(group).kind in BRANCH_KINDS
    assert Organization.objects.values("code").annotate(n=Count("id")).filter(n__gt=1).count() == 0
    mismatched = [m for m in Member.objects.select_related("org")[:500] if m.org_path != m.org.path]
    assert mismatched == []
    assert all(stats.age(m.birth_date, m.joined_on) >= 18 for m in Member.objects.all()[:1000])
    assert AuditLog.objects.filter(note__contains="synthetic").count() == 1

    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.check_password("Demo@2026")
        assert scoping.active_roles(user), account.username
    # the accounts a demo step creates for its own part are printed too, after the core ones, each with a role
    printed = [row[0] for row in synthetic.demo_login_rows()]
    assert printed[: len(DEMO_ACCOUNTS)] == [a.username for a in DEMO_ACCOUNTS]
    assert "daibiao1" in printed and set(synthetic.demo_usernames()) == set(printed)
    a, b = (scoping.manage_paths(User.objects.get(username=n))[0] for n in ("branch_a_sj", "branch_b_sj"))
    assert a != b and a[:-4] == b[:-4]  # siblings

    call_command("generate_dataset", "--scale", "demo", "--if-empty")
    assert "跳过" in capsys.readouterr().out


def test_demo_dataset_has_this_years_organizational_life():
    today = datetime.date(2026, 11, 25)
    synthetic.load("demo", logins=False, today=today)
    assert Meeting.objects.count() > 3000
    assert not Meeting.objects.filter(starts_at__date__gt=today).exists()
    statuses = dict(Attendance.objects.values_list("status").annotate(n=Count("id")))
    assert statuses["present"] > 10 * statuses["absent"] > 0 and statuses["leave"] > 0

