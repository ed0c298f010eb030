"""Remind members to register again at their community and end lapsed registrations (weekly)."""

from django.core.management.base import BaseCommand

from grassroots.volunteering import services


class Command(BaseCommand):
    help = "提醒在职党员到期重新到社区报到，结束逾期未重新报到的报到"

    def handle(self, *args, **options):
        reminded, lapsed = services.remind_and_lapse()
        self.stdout.write(f"已提醒 {reminded} 人，逾期结束 {lapsed} 条")
