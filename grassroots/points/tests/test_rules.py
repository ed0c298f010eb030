import pytest
from django.test import override_settings

from grassroots.points import rules


@pytest.mark.parametrize(
    ("total", "stars"),
    [(-5, 0), (0, 0), (19, 0), (20, 1), (29, 1), (30, 2), (39, 2), (40, 3), (49, 3), (50, 4), (59, 4), (60, 5), (200, 5)],
)
def test_stars_at_the_default_thresholds(total, stars):
    assert rules.stars_for(total, rules.STAR_THRESHOLDS) == stars


@override_settings(GRASSROOTS_STAR_THRESHOLDS=(10, 20, 30, 40, 50), GRASSROOTS_POINTS_DEFAULTS={"meeting_present": 3})
def test_local_settings():
    assert rules.star_thresholds() == (10, 20, 30, 40, 50)
    assert rules.points_defaults() == {"meeting_present": 3, "dues_on_time": 1, "absent": -2, "dues_unpaid": -1}


@pytest.mark.parametrize(
    ("thresholds", "ok"),
    [((1, 2, 3, 4, 5), True), ((1, 2, 2, 4, 5), False), ((5, 4, 3, 2, 1), False), ((1, 2, 3, 4), False)],
)
def test_thresholds_must_increase(thresholds, ok):
    assert (rules.thresholds_error(thresholds) is None) is ok


@pytest.mark.parametrize(
    ("category", "points", "ok"),
    [
        ("service", 1, True), ("service", 20, True), ("service", 21, False), ("service", 0, False), ("service", -1, False),
        ("deduction", -20, True), ("deduction", -21, False), ("deduction", 2, False),
    ],
)
def test_manual_points(category, points, ok):
    assert (rules.manual_points_error(category, points) is None) is ok
