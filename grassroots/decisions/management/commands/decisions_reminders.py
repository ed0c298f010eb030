from django.core.management.base import BaseCommand
from django.utils import timezone

from grassroots.decisions import reminders


class Command(BaseCommand):
    help = "通知村（社区）书记和乡镇：“四议两公开”事项的决议、实施情况或实施结果逾期未公开（每天运行一次）"

    def handle(self, *args, **options):
        count = reminders.send(timezone.localdate())
        self.stdout.write(f"已发送 {count} 条公开逾期提醒")
