"""The engine's numbers and pure checks. No regulation sets them: they are local practice, read from settings
with a dated default."""

from django.conf import settings

# Files accepted as evidence of progress (photos, PDF, Word, Excel): extension -> (content type, leading bytes).
# The extension AND the leading bytes must agree, so a renamed file of another kind is refused.
FILE_SIGNATURES = {
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    "png": ("image/png", b"\x89PNG"),
    "pdf": ("application/pdf", b"%PDF"),
    "doc": ("application/msword", b"\xd0\xcf\x11\xe0"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
    "xls": ("application/vnd.ms-excel", b"\xd0\xcf\x11\xe0"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
}
HEAD_BYTES = 8
# Default 20 MB per file: the same limit as meeting attachments (orglife, 2026-11); a phone photo is 3-8 MB.
FILE_MAX_BYTES_DEFAULT = 20 * 1024 * 1024
# Default 10 files per report (2026-12, engines brief: "photos, documents"; a township's report rarely has more).
FILES_PER_REPORT_DEFAULT = 10
# The daily reminder tells the responsible person of tasks due within this many days. Default 3 days
# (2026-12: the supervision notices of the pilot districts give three days' warning).
REMIND_DAYS_DEFAULT = 3


def file_max_bytes():
    return int(getattr(settings, "GRASSROOTS_TRACKING_FILE_MAX_BYTES", FILE_MAX_BYTES_DEFAULT))


def files_per_report():
    return int(getattr(settings, "GRASSROOTS_TRACKING_FILES_PER_REPORT", FILES_PER_REPORT_DEFAULT))


def remind_days():
    return int(getattr(settings, "GRASSROOTS_TRACKING_REMIND_DAYS", REMIND_DAYS_DEFAULT))


def extension(name):
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def _size_label(size):
    return f"{size / (1024 * 1024):g} MB" if size >= 1024 * 1024 else f"{size / 1024:g} KB" if size >= 1024 else f"{size} 字节"


def file_error(name, size, head):
    """Why an uploaded file is refused (Chinese), or None. `head` is its first bytes."""
    ext = extension(name)
    if ext not in FILE_SIGNATURES:
        return f"不支持该文件类型，只能上传 {'、'.join(FILE_SIGNATURES)} 文件"
    if not size:
        return "文件是空的"
    if size > file_max_bytes():
        return f"文件过大（{_size_label(size)}），每个文件不能超过 {_size_label(file_max_bytes())}"
    if not head.startswith(FILE_SIGNATURES[ext][1]):
        return f"文件内容与扩展名 .{ext} 不符，可能是改了扩展名的其他文件"
    return None


def percent_error(percent, previous, text):
    """Why a reported percent is refused, or None: 0..100, and lower than before only with a note."""
    if percent is None or not 0 <= percent <= 100:
        return "完成进度须在 0 到 100 之间"
    if percent < previous and not (text or "").strip():
        return f"进度由 {previous}% 降为 {percent}%，请在进展情况中说明原因"
    return None
