"""Full ID numbers and phones never leave the server except through the audited reveal: walk every page
and API response of the registry as each role and look for them."""

import datetime
import json

import pytest
from django.urls import reverse

from grassroots.accounts import services as account_services
from grassroots.core import crypto
from grassroots.core.models import AuditLog
from grassroots.members import services
from grassroots.members.tests import test_views
from grassroots.members.tests.test_views import id_number
from grassroots.orgs import services as org_services

pytestmark = pytest.mark.django_db
registry = test_views.registry


@pytest.fixture
def secrets(registry, people, tree):
    """Every member with an ID number and a phone, a post, a pending correction of each kind of personal
    data, and one reveal already in the audit log."""
    values = {registry.chen.pk: (registry.chen_id, "13912345678"), registry.liu.pk: (registry.liu_id, "13700001111")}
    others = [(registry.a1, datetime.date(1980, 1, 1), False), (registry.a2, datetime.date(2000, 5, 1), True),
              (registry.b1, datetime.date(1980, 1, 1), True), (registry.other, datetime.date(1980, 1, 1), True)]
    for n, (member, birth, male) in enumerate(others):
        number, phone = id_number(birth, seq=10 + n, male=male), f"1580000{n:04d}"
        actor = people.admin
        services.update_member(actor, member, {"id_number": number, "phone": phone})
        values[member.pk] = (number, phone)
    org_services.appoint_post(people.secretary_a, tree.branch_a, title="secretary", holder=registry.chen, started_on=datetime.date(2024, 1, 1))
    new_id = id_number(datetime.date(1980, 1, 1), seq=30, male=False)
    services.request_correction(people.member_a, registry.a1, "id_number", new_id, "换证")
    services.request_correction(people.member_a, registry.a1, "phone", "18911112222", "换号")
    services.reveal(people.secretary_a, registry.chen, "id_number")
    full = [v for pair in values.values() for v in pair] + [new_id, "18911112222"]
    masked = {pk: (crypto.mask_id_number(i), crypto.mask_phone(p)) for pk, (i, p) in values.items()}
    return {"full": full, "masked": masked, "values": values}


def assert_clean(text, full, where):
    for value in full:
        assert value not in text, f"{value} in {where}"
        assert value.lower() not in text, f"{value} in {where}"


def pages(registry, tree, user, people):
    urls = [
        reverse("members:list"),
        reverse("members:list") + "?state=all&sort=joined_on",
        reverse("members:list") + "?q=zs",
        reverse("members:me"),
        reverse("dashboard:home"),
        reverse("orgs:detail", args=[tree.branch_a.pk]),
    ]
    for m in (registry.chen, registry.a1, registry.a2, registry.b1, registry.liu, registry.other):
        urls += [reverse("members:detail", args=[m.pk]), reverse("members:edit", args=[m.pk])]
    if user in (people.secretary_a, people.dept_a):
        urls += [reverse("members:corrections"), reverse("members:corrections") + "?state=all", reverse("core:audit_log")]
        urls += [reverse("members:correction_decide", args=[r.pk]) for r in registry.a1.correction_requests.all()]
    return urls


@pytest.mark.parametrize("who", ["supervisor", "secretary_a", "dept_a", "member_a", "secretary_b"])
def test_pages_never_show_full_personal_data(client, registry, people, tree, secrets, who):
    user = getattr(people, who)
    client.force_login(user)
    seen_masked = 0
    for url in pages(registry, tree, user, people):
        response = client.get(url, follow=True)
        if response.status_code != 200:
            assert response.status_code in (403, 404), (url, response.status_code)
            continue
        html = response.content.decode()
        assert_clean(html, secrets["full"], f"{url} as {who}")
        seen_masked += sum(masked[0] in html for masked in secrets["masked"].values())
    assert seen_masked > 0, f"{who} saw no masked ID number at all"


def test_search_by_full_number_shows_it_masked(client, registry, people, secrets):
    client.force_login(people.supervisor)
    number = registry.chen_id
    response = client.get(reverse("members:list"), {"q": number})
    html = response.content.decode().replace(number, "")  # the search text itself comes back in the form and URLs
    assert [m.name for m in response.context["page"]] == ["陈小明"]
    assert_clean(html, secrets["full"], "search by ID")
    assert secrets["masked"][registry.chen.pk][0] in html


@pytest.mark.parametrize("who", ["supervisor", "secretary_a", "dept_a", "member_a"])
def test_api_never_returns_full_personal_data(client, registry, people, secrets, who):
    user = getattr(people, who)
    _t, raw = account_services.create_token(user, "walk")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    paths = ["/api/v1/members/?page_size=200", "/api/v1/members/?state=all&page_size=200", "/api/v1/members/me",
             "/api/v1/members/corrections?state=all", "/api/v1/audit?page_size=200", "/api/v1/dashboard"]
    for m in (registry.chen, registry.a1, registry.a2, registry.b1, registry.liu, registry.other):
        paths += [f"/api/v1/members/{m.pk}", f"/api/v1/members/{m.pk}/events"]
    masked_seen = 0
    for path in paths:
        response = client.get(path, **headers)
        body = response.content.decode()
        assert_clean(body, secrets["full"], f"{path} as {who}")
        if response.status_code == 200 and path.startswith("/api/v1/members/"):
            masked_seen += sum(m[0] in body for m in secrets["masked"].values())
    assert masked_seen > 0


def test_audit_rows_keep_only_masked_values(registry, people, secrets):
    for entry in AuditLog.objects.all():
        assert_clean(json.dumps([entry.before, entry.after, entry.note, entry.object_repr], ensure_ascii=False), secrets["full"], entry)


def test_reveal_is_the_only_way_and_is_audited(client, registry, people, secrets):
    client.force_login(people.secretary_a)
    before = AuditLog.objects.filter(action="reveal").count()
    number, phone = secrets["values"][registry.a1.pk]
    response = client.post(reverse("members:reveal", args=[registry.a1.pk, "phone"]), HTTP_HX_REQUEST="true")
    assert phone in response.content.decode() and number not in response.content.decode()
    assert AuditLog.objects.filter(action="reveal").count() == before + 1
    # The reveal is not remembered: the next page view is masked again.
    assert phone not in client.get(reverse("members:detail", args=[registry.a1.pk])).content.decode()
