import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.disclosure import services
from grassroots.disclosure.choices import Category

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "media"}},
    }
    return tmp_path / "media"


def test_publish_and_correct_form_a_chain(tree, people):
    png = SimpleUploadedFile("照片.png", b"\x89PNG\r\n\x1a\n" + b"1" * 30)
    d1 = services.publish_disclosure(people.secretary_a, tree.branch_a, category=Category.RESOLUTION, title="决议", body="内容",
                                     attachments=[png], source_label="事项", source_url="/gongkai/matters/1/")
    assert d1.seq == 1 and d1.get_absolute_url() == f"/gongkai/items/{d1.pk}/"
    d2 = services.correct_disclosure(people.secretary_a, d1, title="决议（更正）", body="内容2", reason="错字")
    assert d2.seq == 2 and d2.prev_hash == d1.hash and d2.supersedes == d1
    d1.refresh_from_db()
    assert d1.superseded_by == d2
    assert services.verify_org_chain(tree.branch_a) is None
