import datetime

import pytest
from django.core.management import call_command

from grassroots.core.models import Notification
from grassroots.development import reminders

pytestmark = pytest.mark.django_db


def test_overdue_talk_reminds_the_branch_secretary_once_a_day(dev, people):
    # The fixture's application (2024-01-10) has had no talk: overdue.
    assert reminders.send_reminders(datetime.date(2026, 11, 20)) == 1
    note = Notification.objects.get(recipient=people.secretary_a)
    assert note.kind == "development" and "1 项" in note.body and "overdue=1" in note.link
    assert reminders.send_reminders(datetime.date(2026, 11, 20)) == 0
    assert not Notification.objects.filter(recipient=people.secretary_b).exists()


def test_command_runs(dev, capsys):
    call_command("development_reminders")
    assert "新建提醒" in capsys.readouterr().out
