"""The generic table layer: the original model wrapper's verbs on (pid, cid) items."""

import pytest

from retro.store import keys
from retro.store.failures import ConditionFailed


def test_put_update_destroy_round_trip(store):
    table = store.table
    key = ("P#1", "C#1")
    assert table.get(key, consistent=True) is None
    table.put({"pid": key[0], "cid": key[1], "n": 1, "label": "a"}, condition=keys.not_exists())
    assert table.get(key, consistent=True) is not None
    with pytest.raises(ConditionFailed):
        table.put({"pid": key[0], "cid": key[1]}, condition=keys.not_exists())
    updated = table.update(key, set_={"label": None}, add={"n": 2})
    assert updated == {"pid": "P#1", "cid": "C#1", "n": 3}
    assert table.destroy(key) == updated
    assert table.destroy(key) is None
    assert table.get(key, consistent=True) is None


def test_find_by_own_id(store):
    table = store.table
    for pid, cid in [("P#1", "C#1"), ("P#2", "C#2"), ("P#2", "C#3")]:
        table.put({"pid": pid, "cid": cid})
    assert table.find_keys("C#2") == [("P#2", "C#2")]
