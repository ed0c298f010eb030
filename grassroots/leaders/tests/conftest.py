import datetime
from types import SimpleNamespace

import pytest

from grassroots.conftest import make_member
from grassroots.leaders import services
from grassroots.members.choices import Gender


@pytest.fixture
def village_people(tree, members):
    """Six full members of the village (the committee's candidates) besides the fixture's."""
    names = ["陈一", "林二", "周三", "吴四", "郑五", "孙六"]
    return [make_member(tree.branch_a, n, gender=Gender.FEMALE if i % 2 else Gender.MALE, birth_date=datetime.date(1975 + i * 3, 3, 1),
                        education="bachelor" if i < 3 else "high_school") for i, n in enumerate(names)]


def run_to_vote(actor, tree, people_list, *, voters=10, hits=False):
    """An election of tree.village taken through plan, vetting and nomination to the vote; returns (election, cands)."""
    plan = services.create_plan(actor, tree.district_a, title="2026年村（社区）“两委”换届方案", year=2026,
                                starts_on=datetime.date(2026, 9, 1), ends_on=datetime.date(2026, 12, 31))
    election = services.create_election(actor, tree.village, plan=plan, party_seats=3, villagers_seats=3, vote_on=datetime.date(2026, 11, 20))
    # 一肩挑: people_list[0] stands as secretary and as director
    plan_rows = [("party", "secretary", 0), ("party", "committee_member", 1), ("party", "committee_member", 2),
                 ("villagers", "director", 0), ("villagers", "villagers_member", 3), ("villagers", "villagers_member", 4)]
    cands = []
    for body, seat, i in plan_rows:
        m = people_list[i]
        cands.append(services.add_candidate(actor, election, body=body, seat=seat, name=m.name, gender=m.gender,
                                            birth_date=m.birth_date, education=m.education, member=m))
    services.advance(actor, election)
    for c in cands:
        for body, _label in services.rules.vetting_bodies():
            services.sign_off(actor, c, body=body, result="pass")
    services.advance(actor, election)
    for c in cands:
        services.nominate(actor, c)
    services.add_voters(actor, election, [f"ID{i:04d}" for i in range(voters)])
    services.advance(actor, election)
    election.refresh_from_db()
    return election, cands


@pytest.fixture
def ns():
    return SimpleNamespace()
