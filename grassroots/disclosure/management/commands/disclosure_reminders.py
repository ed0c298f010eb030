"""Daily reminders of routine disclosures (run from cron, e.g. `0 8 * * * manage.py disclosure_reminders`)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from grassroots.disclosure import reminders


class Command(BaseCommand):
    help = "发送例行公开到期提醒（提前提醒村（社区）书记；逾期同时提醒乡镇（街道））"

    def handle(self, *args, **options):
        sent = reminders.send(timezone.localdate())
        self.stdout.write(f"已发送 {sent} 条公开提醒")
