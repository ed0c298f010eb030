from django.core.management.base import BaseCommand
from django.utils import timezone

from grassroots.assistance.checks import attendance_check


class Command(BaseCommand):
    help = "驻村干部上月在村考勤检查：未填报或天数不足的，通知所在乡镇党委"

    def handle(self, *args, **options):
        missing, short = attendance_check(timezone.localdate())
        self.stdout.write(f"未填报 {missing} 人，天数不足 {short} 人")
