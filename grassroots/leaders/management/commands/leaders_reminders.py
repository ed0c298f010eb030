from django.core.management.base import BaseCommand
from django.utils import timezone

from grassroots.leaders import reminders


class Command(BaseCommand):
    help = "提醒村（社区）书记和乡镇（街道）：两委任期即将届满，做好换届准备（每天运行一次）"

    def handle(self, *args, **options):
        count = reminders.send(timezone.localdate())
        self.stdout.write(f"已发送 {count} 条换届提醒")
