"""Two people's changes to one record, from the version both started from: what each
changed alone is kept, what both changed differently is a conflict (named by its path)."""

from typing import Any

Data = dict[str, Any]


def merge3(
    base: Data, mine: Data, theirs: Data, keep_mine: frozenset[str] = frozenset(), where: str = ""
) -> tuple[Data, list[str]]:
    """The record with both sides' changes, and the paths (``address.street``) both changed
    differently; at those the result holds ``theirs``, or ``mine`` for the paths in
    ``keep_mine`` (a person saw the conflict and saved again). Nested records merge field
    by field; a list is one value."""
    merged: Data = {}
    conflicts: list[str] = []
    for key in dict.fromkeys([*theirs, *mine]):
        path = f"{where}.{key}" if where else key
        b, m, t = base.get(key), mine.get(key), theirs.get(key)
        if m in (b, t):
            value = t
        elif t == b:
            value = m
        elif isinstance(b, dict) and isinstance(m, dict) and isinstance(t, dict):
            value, inner = merge3(b, m, t, keep_mine, path)
            conflicts += inner
        else:
            value = m if path in keep_mine else t
            if path not in keep_mine:
                conflicts.append(path)
        merged[key] = value
    return merged, conflicts
