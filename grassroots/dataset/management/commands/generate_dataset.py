"""Load a synthetic Changzhou-shaped dataset (see grassroots/dataset/generator.py)."""

import argparse

from django.core.management.base import BaseCommand, CommandError

from grassroots.dataset import generator as synthetic
from grassroots.orgs.models import Organization


class Command(BaseCommand):
    help = "生成演示数据：常州市形状的合成党组织树、党员和领导职务 (synthetic demo / load-test data)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(synthetic.SCALES), default="demo",
                            help="demo: 约 300 个党组织、5,000 名党员；city: 约 12,000 个党组织、250,000 名党员")
        parser.add_argument("--seed", type=int, default=synthetic.DEFAULT_SEED, help="随机种子 (default %(default)s)")
        parser.add_argument("--if-empty", action="store_true", help="已有党组织时什么也不做 (do nothing if any organization exists)")
        parser.add_argument("--logins", action=argparse.BooleanOptionalAction, default=None,
                            help=f"创建演示账号 (password {synthetic.DEMO_PASSWORD}); default: on for demo, off for city")
        parser.add_argument("--quiet", action="store_true", help="不输出进度和汇总 (no output)")

    def handle(self, *args, scale, seed, if_empty, logins, quiet, **options):
        say = (lambda message: None) if quiet else self.stdout.write
        if Organization.objects.exists():
            if if_empty:
                say("数据库中已有党组织，跳过生成演示数据。(organizations exist; nothing generated) "
                    "查看演示账号 / demo logins: manage.py demo_logins")
                return
            raise CommandError("数据库中已有党组织；请使用空数据库，或加 --if-empty 跳过。"
                               " (the database already has organizations)")
        result = synthetic.load(scale, seed, logins=logins, log=say)
        say(self.style.SUCCESS(
            f"完成 / done: 党组织 {result.organizations:,} 个 (organizations)，党员 {result.members:,} 名 (members)，"
            f"领导职务 {result.posts:,} 条 (posts)，用时 {result.seconds:.1f} 秒 (seconds)"
        ))
        if result.logins:
            say("")
            say(synthetic.format_logins_table(synthetic.demo_login_rows()))
