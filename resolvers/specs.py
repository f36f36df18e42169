"""A field's selection set as a page spec: what the services load under the board or version.

The nested fields a page asks for — `Board.currentVersion`, `Board.versions`,
`BoardVersion.notes` — have no resolver of their own (views.EMBEDDED): the resolver returning
their parent loads them (`retro.services.pages`). Their arguments come from the selection:
`notes(column:)`, `versions(limit:, nextToken:)`. Making the spec checks them, so a mutation
makes it before it writes.
"""

from resolvers.selection import Selection
from retro.services.pages import BoardSpec, NotesSpec, VersionSpec, VersionsSpec

__all__ = ["board_spec", "version_spec"]


def version_spec(selection: Selection) -> VersionSpec:
    """What `selection` (of a BoardVersion) asks to load: its notes, maybe of one column."""
    notes = selection.one("notes")
    if notes is None:
        return VersionSpec()
    return VersionSpec(NotesSpec.of(notes.arguments.get("column")))


def board_spec(selection: Selection) -> BoardSpec:
    """What `selection` (of a Board) asks to load under its live version and its versions."""
    current = selection.one("currentVersion")
    under_current = version_spec(current.selection) if current else VersionSpec()
    listed = selection.one("versions")
    if listed is None:
        return BoardSpec(under_current)
    items = listed.selection.one("items")
    versions = VersionsSpec.of(
        listed.arguments.get("limit"),
        listed.arguments.get("nextToken"),
        version_spec(items.selection) if items else VersionSpec(),
    )
    return BoardSpec(under_current, versions)
