"""Services: the only home of Retro's business rules.

Each function takes the store, the caller's user id (from the authorizer) and plain arguments,
checks who may do what, validates content and calls the store. Nothing here knows GraphQL or
boto3. Errors are `retro.errors` classes whose messages name the field or the id.
`pages` is the read model: a board or a version with the nested data a page spec asks for.
`stages` holds the rules of a facilitated meeting (what each stage lets in and hides), and
`meeting` the owner's changes to it (stage, timer) and the gate every note and vote passes.
`default_store` is the process's store: the handlers get it here and pass it back, so they
never import the store itself (`make lint` holds that).
"""

from retro.services.action_items import update_action
from retro.services.boardpage import load_board_page
from retro.services.boards import (
    boards_of,
    create_board,
    delete_board,
    get_board,
    require_board,
    update_board,
)
from retro.services.exports import export_version, export_version_of
from retro.services.grouping import groups_of
from retro.services.groups import group_notes, rename_group, ungroup_note
from retro.services.meeting import extend_timer, set_stage, start_timer, stop_timer
from retro.services.notes import add_note, delete_note, notes_of, update_note
from retro.services.pages import load_boards, load_versions
from retro.services.trends import Trend, trend
from retro.services.users import authenticate, create_user, get_user
from retro.services.versions import start_new_version, version_by_number, versions_of
from retro.services.votes import participation, unvote, vote
from retro.store import default_store

__all__ = [
    "Trend",
    "add_note",
    "authenticate",
    "boards_of",
    "create_board",
    "create_user",
    "default_store",
    "delete_board",
    "delete_note",
    "export_version",
    "export_version_of",
    "extend_timer",
    "get_board",
    "get_user",
    "group_notes",
    "groups_of",
    "load_board_page",
    "load_boards",
    "load_versions",
    "notes_of",
    "participation",
    "rename_group",
    "require_board",
    "set_stage",
    "start_new_version",
    "start_timer",
    "stop_timer",
    "trend",
    "ungroup_note",
    "unvote",
    "update_action",
    "update_board",
    "update_note",
    "version_by_number",
    "versions_of",
    "vote",
]
