import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from grassroots.core import crypto
from grassroots.members import services
from grassroots.members.models import Member
from grassroots.members.tests.test_services import ID, data

pytestmark = pytest.mark.django_db


@pytest.fixture
def keys(settings):
    yield settings
    settings.DATA_KEYS, settings.HASH_KEY = "", ""
    crypto.reset_keys()


def test_rotate_data_keys_command(tree, people, keys):
    old = Fernet.generate_key().decode()
    keys.DATA_KEYS, keys.HASH_KEY = old, "old-hash-key"
    crypto.reset_keys()
    member = services.create_member(people.secretary_a, tree.branch_a, data())
    new = Fernet.generate_key().decode()
    keys.DATA_KEYS, keys.HASH_KEY = f"{new},{old}", "new-hash-key"
    call_command("rotate_data_keys", "--rehash", stdout=io.StringIO())
    keys.DATA_KEYS = new  # the old key is gone now
    crypto.reset_keys()
    member = Member.objects.get(pk=member.pk)
    assert crypto.decrypt(member.id_number_encrypted) == ID
    assert list(services.find_by_id_number(Member.objects.all(), ID)) == [member]


def test_deploy_check_warns_without_keys(keys):
    from grassroots.core.checks import personal_data_keys

    assert {w.id for w in personal_data_keys(None)} == {"grassroots.W001", "grassroots.W002"}
    keys.DATA_KEYS, keys.HASH_KEY = Fernet.generate_key().decode(), "x"
    assert personal_data_keys(None) == []
