import datetime

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

from grassroots.orglife import reminders
from grassroots.orglife.choices import MeetingKind
from grassroots.orglife.models import Reminder

from .factories import at, held

pytestmark = pytest.mark.django_db


def test_secretary_is_reminded_once_of_open_requirements_near_period_end(tree, people, members):
    held(tree.branch_a, MeetingKind.THEME_DAY, at(2026, 3, 3))
    assert reminders.send_reminders(today=datetime.date(2026, 3, 20)) == 0  # 11 days before the end: too early
    created = reminders.send_reminders(today=datetime.date(2026, 3, 25))
    mine = Reminder.objects.filter(user=people.secretary_a)
    kinds = sorted((r.kind, r.target_org_id) for r in mine)
    # March: theme day held; the group meeting (monthly), Q1 assembly and Q1 lesson are still open
    assert kinds == sorted([
        (MeetingKind.GROUP, tree.group_a.pk), (MeetingKind.GENERAL_ASSEMBLY, tree.branch_a.pk), (MeetingKind.LECTURE, tree.branch_a.pk),
    ])
    assert all(r.period_end == datetime.date(2026, 3, 31) for r in mine)
    assert "尚未登记" in mine.first().message
    assert not Reminder.objects.filter(user=people.secretary_a, org=tree.branch_b).exists()
    assert Reminder.objects.filter(user=people.secretary_b).count() == 4  # branch B also misses its theme day
    assert created == 7
    assert reminders.send_reminders(today=datetime.date(2026, 3, 26)) == 0  # not twice


def test_reminder_days_is_a_setting(tree, people):
    with override_settings(ORGLIFE_REMINDER_DAYS=15):
        assert reminders.send_reminders(today=datetime.date(2026, 3, 20)) > 0


def test_command_runs(tree, people, capsys):
    call_command("orglife_reminders")
    assert "新建提醒" in capsys.readouterr().out
