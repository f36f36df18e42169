"""What a version's groups show: computed from its notes as anyone may see them.

Each note carries its group (`group_id`, and the title copied onto it), so the groups of a
version are a function of its public notes — no read of their own, and what a stage hides of a
note (its text, its count) is hidden of its group too (the title, the sum). Apart from
`retro.services.groups` (the writes) so that pages can show groups without importing them.
"""

from collections.abc import Sequence

from retro.models import NoteGroup, PublicNote

__all__ = ["groups_of"]


def groups_of(notes: Sequence[PublicNote]) -> list[NoteGroup]:
    """The groups among `notes` (public: as the stage shows them), most votes first, then the
    oldest first (ids begin with their time)."""
    members: dict[str, list[PublicNote]] = {}
    for note in notes:
        if note.group_id is not None:
            members.setdefault(note.group_id, []).append(note)
    groups = [_shown(group_id, found) for group_id, found in members.items()]
    return sorted(groups, key=lambda g: (-(g.votes or 0), g.id))


def _shown(group_id: str, notes: list[PublicNote]) -> NoteGroup:
    first = notes[0]
    counts = [n.votes for n in notes]
    return NoteGroup(
        id=group_id,
        board_id=first.board_id,
        version_id=first.version_id,
        column=first.column,
        title=first.group_title,
        votes=None if None in counts else sum(c or 0 for c in counts),
        note_ids=[n.id for n in notes],
    )
