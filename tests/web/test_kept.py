"""Kept (adapters/web/kept.py): at most `limit` values, the least recently used dropped."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from adapters.web.kept import Kept


def test_beyond_the_limit_the_oldest_is_dropped() -> None:
    kept: Kept[str, int] = Kept(2)
    assert kept.put("a", 1) == 1
    kept.put("b", 2)
    kept.put("c", 3)
    assert len(kept) == 2 and "a" not in kept
    assert kept.get("a") is None and kept.get("b") == 2 and kept.get("c") == 3


def test_a_value_got_or_put_again_is_kept_over_older_ones() -> None:
    kept: Kept[str, int] = Kept(2)
    kept.put("a", 1)
    kept.put("b", 2)
    assert kept.get("a") == 1  # "b" is now the least recently used
    kept.put("c", 3)
    assert "a" in kept and "b" not in kept
    kept.put("a", 10)  # put again: the newest, with its new value
    kept.put("d", 4)
    assert "c" not in kept and kept.get("a") == 10


def test_limit_zero_keeps_nothing_and_lowering_it_drops_the_oldest() -> None:
    nothing: Kept[str, int] = Kept(0)
    assert nothing.put("a", 1) == 1 and len(nothing) == 0 and nothing.get("a") is None
    kept: Kept[str, int] = Kept(3)
    for number, key in enumerate("abc"):
        kept.put(key, number)
    kept.limit = 1
    assert len(kept) == 1 and kept.get("c") == 2
    kept.limit = 0
    assert len(kept) == 0
    kept.put("d", 3)
    assert len(kept) == 0
    kept.limit = 2
    kept.put("d", 3)
    kept.clear()
    assert len(kept) == 0 and kept.limit == 2


Step = tuple[str, int, int]  # ("get" | "put" | "limit", key or limit, value)
STEPS = st.lists(
    st.tuples(st.sampled_from(["get", "put", "limit"]), st.integers(0, 5), st.integers(0, 1000)),
    max_size=60,
)


@given(st.integers(0, 4), STEPS)
def test_kept_agrees_with_a_list_ordered_by_last_use(limit: int, steps: list[Step]) -> None:
    kept: Kept[int, int] = Kept(limit)
    model: list[tuple[int, int]] = []  # least recently used first
    for action, key, value in steps:
        if action == "limit":
            limit = key
            kept.limit = limit
        else:
            found = next((v for k, v in model if k == key), None)
            if found is not None:
                model.remove((key, found))
            if action == "put" and limit > 0:
                found = value
            if found is not None and limit > 0:
                model.append((key, found))
            if action == "get":
                assert kept.get(key) == found
            else:
                assert kept.put(key, value) == value
        model = model[max(len(model) - limit, 0) :] if limit else []
        assert len(kept) == len(model)
        assert all((k in kept) == any(k == m for m, _ in model) for k in range(6))
    for key, value in reversed(model):
        assert kept.get(key) == value
