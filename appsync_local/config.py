"""`resolvers.json`: which field is resolved by which function, and where each handler lives.

The file is the one Terraform reads to create AppSync's data sources and resolvers, so the local
server wires exactly the fields the cloud does. Handlers are found by name ("module.attr"), the
way AppSync finds a Lambda by its ARN — never by a static import.
"""

import importlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "ConfigError",
    "FieldResolver",
    "Handler",
    "ResolverMap",
    "load_handler",
    "load_resolver_map",
]

Handler = Callable[[Any, Any], Any]

_MAX_BATCH = 2000  # AppSync's upper bound for maxBatchSize


class ConfigError(ValueError):
    """`resolvers.json` is malformed or names something that does not exist."""


@dataclass(frozen=True)
class FieldResolver:
    """One `Type.field` entry: the function that resolves it, and its batch size (0 = none)."""

    type_name: str
    field_name: str
    function: str
    max_batch_size: int

    @property
    def key(self) -> str:
        return f"{self.type_name}.{self.field_name}"


@dataclass(frozen=True)
class ResolverMap:
    functions: Mapping[str, str]  # function name -> "module.attr"
    resolvers: Mapping[tuple[str, str], FieldResolver]
    authorizer: str | None  # "module.attr" of the AWS_LAMBDA authorizer
    authorizer_ttl_seconds: int
    # AppSync's identityValidationExpression: tokens it does not match never reach the authorizer
    authorizer_identity_validation: str | None = None

    def get(self, type_name: str, field_name: str) -> FieldResolver | None:
        return self.resolvers.get((type_name, field_name))


def _require(condition: bool, problem: str) -> None:
    if not condition:
        raise ConfigError(f"resolvers.json: {problem}")


def load_resolver_map(path: Path) -> ResolverMap:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ConfigError(f"cannot read {path}: {error}") from error
    _require(isinstance(raw, dict), "the top level must be an object")
    functions_raw = raw.get("functions") or {}
    _require(isinstance(functions_raw, dict), "'functions' must be an object")
    functions: dict[str, str] = {}
    for name, spec in functions_raw.items():
        handler = spec.get("handler") if isinstance(spec, dict) else None
        _require(
            isinstance(handler, str) and "." in handler,
            f"functions.{name}.handler must be 'module.attr'",
        )
        functions[name] = str(handler)
    resolvers: dict[tuple[str, str], FieldResolver] = {}
    for key, spec in (raw.get("resolvers") or {}).items():
        _require(
            isinstance(key, str) and key.count(".") == 1,
            f"resolver key {key!r} must be 'Type.field'",
        )
        _require(isinstance(spec, dict), f"resolvers.{key} must be an object")
        function = spec.get("function")
        _require(
            function in functions, f"resolvers.{key}.function {function!r} is not in 'functions'"
        )
        batch = spec.get("maxBatchSize", 0)
        _require(
            isinstance(batch, int) and not isinstance(batch, bool) and 0 <= batch <= _MAX_BATCH,
            f"resolvers.{key}.maxBatchSize must be an integer from 0 to {_MAX_BATCH}",
        )
        type_name, field_name = key.split(".")
        resolvers[(type_name, field_name)] = FieldResolver(type_name, field_name, function, batch)
    authorizer = raw.get("authorizer")
    authorizer_handler: str | None = None
    ttl = 0
    validation: str | None = None
    if authorizer is not None:
        _require(isinstance(authorizer, dict), "'authorizer' must be an object")
        handler = authorizer.get("handler")
        _require(
            isinstance(handler, str) and "." in handler, "authorizer.handler must be 'module.attr'"
        )
        authorizer_handler = str(handler)
        ttl = authorizer.get("ttlSeconds", 300)
        _require(
            isinstance(ttl, int) and not isinstance(ttl, bool) and 0 <= ttl <= 3600,
            "authorizer.ttlSeconds must be an integer from 0 to 3600",
        )
        validation = authorizer.get("identityValidationExpression")
        _require(
            validation is None or (isinstance(validation, str) and _compiles(validation)),
            "authorizer.identityValidationExpression must be a regular expression",
        )
    return ResolverMap(functions, resolvers, authorizer_handler, ttl, validation)


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def load_handler(dotted: str) -> Handler:
    """Import "package.module.attr" and return the callable, like a Lambda's handler setting."""
    module_name, _, attr = dotted.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise ConfigError(f"handler {dotted!r}: cannot import {module_name!r}: {error}") from error
    handler = getattr(module, attr, None)
    if not callable(handler):
        raise ConfigError(f"handler {dotted!r}: {module_name} has no callable {attr!r}")
    return handler  # type: ignore[no-any-return]
