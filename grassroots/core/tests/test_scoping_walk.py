"""Walk every URL pattern and every API route as users of two sibling branches (and two sibling
districts) and prove that neither reaches the other's objects. A new URL or API route fails this
test until it is added to the tables below, so nobody forgets to scope it."""

import datetime
import json
import re
import zlib
from importlib import import_module
from importlib.util import find_spec

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from grassroots.accounts import services as account_services
from grassroots.accounts.models import RoleAssignment
from grassroots.api import api
from grassroots.conftest import make_user
from grassroots.core.models import Notification
from grassroots.core.registry import grassroots_apps
from grassroots.core.roles import NEW_PART_ROLES, Role
from grassroots.members.models import CorrectionRequest
from grassroots.orgs import services as org_services

pytestmark = pytest.mark.django_db

# URL name -> which of the other side's objects fills its <int:pk>.
WEB_OBJECT = {
    "orgs:detail": "org", "orgs:children": "org", "orgs:create_child": "org", "orgs:edit": "org", "orgs:move": "org",
    "orgs:dissolve": "org", "orgs:restore": "org", "orgs:export": "org", "orgs:post_create": "org", "orgs:post_end": "post",
    "accounts:token_revoke": "token", "accounts:user_detail": "user_id", "accounts:user_unlock": "user_id",
    "accounts:role_revoke": "role",
    "members:detail": "member", "members:edit": "member", "members:reveal": "member", "members:correction_decide": "correction",
    "orglife:meeting_detail": "meeting", "orglife:meeting_record": "meeting", "orglife:meeting_confirm": "meeting",
    "orglife:meeting_amend": "meeting", "orglife:meeting_plan": "org", "orglife:meeting_record_new": "org",
    "orglife:compliance": "org", "orglife:compliance_export": "org", "orglife:ledger": "org", "orglife:ledger_export": "org",
    "orglife:six_months": "org", "orglife:attendance": "org", "orglife:six_months_export": "org", "orglife:appraisal_open": "org",
    "members:import_job": "import_job", "members:import_progress": "import_job", "members:import_errors": "import_job",
    "orglife:appraisal_detail": "appraisal", "orglife:appraisal_vote": "appraisal", "orglife:appraisal_follow_up": "appraisal_result",
    "orglife:attachment_upload": "meeting", "orglife:attachment_download": "attachment", "orglife:attachment_remove": "attachment",
    "orglife:appraisal_summary": "org", "orglife:appraisal_summary_export": "org",
    "members:quality": "org", "members:quality_worklist": "org", "members:statistics": "org",
    "core:notification_open": "notification",
    "members:export_job": "export_job", "members:export_progress": "export_job", "members:export_download": "export_job",
}
# Extra URL arguments besides pk.
WEB_KWARGS = {"members:reveal": {"field": "id_number"}, "members:quality_worklist": {"kind": "missing_phone"}}
# URL names without an object: lists and forms; their output must not show the other side's records.
WEB_LISTS = {
    "dashboard:home", "dashboard:home_todo", "core:audit_log", "orgs:tree", "orgs:search", "orgs:create_root", "accounts:login", "accounts:logout",
    "accounts:password", "accounts:tokens", "accounts:switch_scope", "accounts:user_list", "accounts:user_create",
    "members:list", "members:create", "members:me", "members:corrections",
    "orglife:meeting_list", "orglife:compliance_home", "orglife:appraisal_list", "orglife:appraisal_summary_home",
    "members:quality", "members:statistics",  # their patterns without <org_pk>: the current scope
    "members:export", "members:import_template", "members:import",
    "core:notifications", "core:notifications_read_all",
}
# Pages for system administrators only: everybody else gets 403 (tested below).
WEB_ADMIN_ONLY = {"core:jobs", "core:job_detail", "core:job_run"}
SKIPPED_NAMESPACES = {"admin", "api"}  # the admin is for system administrators only (tested below); the API is walked separately

# Path parameter -> which object fills it.
API_PARAM = {"org_id": "org", "post_id": "post", "role_id": "role", "member_id": "member", "request_id": "correction",
    "meeting_id": "meeting", "appraisal_id": "appraisal", "result_id": "appraisal_result", "job_id": "import_job",
    "attachment_id": "attachment",
    "notification_id": "notification", "export_id": "export_job",
}
# A valid body for every write route, so a refusal proves scoping and not bad input.
API_BODY = {
    ("post", "/api/v1/orgs/"): lambda o: {"parent_id": o["org"], "name": "越权新建", "code": "ZZ01", "kind": "branch", "category": "rural"},
    ("patch", "/api/v1/orgs/{org_id}"): lambda o: {"address": "越权修改"},
    ("post", "/api/v1/orgs/{org_id}/move"): lambda o: {"parent_id": o["own_parent"]},
    ("post", "/api/v1/orgs/{org_id}/dissolve"): lambda o: {"dissolved_on": "2026-01-01", "reason": "越权"},
    ("post", "/api/v1/orgs/{org_id}/restore"): lambda o: {},
    ("post", "/api/v1/orgs/{org_id}/posts"): lambda o: {"title": "secretary", "holder_id": o["member"], "started_on": "2025-01-01"},
    ("post", "/api/v1/orgs/posts/{post_id}/end"): lambda o: {"ended_on": "2026-01-01"},
    ("post", "/api/v1/accounts/roles"): lambda o: {"user_id": o["user_id"], "role": "member", "org_id": o["org"]},
    ("post", "/api/v1/accounts/roles/{role_id}/revoke"): lambda o: {},
    ("post", "/api/v1/members/"): lambda o: {
        "org_id": o["org"], "name": "越权新增", "gender": "male", "birth_date": "1985-06-15", "status": "full",
        "joined_on": "2008-07-01", "full_on": "2009-07-01",
    },
    ("patch", "/api/v1/members/{member_id}"): lambda o: {"residence": "越权修改"},
    ("post", "/api/v1/members/{member_id}/reveal"): lambda o: {"field": "id_number"},
    ("post", "/api/v1/members/me/corrections"): lambda o: {"field": "residence", "requested_value": "越权", "reason": "越权"},
    ("post", "/api/v1/members/corrections/{request_id}/decide"): lambda o: {"approve": True, "note": "越权"},
    ("post", "/api/v1/orglife/meetings"): lambda o: {"org_id": o["org"], "kind": "theme_day", "starts_at": "2026-03-01T09:00:00+08:00", "topic": "越权"},
    ("post", "/api/v1/orglife/meetings/{meeting_id}/record"): lambda o: {"minutes": "越权"},
    ("post", "/api/v1/orglife/meetings/{meeting_id}/confirm"): lambda o: {},
    ("post", "/api/v1/orglife/meetings/{meeting_id}/amend"): lambda o: {"reason": "越权", "place": "越权"},
    ("post", "/api/v1/orglife/appraisals"): lambda o: {"org_id": o["org"], "year": 2024},
    ("post", "/api/v1/orglife/appraisals/{appraisal_id}/ballot"): lambda o: {"grades": {str(o["member"]): "qualified"}},
    ("post", "/api/v1/orglife/appraisals/{appraisal_id}/conclude"): lambda o: {"grades": {str(o["member"]): "qualified"}},
    ("post", "/api/v1/orglife/appraisals/results/{result_id}/follow-up"): lambda o: {"action": "correction", "decided_on": "2026-01-10"},
    ("post", "/api/v1/members/imports"): lambda o: {"org_id": o["org"], "file": ledger_upload()},  # multipart
    ("post", "/api/v1/orglife/meetings/{meeting_id}/attachments"): lambda o: {"file": pdf_upload()},  # multipart
    ("post", "/api/v1/notifications/{notification_id}/read"): lambda o: {},
    ("post", "/api/v1/notifications/read-all"): lambda o: {},
}
# Write routes that act only on the caller's own rows and take no id: they answer 200, and the walk proves
# the other side's rows are untouched.
API_OWN_WRITES = {("post", "/api/v1/notifications/read-all")}
# URL names and API routes anyone may use without logging in (the public portal).
WEB_PUBLIC = set()
API_PUBLIC = set()

# The domain apps keep their part of the tables in <app>/tests/walk.py, with a function that creates the
# records one side owns; every installed app's is found and merged here.
APP_WALKS = [import_module(f"{c.name}.tests.walk") for c in grassroots_apps() if find_spec(f"{c.name}.tests.walk")]
for _walk in APP_WALKS:
    for _name in WEB_OBJECT.keys() & _walk.WEB_OBJECT.keys() | WEB_LISTS & _walk.WEB_LISTS:
        raise AssertionError(f"{_name} is classified twice")
    for _param in API_PARAM.keys() & _walk.API_PARAM.keys():  # one name, two meanings would swap the walk's ids
        if API_PARAM[_param] != _walk.API_PARAM[_param]:
            raise AssertionError(f"API path parameter {{{_param}}} means {API_PARAM[_param]} and {_walk.API_PARAM[_param]}")
    WEB_OBJECT.update(_walk.WEB_OBJECT)
    WEB_KWARGS.update(_walk.WEB_KWARGS)
    WEB_LISTS |= _walk.WEB_LISTS
    WEB_PUBLIC |= _walk.WEB_PUBLIC
    API_PARAM.update(_walk.API_PARAM)
    API_BODY.update(_walk.API_BODY)
    API_OWN_WRITES |= _walk.API_OWN_WRITES
    API_PUBLIC |= _walk.API_PUBLIC


def pdf_upload():
    """A good PDF meeting attachment, as a multipart file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("越权.pdf", b"%PDF-1.4\n%%EOF\n")


def ledger_upload():
    """A good one-row member ledger, as a multipart file."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from grassroots.members.rules import id_check_char

    first17 = "32041219800101001"
    wb = Workbook()
    wb.active.append(["姓名", "公民身份号码", "党员类别", "入党日期", "转正日期", "所在党组织代码"])
    wb.active.append(["越权导入", first17 + id_check_char(first17), "正式党员", datetime.date(2005, 7, 1), datetime.date(2006, 7, 1), "C0401"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("越权.xlsx", buffer.getvalue())


def response_text(response):
    """What a user reads: the page, or for a streamed .xlsx every cell of every sheet (hidden ones too)."""
    if not response.streaming:
        return response.content.decode()
    content = b"".join(response.streaming_content)
    if not content.startswith(b"PK\x03\x04"):
        return content.decode()
    import io

    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return "\n".join(str(c) for name in workbook.sheet_names for row in workbook.get_sheet_by_name(name).to_python() for c in row)


def walk(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            if ns in SKIPPED_NAMESPACES:
                continue
            yield from walk(p, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p


@pytest.fixture
def sides(tree, people, members):
    """Two pairs of siblings: branch secretaries A/B, and district org departments 武进/天宁."""
    dept_b = make_user("tianning_zzb", Role.ORG_DEPT, tree.district_b)
    post_a = org_services.appoint_post(people.secretary_a, tree.branch_a, title="secretary", holder=members.a1, started_on=datetime.date(2024, 1, 1))
    post_b = org_services.appoint_post(people.secretary_b, tree.branch_b, title="secretary", holder=members.b1, started_on=datetime.date(2024, 1, 1))
    post_other = org_services.appoint_post(dept_b, tree.b_branch, title="secretary", holder=members.other, started_on=datetime.date(2024, 1, 1))
    account_services.create_token(people.secretary_a, "A")
    account_services.create_token(people.secretary_b, "B")
    account_services.create_token(people.dept_a, "武进")
    account_services.create_token(dept_b, "天宁")

    from grassroots.orglife.models import Appraisal, AppraisalResult, Attachment
    from grassroots.orglife.tests.factories import at, held

    extra = {}
    for branch, member in ((tree.branch_a, members.a1), (tree.branch_b, members.b1), (tree.b_branch, members.other)):
        appraisal = Appraisal.objects.create(org=branch, org_path=branch.path, year=2025)
        meeting = held(branch, "theme_day", at(2026, 3, 1), state="confirmed")
        attachment = Attachment.objects.create(  # the row only: the walk never reaches the other side's file
            meeting=meeting, file="meetings/2026/03/walk.pdf", original_name=f"{branch.name}.pdf", content_type="application/pdf",
            size=10, sha256="0" * 64,
        )
        extra[branch.pk] = {
            "meeting": meeting.pk, "appraisal": appraisal.pk, "attachment": attachment.pk,
            "appraisal_result": AppraisalResult.objects.create(appraisal=appraisal, member=member, grade="unqualified").pk,
        }
    secretaries = {tree.branch_a.pk: people.secretary_a, tree.branch_b.pk: people.secretary_b, tree.b_branch.pk: dept_b}
    for branch, member in ((tree.branch_a, members.a1), (tree.branch_b, members.b1), (tree.b_branch, members.other)):
        for app_walk in APP_WALKS:
            extra[branch.pk].update(app_walk.objects(branch, member, secretaries[branch.pk]))

    from grassroots.members.models import ExportJob, ImportJob

    def side(user, org, post, member, own_parent, names):
        import_job = ImportJob.objects.create(org=org, org_path=org.path, original_name=f"{names[0]}.xlsx", created_by=user)
        export_job = ExportJob.objects.create(created_by=user, org_path=org.path, description=names[0], state="done", file="exports/walk.xlsx")
        correction = CorrectionRequest.objects.create(member=member, org_path=member.org_path, field="residence", requested_value="越权")
        notification = Notification.objects.create(
            recipient=user, title=f"{names[0]}的通知", body="、".join(names), link="/", org_path=org.path, kind="other"
        )
        return {
            **extra[member.org_id],
            "user": user, "user_id": user.pk, "org": org.pk, "post": post.pk, "member": member.pk, "own_parent": own_parent.pk,
            "correction": correction.pk, "import_job": import_job.pk, "export_job": export_job.pk, "notification": notification.pk,
            "token": user.api_tokens.get().pk, "role": RoleAssignment.objects.get(user=user).pk, "names": names,
        }

    a = side(people.secretary_a, tree.branch_a, post_a, members.a1, tree.branch_a, ["新村第一党支部", "C0401", "张三"])
    b = side(people.secretary_b, tree.branch_b, post_b, members.b1, tree.branch_b, ["新村第二党支部", "C0402", "王五"])
    da = side(people.dept_a, tree.district_a, post_a, members.a1, tree.town, ["中共常州市武进区委员会", "C0101", "湖塘镇", "张三"])
    db_ = side(dept_b, tree.b_branch, post_other, members.other, tree.district_b, ["天宁区某社区党支部", "C0601", "赵六"])
    pairs = [(a, b), (b, a), (da, db_), (db_, da)]
    # The roles of the new parts, each held on branch A, against the same records of branch B.
    for role in NEW_PART_ROLES:
        holder = make_user(f"{role}_a", role, tree.branch_a)
        account_services.create_token(holder, role)
        pairs.append((side(holder, tree.branch_a, post_a, members.a1, tree.branch_a, a["names"]), b))
    return pairs


def fill(route, values):
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)


def test_every_url_is_classified():
    names = {name for name, _ in walk()}
    assert names == set(WEB_OBJECT) | WEB_LISTS | WEB_PUBLIC | WEB_ADMIN_ONLY, "classify new URLs in WEB_OBJECT, WEB_LISTS or WEB_PUBLIC"


def test_admin_only_pages_refuse_everyone_else(client, people):
    for user in (people.city_dept, people.secretary_a, people.member_a):
        client.force_login(user)
        for url in ("/jobs/", "/jobs/dues.open_month/"):
            assert client.get(url).status_code == 403, (user, url)
        assert client.post("/jobs/dues.open_month/run/").status_code == 403
    client.force_login(people.admin)
    assert client.get("/jobs/").status_code == 200


WALK_PARTS = 4  # the pages are walked in four parts, so that the test workers share the longest walk


@pytest.mark.parametrize("part", range(WALK_PARTS))
def test_web_pages_do_not_cross_siblings(client, sides, part):
    from django.urls import reverse

    for me, other in sides:
        client.force_login(me["user"])
        for name, pattern in walk():
            if zlib.crc32(name.encode()) % WALK_PARTS != part:
                continue
            ints = [p for p, c in pattern.pattern.converters.items() if isinstance(c, IntConverter)]  # pk, org_pk
            if name in WEB_OBJECT and ints:
                url = reverse(name, kwargs={ints[0]: other[WEB_OBJECT[name]], **WEB_KWARGS.get(name, {})})
                for method in ("get", "post"):
                    response = getattr(client, method)(url)
                    assert response.status_code in (403, 404, 405), f"{me['user']} {method} {url}: {response.status_code}"
                    if response.status_code == 405:
                        continue
                    assert response.status_code == 404 or name.startswith("accounts:"), f"{url} should be 404"
            elif name in WEB_LISTS and not ints and name not in ("accounts:logout", "accounts:login"):
                response = client.get(reverse(name), {"q": other["names"][0]})
                if response.status_code == 200:
                    q = other["names"][0]
                    html = response_text(response).replace(f'value="{q}"', "").replace(f"“{q}”", "")
                    for text in other["names"]:
                        assert text not in html, f"{me['user']} sees {text} on {name}"


def openapi_operations():
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method in methods:
            yield method, path


def test_every_api_write_has_a_body():
    writes = {(m, p) for m, p in openapi_operations() if m != "get"}
    assert writes == set(API_BODY), "add a valid body for new write routes to API_BODY"


def test_api_does_not_cross_siblings(client, sides):
    from grassroots.accounts.services import create_token

    for me, other in sides:
        _t, raw = create_token(me["user"], "walk")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        for method, path in openapi_operations():
            if (method, path) in API_PUBLIC:
                continue
            params = re.findall(r"{(\w+)}", path)
            url = re.sub(r"{(\w+)}", lambda m, other=other: str(other[API_PARAM[m.group(1)]]), path)
            if method == "get":
                response = client.get(url, {"q": other["names"][0]} if not params else {}, **headers)
                if params:
                    assert response.status_code in (403, 404), f"{me['user']} GET {url}: {response.status_code}"
                else:
                    assert response.status_code in (200, 403), f"GET {url}: {response.status_code}"
                    body = response_text(response).replace(f"“{other['names'][0]}”", "")  # the user's own search words, quoted
                    for text in other["names"]:
                        assert text not in body, f"{me['user']} sees {text} via {url}"
            else:
                body = API_BODY[(method, path)](other)
                if (method, path) in API_OWN_WRITES:
                    Notification.objects.filter(pk=other["notification"]).update(read_at=None)
                if any(hasattr(v, "read") for v in body.values()):  # a file upload: multipart/form-data
                    response = getattr(client, method)(url, body, **headers)
                else:
                    response = getattr(client, method)(url, json.dumps(body), content_type="application/json", **headers)
                if (method, path) in API_OWN_WRITES:
                    assert response.status_code == 200, f"{me['user']} {method} {url}: {response.status_code}"
                    assert Notification.objects.get(pk=other["notification"]).read_at is None, f"{me['user']} {url} reached the other side"
                    continue
                assert response.status_code in (403, 404, 422), f"{me['user']} {method} {url}: {response.status_code} {response.content[:200]}"
                if response.status_code == 422:  # refused for the other side's ids in the body, never for a malformed body
                    assert "不在您的管理范围内" in response.content.decode() or "找不到" in response.content.decode(), response.content


def test_admin_site_is_for_system_administrators_only(client, people):
    client.force_login(people.city_dept)
    assert client.get("/admin/").status_code == 302
    people.admin.is_staff = True
    people.admin.save()
    client.force_login(people.admin)
    assert client.get("/admin/").status_code == 200
