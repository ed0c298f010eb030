"""The scoping walk (grassroots/core/tests/test_scoping_walk.py) for the two engines' pages and API routes
only, with its own two sides, so the engines are checked on their own while the other apps are being built
(the shared walk imports every app's walk module)."""

import json
import re
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from grassroots.accounts import services as account_services
from grassroots.api import api
from grassroots.ballots.tests import walk as ballots_walk
from grassroots.conftest import make_user
from grassroots.core.roles import NEW_PART_ROLES, Role
from grassroots.tracking.tests import walk as tracking_walk

pytestmark = pytest.mark.django_db
ENGINES = ("tracking:", "ballots:", "portal_ballots:")
API_ENGINES = ("/api/v1/tracking/", "/api/v1/ballots/")
WALKS = (tracking_walk, ballots_walk)
w = SimpleNamespace(
    WEB_OBJECT={k: v for m in WALKS for k, v in m.WEB_OBJECT.items()}, WEB_LISTS=set().union(*(m.WEB_LISTS for m in WALKS)),
    WEB_PUBLIC=set().union(*(m.WEB_PUBLIC for m in WALKS)), API_PARAM={k: v for m in WALKS for k, v in m.API_PARAM.items()},
    API_BODY={k: v for m in WALKS for k, v in m.API_BODY.items()},
)


def _walk(resolver=None, namespace=""):
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            if ns not in ("admin", "api"):
                yield from _walk(p, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p


def _operations():
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method in methods:
            yield method, path


def _text(response):
    if not response.streaming:
        return response.content.decode()
    import io

    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    return "\n".join(str(c) for n in book.sheet_names for row in book.get_sheet_by_name(n).to_python() for c in row)


w.walk, w.openapi_operations, w.response_text = _walk, _operations, _text


@pytest.fixture
def sides(tree, people, members):
    """Branch secretaries A/B and district departments 武进/天宁, each with its records; each new role held on A."""
    dept_b = make_user("tianning_zzb", Role.ORG_DEPT, tree.district_b)
    owned = {}
    for branch, member, user in ((tree.branch_a, members.a1, people.secretary_a), (tree.branch_b, members.b1, people.secretary_b),
                                 (tree.b_branch, members.other, dept_b)):
        owned[branch.pk] = {k: v for m in WALKS for k, v in m.objects(branch, member, user).items()}

    def side(user, branch, member, names):
        return {**owned[branch.pk], "user": user, "member": member.pk, "names": names}

    a = side(people.secretary_a, tree.branch_a, members.a1, ["新村第一党支部", "C0401", "张三"])
    b = side(people.secretary_b, tree.branch_b, members.b1, ["新村第二党支部", "C0402", "王五"])
    da = side(people.dept_a, tree.branch_a, members.a1, ["新村第一党支部", "张三"])
    db_ = side(dept_b, tree.b_branch, members.other, ["天宁区某社区党支部", "C0601", "赵六"])
    pairs = [(a, b), (b, a), (da, db_), (db_, da)]
    for role in NEW_PART_ROLES:
        pairs.append(({**a, "user": make_user(f"{role}_a", role, tree.branch_a)}, b))
    account_services.create_token(people.secretary_a, "A")
    return pairs


def test_engine_urls_and_writes_are_classified():
    names = {name for name, _ in w.walk() if name.startswith(ENGINES)}
    assert names and names <= set(w.WEB_OBJECT) | w.WEB_LISTS | w.WEB_PUBLIC
    writes = {(m, p) for m, p in w.openapi_operations() if m != "get" and p.startswith(API_ENGINES)}
    assert writes and writes <= set(w.API_BODY)


def test_engine_pages_do_not_cross_siblings(client, sides):  # noqa: F811
    checked = 0
    for me, other in sides:
        client.force_login(me["user"])
        for name, pattern in w.walk():
            if not name.startswith(ENGINES):
                continue
            ints = [p for p, c in pattern.pattern.converters.items() if isinstance(c, IntConverter)]
            if name in w.WEB_OBJECT and ints:
                url = reverse(name, kwargs={ints[0]: other[w.WEB_OBJECT[name]]})
                for method in ("get", "post"):
                    response = getattr(client, method)(url)
                    assert response.status_code in (404, 405), f"{me['user']} {method} {url}: {response.status_code}"
                    checked += 1
            elif name in w.WEB_LISTS:
                response = client.get(reverse(name), {"q": other["names"][0]})
                if response.status_code == 200:
                    html = w.response_text(response).replace(f'value="{other["names"][0]}"', "")
                    for text in other["names"]:
                        assert text not in html, f"{me['user']} sees {text} on {name}"
    assert checked


def test_engine_api_does_not_cross_siblings(client, sides):  # noqa: F811
    from grassroots.accounts.services import create_token

    for me, other in sides:
        _t, raw = create_token(me["user"], "walk")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        for method, path in w.openapi_operations():
            if not path.startswith(API_ENGINES):
                continue
            params = re.findall(r"{(\w+)}", path)
            url = re.sub(r"{(\w+)}", lambda m, other=other: str(other[w.API_PARAM[m.group(1)]]), path)
            if method == "get":
                response = client.get(url, **headers)
                if params:
                    assert response.status_code in (403, 404), f"{me['user']} GET {url}: {response.status_code}"
                else:
                    assert response.status_code in (200, 403), f"GET {url}: {response.status_code}"
                    for text in other["names"]:
                        assert text not in response.content.decode(), f"{me['user']} sees {text} via {url}"
            else:
                body = w.API_BODY[(method, path)](other)
                response = getattr(client, method)(url, json.dumps(body), content_type="application/json", **headers)
                assert response.status_code in (403, 404), f"{me['user']} {method} {url}: {response.status_code} {response.content[:200]}"


def test_own_side_reaches_its_records(client, sides):  # noqa: F811
    """The walk would pass vacuously if nobody could open the pages: the owner can."""
    me, _other = sides[0]
    client.force_login(me["user"])
    assert client.get(reverse("tracking:list", args=[me["tracking_list"]])).status_code == 200
    assert client.get(reverse("tracking:task", args=[me["tracking_task"]])).status_code == 200
    assert client.get(reverse("ballots:round", args=[me["ballot_round"]])).status_code == 200
    assert client.get(reverse("ballots:vote", args=[me["ballot_round"]])).status_code == 200
    page = client.get(reverse("tracking:overdue")).content.decode()
    assert me["names"][0] in page
