from django.core.management.base import BaseCommand
from django.utils import timezone

from grassroots.supervision import services


class Command(BaseCommand):
    help = "催办逾期未签收的通知（第一、二、三次催办）"

    def handle(self, *args, **options):
        sent = services.send_reminders(timezone.localdate())
        self.stdout.write(f"已催办 {sent} 个单位")
