from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "试验任务"

    def add_arguments(self, parser):
        parser.add_argument("--fail", action="store_true")

    def handle(self, *args, fail=False, **options):
        if fail:
            raise CommandError("试验任务按要求失败")
        self.stdout.write("试验任务完成")
