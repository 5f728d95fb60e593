import pytest

from payoff.errors import PayoffError
from payoff.store import Store


def test_save_list_delete(tmp_path):
    store = Store(tmp_path / "a.sqlite")
    assert store.list() == []
    first = store.save("week 1", "sales.csv", {"framing": "perishable", "best_model": "naive"})
    second = store.save("<b>week 2</b>", "sales.csv", {"framing": "churn"})
    listed = store.list()
    assert [s.id for s in listed] == [second, first]  # newest first
    assert listed[0].name == "<b>week 2</b>" and listed[1].summary["best_model"] == "naive"
    store.delete(first)
    assert [s.id for s in store.list()] == [second]
    with pytest.raises(PayoffError, match="name"):
        store.save("  ", "x.csv", {})
