"""Correcting an applicant's personal data before the member record exists: a reason, the same checks as the
application, an audit entry; refused once the registry holds the person."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from grassroots.core import crypto
from grassroots.core.models import AuditLog
from grassroots.development import services
from grassroots.development.models import Applicant
from grassroots.development.synthetic import advance
from grassroots.members.rules import id_check_char

from .conftest import TODAY

pytestmark = pytest.mark.django_db
D = datetime.date
GOOD_ID = "32041219980304001" + id_check_char("32041219980304001")  # born 1998-03-04, male (17th digit odd)


def test_corrects_with_a_reason_and_audits(dev):
    with pytest.raises(ValidationError) as exc:
        services.update_applicant(dev.secretary, dev.applicant, {"name": "陈小东"}, reason=" ", today=TODAY)
    assert "reason" in exc.value.message_dict and Applicant.objects.get().name == "陈晓东"
    a = services.update_applicant(dev.secretary, dev.applicant, {"name": "陈小东", "id_number": GOOD_ID, "work_unit": "镇政府"},
                                  reason="申请书姓名录错", today=TODAY)
    assert (a.name, a.initials, a.work_unit) == ("陈小东", "cxd", "镇政府") and crypto.decrypt(a.id_number_encrypted) == GOOD_ID
    assert crypto.decrypt(a.phone_encrypted) == "13812345678"  # empty keeps the stored phone
    log = AuditLog.objects.for_object(a).get(action="update")
    assert log.note == "申请书姓名录错" and log.before["name"] == "陈晓东" and log.after["name"] == "陈小东"


def test_the_same_checks_as_the_application(dev):
    services.update_applicant(dev.secretary, dev.applicant, {"id_number": GOOD_ID}, reason="补录", today=TODAY)
    with pytest.raises(ValidationError) as exc:  # the stored ID number no longer agrees with the birth date
        services.update_applicant(dev.secretary, dev.applicant, {"birth_date": D(1998, 3, 5)}, reason="改", today=TODAY)
    assert "id_number" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # under 18 on the application date
        services.update_applicant(dev.secretary, dev.applicant, {"birth_date": D(2006, 1, 11), "id_number": "32041220060111001"
                                  + id_check_char("32041220060111001")}, reason="改", today=TODAY)
    assert "birth_date" in exc.value.message_dict
    assert Applicant.objects.get().birth_date == D(1998, 3, 4)


def test_only_the_branch_and_only_before_membership(dev, people):
    with pytest.raises(PermissionDenied):
        services.update_applicant(people.secretary_b, dev.applicant, {"name": "越权"}, reason="越权", today=TODAY)
    advance(dev.applicant, "approval", branch_actor=dev.secretary, higher_actor=dev.town, today=TODAY)
    with pytest.raises(ValidationError, match="党员名册"):
        services.update_applicant(dev.secretary, Applicant.objects.get(), {"name": "陈小东"}, reason="改", today=TODAY)


def test_edit_page_and_api(client, api, dev, people):
    client.force_login(people.secretary_a)
    url = reverse("development:edit", args=[dev.applicant.pk])
    assert url in client.get(reverse("development:detail", args=[dev.applicant.pk])).content.decode()
    form = {"name": "陈小东", "gender": "male", "ethnicity": "01", "birth_date": "1998-03-04", "education": "bachelor", "work_unit": "村委会"}
    response = client.post(url, {**form, "reason": ""})
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    assert client.post(url, {**form, "reason": "姓名录错"}).status_code == 302
    assert Applicant.objects.get().name == "陈小东"
    client.force_login(people.secretary_b)
    assert client.get(url).status_code == 404
    api.as_user(people.secretary_a)
    patched = api.send("patch", f"/development/applicants/{dev.applicant.pk}", {"reason": "单位变更", "work_unit": "镇政府"})
    assert patched.status_code == 200 and Applicant.objects.get().work_unit == "镇政府"
    assert api.send("patch", f"/development/applicants/{dev.applicant.pk}", {"work_unit": "x"}).status_code == 422
