"""A rendered result cut to what the query selected: only selected fields go back to AppSync.

Views render a model whole (`resolvers/views.py`); AppSync then keeps what the query selected
and drops the rest — after the Lambda has encoded it, sent it and AppSync has parsed it. A board
page of 10 notes rendered whole was 3.9 KB of which the page selected 1.45 KB. So the router
cuts each result to the field's selection set before it returns (`project`).

A field is kept by its name whatever its aliases (AppSync fills an alias from the field of that
name); under it, what any of its selections asked for. A value whose selection is empty (a
scalar, an AWSJSON value) is kept as it is. An event without a selection set (a test's, or an
older AppSync's) gets the whole view.

AppSync gives a field that has a resolver of its own (`User.boards`, `Board.version`,
`BoardVersion.export`) its parent's result as `source`, which is what the Lambda returned, not
what the query selected: when such a field is selected, the parent keeps the fields those
resolvers read (`SOURCE_FIELDS`) even if the query did not ask for them.
"""

from typing import Any

from resolvers.selection import Selection

__all__ = ["SOURCE_FIELDS", "project"]

SOURCE_FIELDS = ("id", "boardId", "number")  # what resolvers/queries.py reads from `source`


def project(value: Any, selection: Selection) -> Any:
    """`value` (a view, a list of views, or a scalar) with only the fields `selection` names."""
    if not selection.fields:
        return value
    if isinstance(value, list):
        return [project(item, selection) for item in value]
    if not isinstance(value, dict):
        return value
    under: dict[str, list[Selection]] = {}
    for selected in selection.fields:
        under.setdefault(selected.name, []).append(selected.selection)
    out: dict[str, Any] = {}
    if any(name not in value for name in under):  # a resolver's field (or __typename)
        out |= {name: value[name] for name in SOURCE_FIELDS if name in value}
    for name, selections in under.items():
        if name not in value:
            continue  # AppSync fills it
        merged = Selection(tuple(f for s in selections for f in s.fields))
        out[name] = project(value[name], merged)
    return out
