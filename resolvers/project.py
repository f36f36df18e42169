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


# What to keep: field name -> what to keep under it (None: the value as it is).
Plan = dict[str, "Plan | None"]


def project(value: Any, selection: Selection) -> Any:
    """`value` (a view, a list of views, or a scalar) with only the fields `selection` names."""
    if not selection.fields:
        return value
    return _apply(value, _plan(selection))


def _plan(selection: Selection) -> Plan:
    """The selection as a plan, made once per call whatever the number of views it is applied
    to (a page's notes share their selection)."""
    under: dict[str, list[Selection]] = {}
    for selected in selection.fields:
        under.setdefault(selected.name, []).append(selected.selection)
    plan: Plan = {}
    for name, selections in under.items():
        fields = tuple(f for s in selections for f in s.fields)
        plan[name] = _plan(Selection(fields)) if fields else None
    return plan


def _apply(value: Any, plan: Plan | None) -> Any:
    if plan is None:
        return value
    if isinstance(value, list):
        return [_apply(item, plan) for item in value]
    if not isinstance(value, dict):
        return value
    out = {name: _apply(value[name], under) for name, under in plan.items() if name in value}
    if len(out) < len(plan):  # a resolver's field (or __typename): AppSync fills it from source
        out = {name: value[name] for name in SOURCE_FIELDS if name in value} | out
    return out
