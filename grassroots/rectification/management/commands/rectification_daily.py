"""Daily: remind of prescribed remedies due or overdue, and reopen watched cases whose signals returned (回潮)."""

from django.core.management.base import BaseCommand

from grassroots.rectification import services


class Command(BaseCommand):
    help = "整顿软弱涣散：到期提醒与回潮检查"

    def handle(self, *args, **options):
        reminded = services.send_reminders()
        reopened = services.check_relapses()
        self.stdout.write(f"提醒 {reminded} 项，回潮重新整顿 {len(reopened)} 个")
