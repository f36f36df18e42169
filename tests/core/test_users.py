import boto3
import pytest

from retro import services
from retro.errors import UnauthorizedError
from retro.services.users import hash_token


def test_token_is_returned_once_and_only_its_hash_is_stored(store):
    user, token = services.create_user(store, "Ann")
    assert services.authenticate(store, token) == user.id
    # the test's own client (not the store's, whose Scans the fixture forbids) reads everything
    raw = boto3.client("dynamodb").scan(TableName=store.table.name)["Items"]
    dumped = repr(raw)
    assert token.split(".")[1] not in dumped
    assert hash_token(token.split(".")[1]) in dumped


@pytest.mark.parametrize("token", ["", "nope", "x" * 300])
def test_malformed_tokens_are_unauthorized(store, token):
    with pytest.raises(UnauthorizedError):
        services.authenticate(store, token)


def test_a_guessed_secret_for_a_real_user_is_unauthorized(store):
    user, _ = services.create_user(store)
    with pytest.raises(UnauthorizedError, match="unknown"):
        services.authenticate(store, f"{user.id}.{'a' * 43}")


def test_user_names_are_optional_and_validated(store):
    assert services.create_user(store)[0].name is None
    with pytest.raises(Exception, match="name"):
        services.create_user(store, "x" * 81)


def test_tokens_match_the_shape_appsync_checks_before_the_authorizer(store):
    import json
    import re
    from pathlib import Path

    # infra/appsync.tf and the local server both take the expression from schema/resolvers.json
    root = Path(__file__).resolve().parents[2]
    assert (
        "local.resolver_map.authorizer.identityValidationExpression"
        in (root / "infra" / "appsync.tf").read_text()
    )
    resolver_map = json.loads((root / "schema" / "resolvers.json").read_text())
    pattern = resolver_map["authorizer"]["identityValidationExpression"]
    for _ in range(20):
        assert re.fullmatch(pattern, services.create_user(store)[1])
    assert not re.fullmatch(pattern, "da2-someapikey")
