"""Every quorum and majority rule at its boundary values, and the step order (every skip and reorder refused)."""

import itertools
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots.decisions import rules
from grassroots.decisions.choices import StepKind as K


@pytest.mark.parametrize(
    "registered, present, votes_for, quorum, passed",
    [
        (15, 10, 6, True, True),  # 3*10 >= 2*15: proceeds; 6 > 10/2: passes
        (15, 10, 5, True, False),  # exactly half of those present: not more than half
        (15, 9, 9, False, False),  # 27 < 30: cannot proceed, however many agree
        (15, 15, 8, True, True),
        (15, 15, 7, True, False),
        (3, 2, 2, True, True),  # 6 >= 6
        (3, 1, 1, False, False),
        (16, 11, 6, True, True),  # 33 >= 32
        (16, 10, 10, False, False),  # 30 < 32
        (10, 7, 4, True, True),  # 21 >= 20; 8 > 7
        (10, 6, 6, False, False),
        (10, 7, 3, True, False),
    ],
)
def test_representatives_meeting(registered, present, votes_for, quorum, passed):
    out = rules.representatives_meeting(registered, present, votes_for)
    assert (out.quorum, out.passed) == (quorum, passed)
    assert out.reason


@pytest.mark.parametrize(
    "adults, households, present, households_present, votes_for, quorum, passed",
    [
        (1000, 300, 501, 0, 251, True, True),  # more than half of the adults
        (1000, 300, 500, 0, 500, False, False),  # exactly half: not enough, and no households
        (1000, 300, 500, 200, 251, True, True),  # two thirds of the households (3*200 >= 2*300)
        (1000, 300, 500, 199, 500, False, False),  # 597 < 600
        (1000, 300, 500, 200, 250, True, False),  # exactly half of those present
        (1000, 300, 501, 0, 250, True, False),
        (999, 0, 500, 0, 251, True, True),  # 1000 > 999
        (999, 0, 499, 0, 499, False, False),
        (10, 3, 3, 2, 2, True, True),  # 6 >= 6 households
    ],
)
def test_villagers_meeting(adults, households, present, households_present, votes_for, quorum, passed):
    out = rules.villagers_meeting(adults, households, present, households_present, votes_for)
    assert (out.quorum, out.passed) == (quorum, passed)


@pytest.mark.parametrize(
    "entitled, present, votes_for, quorum, passed",
    [
        # National default (支部工作条例): more than half present; for more than half of those entitled.
        (40, 21, 21, True, True),
        (40, 20, 20, False, False),  # exactly half present
        (40, 30, 20, True, False),  # 20 is not more than half of 40, although it is of 30
        (40, 30, 21, True, True),
        (41, 21, 21, True, True),
        (41, 20, 20, False, False),
        (1, 1, 1, True, True),
        (1, 0, 0, False, False),
    ],
)
def test_member_assembly_national_default(entitled, present, votes_for, quorum, passed):
    out = rules.member_assembly(entitled, present, votes_for, quorum="half", base="entitled")
    assert (out.quorum, out.passed) == (quorum, passed)


@pytest.mark.parametrize(
    "entitled, present, votes_for, quorum, passed",
    [
        # Local practice: two thirds present, more than half of those present.
        (30, 20, 11, True, True),  # 60 >= 60
        (30, 19, 19, False, False),  # 57 < 60
        (30, 20, 10, True, False),
        (31, 21, 11, True, True),  # 63 >= 62
        (31, 20, 20, False, False),  # 60 < 62
    ],
)
def test_member_assembly_local_two_thirds(entitled, present, votes_for, quorum, passed):
    out = rules.member_assembly(entitled, present, votes_for, quorum="two_thirds", base="present")
    assert (out.quorum, out.passed) == (quorum, passed)


def test_member_assembly_follows_settings(settings):
    assert rules.member_assembly(30, 20, 11).passed is False  # national: 11 is not more than half of 30
    settings.GRASSROOTS_DECISIONS_ASSEMBLY_QUORUM = "two_thirds"
    settings.GRASSROOTS_DECISIONS_ASSEMBLY_MAJORITY = "present"
    assert rules.member_assembly(30, 20, 11).passed is True
    assert rules.member_assembly(30, 19, 19).quorum is False


@pytest.mark.parametrize(
    "present, f, a, ab, ok",
    [(10, 6, 2, 2, True), (10, 6, 3, 2, False), (10, 10, 0, 0, True), (0, 0, 0, 0, True), (10, -1, 0, 0, False)],
)
def test_votes_cannot_exceed_present(present, f, a, ab, ok):
    assert (rules.votes_error(present, f, a, ab) == "") is ok


def test_integer_two_thirds_never_floats():
    for total in range(1, 200):
        for part in range(total + 1):
            assert rules.at_least_two_thirds(part, total) == (part * 3 >= total * 2)
            assert rules.more_than_half(part, total) == (part * 2 > total)
            # The same against exact fractions (the lines above only restate the implementation).
            assert rules.at_least_two_thirds(part, total) == (Fraction(part, total) >= Fraction(2, 3))
            assert rules.more_than_half(part, total) == (Fraction(part, total) > Fraction(1, 2))
    assert rules.at_least_two_thirds(10, 15) and not rules.at_least_two_thirds(9, 15)
    assert rules.more_than_half(6, 10) and not rules.more_than_half(5, 10) and rules.more_than_half(5, 9)


VILLAGE = [K.PROPOSAL, K.CONSULTATION, K.REVIEW, K.RESOLUTION, K.RESOLUTION_DISCLOSURE]


def test_step_order_walks_the_village_set():
    done = []
    expected = [*VILLAGE, K.PROGRESS_DISCLOSURE]
    for kind in expected:
        assert rules.allowed_next(done, rules.VILLAGE) == [kind]
        done.append(kind)
    assert rules.allowed_next(done, rules.VILLAGE) == [K.PROGRESS_DISCLOSURE, K.RESULT_DISCLOSURE]
    done.append(K.PROGRESS_DISCLOSURE)
    assert rules.allowed_next(done, rules.VILLAGE) == [K.PROGRESS_DISCLOSURE, K.RESULT_DISCLOSURE]
    done.append(K.RESULT_DISCLOSURE)
    assert rules.allowed_next(done, rules.VILLAGE) == []


@pytest.mark.parametrize("step_set", [rules.VILLAGE, rules.COMMUNITY, rules.COMMUNITY_HEARING])
def test_every_skip_is_refused(step_set):
    """At every point of the sequence, only the next step is allowed: every later step (a skip) and every earlier
    one (a repeat) is not."""
    order = rules.sequence(step_set)
    for i in range(len(order) - 1):
        allowed = rules.allowed_next(order[:i], step_set)
        for kind in K.values:
            if kind not in allowed:
                assert kind != order[i] or i == len(order) - 1
        assert allowed == [order[i]]


@pytest.mark.parametrize("done", [p for n in range(2, 5) for p in itertools.permutations(VILLAGE[:4], n) if list(p) != VILLAGE[:n]])
def test_every_reorder_is_detected(done):
    with pytest.raises(ValueError):
        rules.allowed_next(list(done), rules.VILLAGE)


def test_result_only_after_an_implementation_update():
    assert rules.allowed_next(VILLAGE, rules.VILLAGE) == [K.PROGRESS_DISCLOSURE]
    with pytest.raises(ValueError):
        rules.allowed_next([*VILLAGE, K.RESULT_DISCLOSURE, K.PROGRESS_DISCLOSURE], rules.VILLAGE)


def test_merged_first_steps_drop_the_joint_meeting():
    assert rules.allowed_next([K.PROPOSAL], rules.VILLAGE, merged=True) == [K.REVIEW]
    assert rules.allowed_next([K.PROPOSAL], rules.VILLAGE) == [K.CONSULTATION]


def test_step_sets_by_category():
    assert rules.step_set_for("rural").code == "village"
    assert rules.step_set_for("community").code == "community"
    assert rules.step_set_for("community", "community_hearing").code == "community_hearing"
    assert "hearing" in rules.COMMUNITY.bodies and "representatives" in rules.VILLAGE.bodies


@given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n)).flatmap(
    lambda t: st.tuples(st.just(t[0]), st.just(t[1]), st.integers(0, t[1])))))
def test_representatives_rule_is_the_integer_formula(args):
    registered, present, votes_for = args
    out = rules.representatives_meeting(registered, present, votes_for)
    assert out.quorum == (3 * present >= 2 * registered)
    assert out.passed == (out.quorum and 2 * votes_for > present)


@given(st.integers(1, 300).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n)).flatmap(
    lambda t: st.tuples(st.just(t[0]), st.just(t[1]), st.integers(0, t[1])))))
def test_member_assembly_rule_is_the_integer_formula(args):
    entitled, present, votes_for = args
    out = rules.member_assembly(entitled, present, votes_for, quorum="half", base="entitled")
    assert out.passed == (2 * present > entitled and 2 * votes_for > entitled)
