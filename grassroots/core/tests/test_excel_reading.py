"""The shared .xlsx reader of the part apps' imports: whole numbers as integers, blank rows skipped, each bad file
refused with a Chinese message."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from grassroots.core.errors import ValidationError
from grassroots.core.excel import data_rows, read_first_sheet


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("t.xlsx", out.getvalue())


def test_rows_below_the_header_as_text():
    upload = xlsx([["名称", "次数", "说明"], ["周报", 4.0, " 每周 "], [None, None, None], ["月报", 12, None, "多余一列"]])
    assert data_rows(upload, 3, 10) == [(2, ["周报", "4", "每周"]), (4, ["月报", "12", ""])]


@pytest.mark.parametrize(("upload", "message"), [
    (None, "请选择 Excel 文件"),
    (SimpleUploadedFile("t.xlsx", b""), "文件是空的"),
    (SimpleUploadedFile("t.xlsx", b"name,count\n"), "不是 .xlsx 格式"),
    (SimpleUploadedFile("t.xlsx", b"PK\x03\x04broken"), "无法读取该文件"),
])
def test_bad_files_are_refused(upload, message):
    with pytest.raises(ValidationError, match=message):
        read_first_sheet(upload)


def test_too_many_or_no_rows():
    with pytest.raises(ValidationError, match="没有数据行"):
        data_rows(xlsx([["名称"], [None]]), 1, 10)
    with pytest.raises(ValidationError, match="一次最多导入 2 行"):
        data_rows(xlsx([["名称"], ["a"], ["b"], ["c"]]), 1, 2)
    with pytest.raises(ValidationError, match="文件太大"):
        read_first_sheet(xlsx([["名称"]]), max_bytes=10)
