"""Verify the disclosure hash chains: `manage.py verify_disclosures [--org CODE]`. Exit status 1 and the first
broken link of each broken chain when the database or a stored file was altered behind the platform's back."""

from django.core.management.base import BaseCommand, CommandError

from grassroots.disclosure import services
from grassroots.disclosure.models import ChainHead, Disclosure
from grassroots.orgs.models import Organization


class Command(BaseCommand):
    help = "核验公开内容的防篡改哈希链（全部或 --org 指定的组织代码）"

    def add_arguments(self, parser):
        parser.add_argument("--org", help="组织代码（Organization.code）")

    def handle(self, *args, **options):
        if options["org"]:
            orgs = list(Organization.objects.filter(code=options["org"]))
            if not orgs:
                raise CommandError(f"找不到组织代码 {options['org']}")
        else:
            ids = set(Disclosure.objects.values_list("org_id", flat=True)) | set(ChainHead.objects.values_list("org_id", flat=True))
            orgs = list(Organization.objects.filter(pk__in=ids).order_by("path"))
        broken = 0
        for org in orgs:
            result = services.verify_org_chain(org)
            if result is None:
                self.stdout.write(f"{org.code} {org.name}：通过（{Disclosure.objects.filter(org=org).count()} 条）")
            else:
                broken += 1
                self.stdout.write(f"{org.code} {org.name}：未通过，第一处断链在{result}")
        self.stdout.write(f"共核验 {len(orgs)} 条链，{broken} 条未通过")
        if broken:
            raise SystemExit(1)
