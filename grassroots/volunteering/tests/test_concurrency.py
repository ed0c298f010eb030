"""Simultaneous claims on PostgreSQL: threads with their own connections claim the same slot at once."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from grassroots.conftest import make_member, make_user
from grassroots.core.roles import Role
from grassroots.volunteering import services
from grassroots.volunteering.models import Claim, Slot

from .factories import community_setup, confirmed, post_with_slot


@pytest.mark.django_db(transaction=True)
def test_simultaneous_claims_never_overbook(tree, people, members):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent updates need PostgreSQL (DATABASE_URL=postgres://...)")
    s = community_setup(tree, people, members)
    _post, slot = post_with_slot(s, capacity=3)
    crowd = []
    for i in range(8):
        user = make_user(f"crowd{i}", Role.MEMBER, tree.branch_a)
        member = make_member(tree.branch_a, f"抢{i}", user=user)
        confirmed(s, people, member, user=user)
        crowd.append(member)
    barrier = threading.Barrier(len(crowd))
    outcomes = []

    def claim(member):
        try:
            barrier.wait()
            services.claim_slot(member.user, member, slot)
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(m,)) for m in crowd]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 3, outcomes
    assert outcomes.count("该时段已满员") == 5
    assert Slot.objects.get(pk=slot.pk).taken == 3
    assert Claim.objects.filter(slot=slot, state="active").count() == 3


@pytest.mark.django_db(transaction=True)
def test_one_member_two_clashing_claims_at_once(tree, people, members):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    s = community_setup(tree, people, members)
    confirmed(s, people, members.a1)
    _p1, first = post_with_slot(s, capacity=5)
    _p2, second = post_with_slot(s, capacity=5, start_in_hours=73)
    barrier = threading.Barrier(2)
    outcomes = []

    def claim(slot):
        try:
            barrier.wait()
            services.claim_slot(people.member_a, members.a1, slot)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(x,)) for x in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
