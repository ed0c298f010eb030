"""The scoping walk of grassroots/core/tests/test_scoping_walk.py restricted to this app's pages and API routes, so
the app can be checked while other apps are still classifying theirs."""

import json
import re

import pytest
from django.urls import reverse
from django.urls.converters import IntConverter

from grassroots.core.tests.test_scoping_walk import (  # noqa: F401 (sides is a fixture)
    API_PARAM,
    WEB_LISTS,
    WEB_OBJECT,
    openapi_operations,
    response_text,
    sides,
    walk,
)
from grassroots.leaders.tests import walk as leaders_walk

pytestmark = pytest.mark.django_db


def test_leaders_urls_and_api_writes_are_classified():
    names = {name for name, _ in walk() if name.startswith("leaders:")}
    assert names == set(leaders_walk.WEB_OBJECT) | leaders_walk.WEB_LISTS
    writes = {(m, p) for m, p in openapi_operations() if m != "get" and p.startswith("/api/v1/leaders")}
    assert writes == set(leaders_walk.API_BODY)


def test_leaders_pages_and_api_do_not_cross_siblings(client, sides):  # noqa: F811
    from grassroots.accounts.services import create_token

    for me, other in sides:
        client.force_login(me["user"])
        for name, pattern in walk():
            if not name.startswith("leaders:"):
                continue
            ints = [p for p, c in pattern.pattern.converters.items() if isinstance(c, IntConverter)]
            if name in WEB_OBJECT and ints:
                url = reverse(name, kwargs={ints[0]: other[WEB_OBJECT[name]]})
                for method in ("get", "post"):
                    status = getattr(client, method)(url).status_code
                    assert status in (404, 405), f"{me['user']} {method} {url}: {status}"
            elif name in WEB_LISTS:
                response = client.get(reverse(name), {"q": other["names"][0]})
                if response.status_code == 200:
                    q = other["names"][0]
                    html = response_text(response).replace(f'value="{q}"', "")
                    for text in other["names"]:
                        assert text not in html, f"{me['user']} sees {text} on {name}"
        _t, raw = create_token(me["user"], "walk")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        for method, path in openapi_operations():
            if not path.startswith("/api/v1/leaders"):
                continue
            params = re.findall(r"{(\w+)}", path)
            url = re.sub(r"{(\w+)}", lambda m, other=other: str(other[API_PARAM[m.group(1)]]), path)
            if method == "get":
                response = client.get(url, {"q": other["names"][0]} if not params else {}, **headers)
                assert response.status_code in ((403, 404) if params else (200, 403)), f"GET {url}: {response.status_code}"
                if not params:
                    for text in other["names"]:
                        assert text not in response.content.decode(), f"{me['user']} sees {text} via {url}"
            else:
                body = leaders_walk.API_BODY[(method, path)](other)
                response = getattr(client, method)(url, json.dumps(body), content_type="application/json", **headers)
                assert response.status_code in (403, 404, 422), f"{me['user']} {method} {url}: {response.status_code}"
                if response.status_code == 422:
                    assert "不在您的管理范围内" in response.content.decode(), response.content.decode()
