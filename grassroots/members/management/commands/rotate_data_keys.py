"""Re-encrypt every member's ID number and phone with the newest data key (and, with --rehash, recompute
the lookup hashes after GRASSROOTS_HASH_KEY changed). See README, "密钥轮换 / key rotation"."""

from django.core.management.base import BaseCommand
from django.db import transaction

from grassroots.core import audit, crypto
from grassroots.members.models import CorrectionRequest, Member
from grassroots.members.services import ENCRYPTED_PREFIX

FIELDS = ("id_number", "phone")


class Command(BaseCommand):
    help = "用最新的数据密钥重新加密党员的公民身份号码和联系电话 (re-encrypt personal data with the newest key)"

    def add_arguments(self, parser):
        parser.add_argument("--rehash", action="store_true", help="同时按新的 GRASSROOTS_HASH_KEY 重算查询哈希")
        parser.add_argument("--batch", type=int, default=2000)

    def handle(self, *args, rehash, batch, **options):
        crypto.reset_keys()
        columns = [f"{f}_encrypted" for f in FIELDS] + ([f"{f}_hash" for f in FIELDS] if rehash else [])
        total = 0
        with transaction.atomic():
            pending = []
            for member in Member.objects.only("pk", *[f"{f}_encrypted" for f in FIELDS]).iterator(chunk_size=batch):
                for field in FIELDS:
                    token = getattr(member, f"{field}_encrypted")
                    if rehash:
                        setattr(member, f"{field}_hash", crypto.lookup_hash(crypto.decrypt(token)))
                    setattr(member, f"{field}_encrypted", crypto.rotate(token))
                pending.append(member)
                if len(pending) >= batch:
                    Member.objects.bulk_update(pending, columns)
                    total += len(pending)
                    pending = []
            Member.objects.bulk_update(pending, columns)
            total += len(pending)
            # Requested new ID numbers and phones in correction requests are encrypted too.
            requests = list(CorrectionRequest.objects.filter(requested_value__startswith=ENCRYPTED_PREFIX))
            for req in requests:
                req.requested_value = ENCRYPTED_PREFIX + crypto.rotate(req.requested_value[len(ENCRYPTED_PREFIX) :])
            CorrectionRequest.objects.bulk_update(requests, ["requested_value"])
            audit.record(audit.Action.UPDATE, object_repr="党员个人信息密钥轮换", note=f"重新加密 {total} 名党员{'并重算哈希' if rehash else ''}")
        self.stdout.write(self.style.SUCCESS(f"已重新加密 {total} 名党员的个人信息 (re-encrypted {total} members)"))
