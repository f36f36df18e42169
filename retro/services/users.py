"""Pseudonymous users: created without sign-up, identified by a token only they hold."""

import hashlib
import secrets

from retro.errors import UnauthorizedError
from retro.ids import is_id, new_id
from retro.models import User
from retro.services import checks
from retro.store import Store
from retro.times import now

__all__ = ["authenticate", "create_user", "get_user", "hash_token"]


def hash_token(secret: str) -> str:
    """What the table keeps instead of the token: a SHA-256 (tokens are long random strings,
    so a fast hash is enough — there is nothing to brute-force)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def create_user(store: Store, name: str | None = None) -> tuple[User, str]:
    """A new user and its token. The token is returned here once and never stored."""
    user = User(
        id=new_id(),
        name=checks.name(name) if name is not None else None,
        created_at=now(),
    )
    secret = secrets.token_urlsafe(32)
    store.create_user(user, hash_token(secret))
    # The user id rides in the token so that checking it is one strongly consistent GetItem.
    return user, f"{user.id}.{secret}"


def authenticate(store: Store, token: str) -> str:
    """The user id a token belongs to; UnauthorizedError for anything else."""
    user_id, _, secret = token.partition(".")
    if not is_id(user_id) or len(secret) < 32 or len(token) > 200:
        raise UnauthorizedError("the token is not a Retro user token")
    if not store.has_token(user_id, hash_token(secret)):
        raise UnauthorizedError("the token is unknown")
    return user_id


def get_user(store: Store, user_id: str) -> User | None:
    return store.get_user(user_id)
