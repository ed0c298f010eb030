"""List pages and list endpoints use a fixed number of queries, however many rows they show."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.accounts import services as account_services
from grassroots.conftest import make_member, make_org, make_user
from grassroots.core.roles import Role
from grassroots.orgs import services as org_services
from grassroots.orgs import summaries
from grassroots.orgs.choices import Kind

pytestmark = pytest.mark.django_db


def grow(tree, people, n):
    """Add n branches (each with a member, a post, a group) under the village, and n accounts."""
    for i in range(n):
        branch = make_org(people.admin, tree.village, f"新村增设第{i}党支部", f"G{n}{i:03d}", short_name=f"增{i}")
        make_org(people.admin, branch, f"增设第{i}党小组", f"H{n}{i:03d}", Kind.GROUP)
        member = make_member(branch, f"增员{i}")
        org_services.appoint_post(people.admin, branch, title="secretary", holder=member, started_on=datetime.date(2024, 1, 1))
        org_services.appoint_post(people.admin, tree.village, title="committee_member", holder=member, started_on=datetime.date(2024, 1, 1))
        make_user(f"u{n}_{i}", Role.SECRETARY, branch)


def count(client, url, params=None, **headers):
    """Queries of one request in the steady state: the kept summary figures brought up to date first, as the
    worker does every minute (grassroots/orgs/summaries.py; a stale read is counted in members/tests/test_rollups.py)."""
    summaries.refresh()
    client.get(url, params or {}, **headers)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {}, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


PAGES = [
    ("/", None),
    ("/orgs/", None),
    ("/orgs/{village}/children/", None),
    ("/orgs/{village}/", None),
    ("/orglife/attendance/{village}/", None),
    ("/orgs/search/", {"q": "新村"}),
    ("/audit/", None),
    ("/accounts/users/", None),
    ("/accounts/tokens/", None),
    ("/api/v1/orgs/", {"page_size": 200}),
    ("/api/v1/orgs/", {"q": "新村", "page_size": 200}),
    ("/api/v1/orgs/{village}/children", None),
    ("/api/v1/orgs/{village}/posts", None),
    ("/api/v1/accounts/users", {"page_size": 200}),
    ("/api/v1/audit", {"page_size": 200}),
    ("/api/v1/dashboard", None),
    ("/notifications/", None),
    ("/api/v1/notifications", {"page_size": 200}),
]


@pytest.mark.parametrize("url, params", PAGES)
def test_query_count_does_not_grow_with_rows(client, tree, people, members, url, params):
    url = url.format(village=tree.village.pk)
    client.force_login(people.city_dept)
    account_services.create_token(people.city_dept, "一")
    grow(tree, people, 2)
    small = count(client, url, params)
    grow(tree, people, 12)
    account_services.create_token(people.city_dept, "二")
    large = count(client, url, params)
    assert large == small, f"{url}: {small} queries with few rows, {large} with many"
