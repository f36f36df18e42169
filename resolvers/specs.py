"""A field's selection set as a page spec: what the services load under the board or version.

The nested fields a page asks for — `Board.currentVersion`, `Board.versions`,
`BoardVersion.notes` — have no resolver of their own (views.EMBEDDED): the resolver returning
their parent loads them (`retro.services.pages`). Their arguments come from the selection:
`notes(column:)`, `versions(limit:, nextToken:)`. Making the spec checks them, and what loading
it would cost (`pages.check_reads`: the DynamoDB reads under every board or version the call
returns), so a mutation makes it before it writes and a query before it reads.

Aliases of one nested field are one load: AppSync fills such a field by name, so `Selection.one`
merges them, and the spec — the cost with it — counts them once.
"""

from resolvers.selection import Selection
from retro.services.pages import BoardSpec, NotesSpec, VersionSpec, VersionsSpec, check_reads

__all__ = ["board_spec", "version_spec"]


def version_spec(selection: Selection, versions: int = 1) -> VersionSpec:
    """What `selection` (of a BoardVersion) asks to load under each of `versions` versions."""
    spec = _version_spec(selection)
    check_reads(versions * spec.reads)
    return spec


def board_spec(selection: Selection, boards: int = 1) -> BoardSpec:
    """What `selection` (of a Board) asks to load under each of `boards` boards: under its live
    version and its versions."""
    current = selection.one("currentVersion")
    under_current = _version_spec(current.selection) if current else VersionSpec()
    listed = selection.one("versions")
    spec = BoardSpec(under_current)
    if listed is not None:
        items = listed.selection.one("items")
        versions = VersionsSpec.of(
            listed.arguments.get("limit"),
            listed.arguments.get("nextToken"),
            _version_spec(items.selection) if items else VersionSpec(),
        )
        spec = BoardSpec(under_current, versions)
    check_reads(boards * spec.reads)
    return spec


def _version_spec(selection: Selection) -> VersionSpec:
    notes = selection.one("notes")
    groups = selection.one("groups") is not None
    if notes is None:
        # a version's groups are made of its notes (each carries its group): load them
        return VersionSpec(NotesSpec(), groups=True) if groups else VersionSpec()
    return VersionSpec(NotesSpec.of(notes.arguments.get("column")), groups=groups)
