from django.core.management.base import BaseCommand
from django.utils import timezone

from grassroots.tracking.reminders import send_reminders


class Command(BaseCommand):
    help = "任务提醒：即将到期和已逾期的任务（告知责任人和下达单位）"

    def handle(self, *args, **options):
        to_users, to_managers = send_reminders(timezone.localdate())
        self.stdout.write(f"提醒责任人 {to_users} 条，提醒下达单位 {to_managers} 条")
