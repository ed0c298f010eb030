"""A ballot sent twice at once by the same person counts once: the voter's row is locked while casting.
Needs real row locks and separate connections: PostgreSQL (DATABASE_URL); skipped on the in-memory SQLite."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from grassroots.ballots import services
from grassroots.ballots.models import Ballot, Mark, Voter
from grassroots.conftest import make_user

from .factories import new_round

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
SENDS = 6


def _race(cast):
    barrier = threading.Barrier(SENDS)
    ok, refused, errors = [], [], []

    def worker():
        try:
            barrier.wait()
            cast()
            ok.append(1)
        except ValidationError as exc:
            refused.append(exc)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(SENDS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return ok, refused, errors


@pytest.mark.django_db(transaction=True)
def test_a_double_cast_counts_once(tree):
    secretary = make_user("vs", "secretary", tree.village)
    voter = make_user("rep", "representative", tree.village)
    round = new_round(secretary, tree.village)
    tokens = services.add_voters(secretary, round, "representative", users=[voter], tokens=1)
    services.open_round(secretary, round)
    choices = {"zhang": "good", "li": "poor"}

    ok, refused, errors = _race(lambda: services.cast(round, choices, user=voter))
    assert errors == [] and len(ok) == 1 and len(refused) == SENDS - 1
    assert all("已投过票" in " ".join(e.messages) for e in refused)

    ok, refused, errors = _race(lambda: services.cast(round, choices, token=tokens[0]))
    assert errors == [] and len(ok) == 1 and len(refused) == SENDS - 1

    assert Ballot.objects.filter(round=round).count() == 2
    assert Mark.objects.filter(round=round).count() == 4
    assert Voter.objects.filter(round=round, voted_at__isnull=False).count() == 2
