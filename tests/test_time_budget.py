"""The per-test time budget names every test over it, except the ones marked slow."""

from time_budget import over_budget


def test_tests_over_the_budget_are_named_slowest_first_unless_marked_slow():
    spent = {"a": 5.0, "b": 75.0, "c": 61.0, "d": 300.0}
    assert over_budget(spent, {"d"}, 60) == [("b", 75.0), ("c", 61.0)]


def test_a_budget_of_zero_turns_the_guard_off():
    assert over_budget({"a": 1e6}, set(), 0) == []
