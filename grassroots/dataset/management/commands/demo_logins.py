"""Print the demo logins that exist in the database (created by generate_dataset)."""

from django.core.management.base import BaseCommand

from grassroots.dataset import generator as synthetic


class Command(BaseCommand):
    help = "列出演示账号、密码、角色和党组织 (print the demo logins table)."

    def handle(self, *args, **options):
        rows = synthetic.demo_login_rows()
        if not rows:
            self.stdout.write("没有演示账号。(no demo logins; run: manage.py generate_dataset --scale demo)")
            return
        self.stdout.write(synthetic.format_logins_table(rows))
