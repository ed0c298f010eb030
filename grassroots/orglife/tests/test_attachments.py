"""Meeting attachments: type by extension AND leading bytes, size limit, scoped downloads, no removal after confirmation."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grassroots.core.models import AuditLog
from grassroots.orglife import services
from grassroots.orglife.models import Attachment
from grassroots.orglife.tests.factories import at, held

pytestmark = pytest.mark.django_db

GOOD = {
    "会场.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64,
    "合影.JPEG": b"\xff\xd8\xff\xdb" + b"\x01" * 64,
    "签到表.png": b"\x89PNG\r\n\x1a\n" + b"\x02" * 64,
    "会议纪要.pdf": b"%PDF-1.7\n" + b"\x03" * 64 + b"\n%%EOF\n",
    "学习材料.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x04" * 64,
    "讲稿.docx": b"PK\x03\x04\x14\x00\x06\x00" + b"\x05" * 64,
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "media"}},
    }
    return tmp_path / "media"


@pytest.fixture
def meeting(tree):
    return held(tree.branch_a, "theme_day", at(2026, 3, 1))


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize("name", list(GOOD))
def test_each_allowed_type_is_stored_with_its_hash(people, meeting, media, name):
    content = GOOD[name]
    attachment = services.add_attachment(people.secretary_a, meeting, upload(name, content))
    attachment.refresh_from_db()
    assert attachment.original_name == name and attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.file.name.startswith("meetings/2") and name not in attachment.file.name  # random stored name
    assert (media / attachment.file.name).read_bytes() == content
    expected_type = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "pdf": "application/pdf", "doc": "application/msword"}
    assert attachment.content_type == expected_type.get(name.rsplit(".", 1)[1].lower(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    log = AuditLog.objects.filter(note=f"上传会议附件《{name}》").get()
    assert log.actor == people.secretary_a and log.org_path == meeting.org_path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("伪装.pdf", b"MZ\x90\x00" + b"\x00" * 32, "文件内容与扩展名 .pdf 不符"),
        ("伪装.png", GOOD["会场.jpg"], "文件内容与扩展名 .png 不符"),
        ("伪装.docx", GOOD["学习材料.doc"], "文件内容与扩展名 .docx 不符"),
        ("脚本.exe", b"MZ\x90\x00", "不支持该文件类型"),
        ("网页.html", b"<html>", "不支持该文件类型"),
        ("没有扩展名", b"%PDF-1.4", "不支持该文件类型"),
        ("空.pdf", b"", "文件是空的"),
    ],
)
def test_refused_files(people, meeting, media, name, content, message):
    with pytest.raises(ValidationError) as exc:
        services.add_attachment(people.secretary_a, meeting, upload(name, content))
    assert message in " ".join(exc.value.messages)
    assert not Attachment.objects.exists() and not list(media.rglob("*.*"))


def test_too_large_file_is_refused(settings, people, meeting, media):
    settings.ORGLIFE_ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as exc:
        services.add_attachment(people.secretary_a, meeting, upload("大.pdf", b"%PDF" + b"\x00" * 1021))
    assert "文件过大（1.00098 KB），每个附件不能超过 1 KB" in exc.value.messages[0]
    services.add_attachment(people.secretary_a, meeting, upload("正好.pdf", b"%PDF" + b"\x00" * 1020))
    assert Attachment.objects.count() == 1


def test_allowed_extensions_are_a_setting(settings, people, meeting):
    settings.ORGLIFE_ATTACHMENT_EXTENSIONS = ["pdf"]
    with pytest.raises(ValidationError) as exc:
        services.add_attachment(people.secretary_a, meeting, upload("会场.jpg", GOOD["会场.jpg"]))
    assert exc.value.messages == ["不支持该文件类型，只能上传 pdf 文件"]


def test_only_managers_of_the_branch_add_files(people, meeting):
    from grassroots.core.errors import PermissionDenied

    for user in (people.secretary_b, people.member_a, people.supervisor):
        with pytest.raises(PermissionDenied):
            services.add_attachment(user, meeting, upload("会议纪要.pdf", GOOD["会议纪要.pdf"]))


def test_removal_before_confirmation_only(people, meeting, media, django_capture_on_commit_callbacks):
    first = services.add_attachment(people.secretary_a, meeting, upload("会议纪要.pdf", GOOD["会议纪要.pdf"]))
    second = services.add_attachment(people.secretary_a, meeting, upload("合影.JPEG", GOOD["合影.JPEG"]))
    stored = media / first.file.name
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the row's removal is committed
        services.remove_attachment(people.secretary_a, first)
    assert not Attachment.objects.filter(pk=first.pk).exists() and not stored.exists()
    assert AuditLog.objects.filter(note="删除会议附件《会议纪要.pdf》").exists()

    services.confirm_meeting(people.secretary_a, meeting)
    with pytest.raises(ValidationError) as exc:
        services.remove_attachment(people.secretary_a, second)
    assert exc.value.messages == ["会议记录已确认，附件不能删除"]
    assert Attachment.objects.filter(pk=second.pk).exists() and (media / second.file.name).exists()
    # adding to a confirmed record stays possible (audited); removing it is not
    late = services.add_attachment(people.secretary_a, meeting, upload("补充照片.png", GOOD["签到表.png"]))
    with pytest.raises(ValidationError):
        services.remove_attachment(people.secretary_a, late)


def test_pages_upload_list_download_and_scope(client, tree, people, members, media, meeting):
    sibling = held(tree.branch_b, "theme_day", at(2026, 3, 2))
    theirs = services.add_attachment(people.secretary_b, sibling, upload("二支部纪要.pdf", GOOD["会议纪要.pdf"]))

    client.force_login(people.secretary_a)
    detail = reverse("orglife:meeting_detail", args=[meeting.pk])
    page = client.get(detail).content.decode()
    assert 'enctype="multipart/form-data"' in page and reverse("orglife:attachment_upload", args=[meeting.pk]) in page

    response = client.post(reverse("orglife:attachment_upload", args=[meeting.pk]), {"file": upload("会场.jpg", GOOD["会场.jpg"])})
    assert response.status_code == 302 and response.url == detail + "#attachments"
    mine = Attachment.objects.get(meeting=meeting)
    response = client.post(reverse("orglife:attachment_upload", args=[meeting.pk]), {"file": upload("伪装.pdf", b"not a pdf")}, follow=True)
    assert "文件内容与扩展名 .pdf 不符" in response.content.decode()
    page = client.get(detail).content.decode()
    assert "会场.jpg" in page and reverse("orglife:attachment_download", args=[mine.pk]) in page
    assert "/media/" not in page

    response = client.get(reverse("orglife:attachment_download", args=[mine.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == GOOD["会场.jpg"]
    assert response["Content-Type"] == "image/jpeg" and "attachment" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"

    # the sibling branch's file: 404 for download and removal, and the upload form of their meeting too
    assert client.get(reverse("orglife:attachment_download", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("orglife:attachment_remove", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("orglife:attachment_upload", args=[sibling.pk]), {"file": upload("x.pdf", GOOD["会议纪要.pdf"])}).status_code == 404
    assert Attachment.objects.filter(meeting=sibling).count() == 1

    # a member of the branch reads and downloads, but neither uploads nor removes
    client.force_login(people.member_a)
    page = client.get(detail).content.decode()
    assert "会场.jpg" in page and 'enctype="multipart/form-data"' not in page
    assert client.get(reverse("orglife:attachment_download", args=[mine.pk])).status_code == 200
    assert client.post(reverse("orglife:attachment_remove", args=[mine.pk])).status_code == 403

    # the district above reads it too
    client.force_login(people.dept_a)
    assert client.get(reverse("orglife:attachment_download", args=[mine.pk])).status_code == 200
    assert client.get(reverse("orglife:attachment_download", args=[theirs.pk])).status_code == 200

    client.force_login(people.secretary_a)
    response = client.post(reverse("orglife:attachment_remove", args=[mine.pk]))
    assert response.status_code == 302 and not Attachment.objects.filter(pk=mine.pk).exists()


def test_remove_page_refused_after_confirmation(client, people, meeting):
    attachment = services.add_attachment(people.secretary_a, meeting, upload("会议纪要.pdf", GOOD["会议纪要.pdf"]))
    services.confirm_meeting(people.secretary_a, meeting)
    client.force_login(people.secretary_a)
    response = client.post(reverse("orglife:attachment_remove", args=[attachment.pk]), follow=True)
    assert "会议记录已确认，附件不能删除" in response.content.decode()
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert reverse("orglife:attachment_remove", args=[attachment.pk]) not in response.content.decode()


def test_api_upload_list_download(client, api, tree, people, meeting):
    api.as_user(people.secretary_a)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api.token}"}
    url = f"/api/v1/orglife/meetings/{meeting.pk}/attachments"
    response = client.post(url, {"file": upload("讲稿.docx", GOOD["讲稿.docx"])}, **headers)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["original_name"] == "讲稿.docx" and body["sha256"] == hashlib.sha256(GOOD["讲稿.docx"]).hexdigest()
    response = client.post(url, {"file": upload("伪装.pdf", b"GIF89a....")}, **headers)
    assert response.status_code == 422 and "文件内容与扩展名 .pdf 不符" in response.content.decode()
    response = client.post(url, {"file": upload("x.svg", b"<svg/>")}, **headers)
    assert response.status_code == 422 and "不支持该文件类型" in response.content.decode()

    listing = api.get(f"/orglife/meetings/{meeting.pk}/attachments").json()
    assert [a["original_name"] for a in listing] == ["讲稿.docx"]
    response = client.get(listing[0]["download_url"], **headers)
    assert response.status_code == 200 and b"".join(response.streaming_content) == GOOD["讲稿.docx"]

    api.as_user(people.secretary_b)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api.token}"}
    assert client.get(listing[0]["download_url"], **headers).status_code == 404
    assert api.get(f"/orglife/meetings/{meeting.pk}/attachments").status_code == 404
    assert client.post(url, {"file": upload("讲稿.docx", GOOD["讲稿.docx"])}, **headers).status_code == 404
