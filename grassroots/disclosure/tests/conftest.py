import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
PDF = b"%PDF-1.4\n" + b"1" * 40 + b"\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "media"}},
    }
    return tmp_path / "media"


@pytest.fixture(autouse=True)
def clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def png(name="照片.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


def pdf(name="决议.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def xlsx(rows):
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("收支.xlsx", buffer.getvalue())


@pytest.fixture
def publish(people, tree):
    from grassroots.disclosure import services

    def make(org=None, actor=None, **fields):
        data = {"category": "village", "title": "2026年第一季度村务公开", "body": "一、道路硬化工程完工。"} | fields
        return services.publish_disclosure(actor or people.secretary_a, org or tree.branch_a, **data)

    return make
