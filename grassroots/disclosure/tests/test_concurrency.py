"""Concurrent publishes to one village cannot fork its chain: the chain head row is locked while appending.
Needs real row locks and separate connections: PostgreSQL (DATABASE_URL); skipped on the in-memory SQLite."""

import threading

import pytest
from django.db import connection, connections

from grassroots.disclosure import services
from grassroots.disclosure.models import Disclosure

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_parallel_publishes_form_one_chain(tree, people):
    services.publish_disclosure(people.secretary_a, tree.branch_a, category="village", title="第一条", body="x")
    barrier = threading.Barrier(4)
    errors = []

    def worker(n):
        try:
            barrier.wait()
            services.publish_disclosure(people.secretary_a, tree.branch_a, category="village", title=f"并发{n}", body="x")
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    items = list(Disclosure.objects.filter(org=tree.branch_a).order_by("seq"))
    assert [d.seq for d in items] == [1, 2, 3, 4, 5]
    assert all(b.prev_hash == a.hash for a, b in zip(items, items[1:], strict=False))
    assert services.verify_org_chain(tree.branch_a) is None
