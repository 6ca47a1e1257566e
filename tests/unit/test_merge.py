"""Two people's changes to one record from the version both started from."""

from procedure.rules.merge import merge3

BASE = {"name": "Gamma", "pec": "a@pec.example", "address": {"street": "Via A 1", "city": "Verona"},
        "contacts": [{"name": "Ivo"}]}  # fmt: skip


def test_what_each_changed_alone_is_kept() -> None:
    mine = {**BASE, "pec": "b@pec.example", "address": {"street": "Via A 1", "city": "Padova"}}
    theirs = {**BASE, "name": "Gamma S.p.A.", "address": {"street": "Via B 2", "city": "Verona"}}
    merged, conflicts = merge3(BASE, mine, theirs)
    assert conflicts == []
    assert merged == {
        "name": "Gamma S.p.A.",
        "pec": "b@pec.example",
        "address": {"street": "Via B 2", "city": "Padova"},  # field by field inside
        "contacts": [{"name": "Ivo"}],
    }


def test_a_field_both_changed_differently_is_a_conflict_until_kept() -> None:
    mine = {**BASE, "address": {"street": "Via C 3", "city": "Verona"}, "contacts": []}
    theirs = {**BASE, "address": {"street": "Via B 2", "city": "Verona"},
              "contacts": [{"name": "Ivo"}, {"name": "Ada"}]}  # fmt: skip
    merged, conflicts = merge3(BASE, mine, theirs)
    assert conflicts == ["address.street", "contacts"]  # a list is one value
    assert merged["address"]["street"] == "Via B 2" and len(merged["contacts"]) == 2
    merged, conflicts = merge3(BASE, mine, theirs, frozenset(["address.street", "contacts"]))
    assert conflicts == [] and merged["address"]["street"] == "Via C 3"
    assert merged["contacts"] == []
    same = {**BASE, "pec": "z@pec.example"}
    assert merge3(BASE, same, same) == (same, [])  # the same change twice: no conflict
