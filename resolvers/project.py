"""A model rendered as the query selected it: only the selected fields are rendered.

Each type's view is a `Shape` (`resolvers/views.py`): its fields in the schema's order, each
read from the model by a function, and rendered by a shape of its own when it holds an object
or a list of objects. `project` renders the fields the field's selection set names, in the order
they were first selected, and nothing else: AppSync keeps only what the query selected, so a
field rendered and not selected is work the Lambda does, encodes and sends for nothing (a board
page of 10 notes rendered whole was 3.9 KB of which the page selected 1.45 KB, and formatting
unselected times was ~15 % of a warm page).

A field is rendered by its name whatever its aliases (AppSync fills an alias from the field of
that name); under it, what any of its selections asked for. A selection that names no fields —
of a scalar, or an event without a selection set (a test's, or an older AppSync's) — renders
the whole view. A field whose model is not loaded (`ABSENT`: a page's notes not asked for) is
left out, and AppSync fills it from the parent's property.

AppSync gives a field that has a resolver of its own (`User.boards`, `Board.version`,
`BoardVersion.export`) its parent's result as `source`, which is what the Lambda returned, not
what the query selected: when a selected field is not in the view (such a field, or
`__typename`), the view keeps the fields those resolvers read (`SOURCE_FIELDS`) even if the
query did not ask for them.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

from resolvers.selection import Selection

__all__ = ["ABSENT", "SOURCE_FIELDS", "Shape", "View", "project"]

SOURCE_FIELDS = ("id", "boardId", "number")  # what resolvers/queries.py reads from `source`

View = dict[str, Any]
Read = Callable[[Any], Any]


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Final = _Absent()  # read for a field the model does not hold (not loaded): left out


class Shape:
    """A type's fields, in the order a whole view renders them: `name=read` for a value as it is
    (a scalar, a list of scalars), `name=(read, shape)` for an object or a list of objects."""

    __slots__ = ("fields",)

    def __init__(self, **fields: "Read | tuple[Read, Shape]") -> None:
        self.fields: dict[str, tuple[Read, Shape | None]] = {
            name: field if isinstance(field, tuple) else (field, None)
            for name, field in fields.items()
        }


def project(shape: Shape, model: Any, selection: Selection) -> View:
    """`model` rendered by `shape`, only the fields `selection` names."""
    return _Renderer(shape, _plan(selection)).one(model)


# What to render: field name -> what to render under it (None: all of it). None: every field.
Plan = dict[str, "Plan | None"]


def _plan(selection: Selection) -> Plan | None:
    """The selection as a plan: a field's selections merged, whatever their aliases."""
    if not selection.fields:
        return None
    under: dict[str, list[Selection]] = {}
    for selected in selection.fields:
        under.setdefault(selected.name, []).append(selected.selection)
    return {
        name: _plan(Selection(tuple(f for s in selections for f in s.fields)))
        for name, selections in under.items()
    }


class _Renderer:
    """A shape matched with a plan once per call, then applied to every model of the call (a
    page's notes share their selection)."""

    __slots__ = ("partial", "selected", "source", "steps")

    def __init__(self, shape: Shape, plan: Plan | None) -> None:
        names: Mapping[str, Plan | None] = plan if plan is not None else dict.fromkeys(shape.fields)
        self.selected = plan is not None
        self.steps: list[tuple[str, Read, _Renderer | None]] = []
        for name, under in names.items():
            if name in shape.fields:
                read, inner = shape.fields[name]
                self.steps.append((name, read, _Renderer(inner, under) if inner else None))
        # a selected field this view does not have: what resolvers read from `source` goes too
        self.partial = len(self.steps) < len(names)
        self.source = [(n, shape.fields[n][0]) for n in SOURCE_FIELDS if n in shape.fields]

    def one(self, model: Any) -> View:
        view: View = {}
        partial = self.partial
        for name, read, inner in self.steps:
            value = read(model)
            if value is ABSENT:
                partial = partial or self.selected  # a whole view just leaves it out
                continue
            if inner is not None and value is not None:
                value = inner.each(value) if isinstance(value, list) else inner.one(value)
            view[name] = value
        if partial:
            return {name: read(model) for name, read in self.source} | view
        return view

    def each(self, models: Iterable[Any]) -> list[View]:
        return [self.one(model) for model in models]
