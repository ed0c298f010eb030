"""The scoping walk restricted to this app's pages and API routes (the shared walk runs them too; this one runs
while the other apps are being built)."""

import json
import re

import pytest
from django.urls import reverse
from django.urls.converters import IntConverter

from grassroots.core import scoping
from grassroots.core.tests import test_scoping_walk as shared
from grassroots.core.tests.test_scoping_walk import sides

pytestmark = pytest.mark.django_db
__all__ = ["sides"]


def test_pages_do_not_cross_siblings(client, sides):  # noqa: F811
    for me, other in sides:
        client.force_login(me["user"])
        for name, pattern in shared.walk():
            if not name.startswith("development:"):
                continue
            ints = [p for p, c in pattern.pattern.converters.items() if isinstance(c, IntConverter)]
            if name in shared.WEB_OBJECT:
                kwargs = shared.WEB_KWARGS.get(name, {})
                url = reverse(name, kwargs={ints[0]: other[shared.WEB_OBJECT[name]], **kwargs})
                for method in ("get", "post"):
                    assert getattr(client, method)(url).status_code in (404, 405), f"{me['user']} {method} {url}"
                assert client.post(url).status_code == 404
                own = reverse(name, kwargs={ints[0]: me[shared.WEB_OBJECT[name]], **kwargs})
                # the walk's attachment rows have no file behind them; the new parts' roles read no development records
                if name != "development:attachment" and scoping.reads_records(me["user"]):
                    assert client.get(own).status_code in (200, 302, 403, 405), f"{me['user']} GET {own}"
            else:
                assert name in shared.WEB_LISTS
                response = client.get(reverse(name), {"q": other["names"][0]})
                assert response.status_code == 200
                html = shared.response_text(response).replace(f'value="{other["names"][0]}"', "")
                for text in [*other["names"], f"{other['names'][-1]}的申请人"]:
                    assert text not in html, f"{me['user']} sees {text} on {name}"


def test_api_does_not_cross_siblings(client, sides):  # noqa: F811
    from grassroots.accounts.services import create_token

    for me, other in sides:
        _t, raw = create_token(me["user"], "walk")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        for method, path in shared.openapi_operations():
            if not path.startswith("/api/v1/development/"):
                continue
            url = re.sub(r"{(\w+)}", lambda m, other=other: str(other[shared.API_PARAM[m.group(1)]]), path)
            if method == "get":
                response = client.get(url, **headers)
                if "{" in path:
                    assert response.status_code in (403, 404), f"{me['user']} GET {url}"
                else:
                    assert f"{other['names'][-1]}的申请人" not in response.content.decode()
            else:
                body = json.dumps(shared.API_BODY[(method, path)](other))
                response = getattr(client, method)(url, body, content_type="application/json", **headers)
                assert response.status_code in (403, 404, 422), f"{me['user']} {method} {url}: {response.status_code}"
                if response.status_code == 422:
                    assert "不在您的管理范围内" in response.content.decode() or "找不到" in response.content.decode()
