"""Build an executable Strawberry schema from an AppSync SDL, generically.

Nothing here knows the application's types: every enum, input, interface, union and object type
is made from the SDL at start-up, so the schema is written once (DESIGN.md §3). The recipe, on
Strawberry's public API:
- make a bare Python class per type first, because types refer to each other in cycles; then
  attach annotated fields and apply `strawberry.type/input/interface(cls, name=...)` as
  functions;
- give a field arguments through a resolver whose `__signature__` holds
  `Annotated[T, strawberry.argument(name=...)]` parameters (Python names are mangled, the
  GraphQL names are kept exactly);
- `StrawberryConfig(auto_camel_case=False)` keeps every name as the SDL wrote it;
- AppSync's directives are schema directives that print but are never declared
  (`directives`).

What a field *does* is not decided here: the caller passes `FieldBinder`, which turns each
field into a Strawberry resolver (a handler call, the parent's property, a subscription).
"""

import enum
import inspect
import keyword
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Optional, Protocol, Union

import strawberry
from graphql import (
    EnumTypeDefinitionNode,
    FieldDefinitionNode,
    InputObjectTypeDefinitionNode,
    InputValueDefinitionNode,
    InterfaceTypeDefinitionNode,
    ListTypeNode,
    NamedTypeNode,
    NonNullTypeNode,
    ObjectTypeDefinitionNode,
    TypeNode,
    UnionTypeDefinitionNode,
    value_from_ast_untyped,
)
from strawberry.schema.config import StrawberryConfig

from appsync_local.directives import deprecation_reason, schema_directives
from appsync_local.scalars import SCALAR_MAP, SCALAR_TYPES
from appsync_local.sdl import ApiDefinition, SchemaError
from appsync_local.serial import SerialExecutionContext

__all__ = ["BuiltSchema", "FieldBinder", "FieldSpec", "build_schema", "python_name"]


_BUILTIN_SCALARS: Mapping[str, object] = {
    "String": str,
    "Int": int,
    "Float": float,
    "Boolean": bool,
    "ID": strawberry.ID,
}


def python_name(graphql_name: str, prefix: str = "") -> str:
    """A Python identifier for a GraphQL name: itself when safe, else mangled.

    Names Python reserves (`from`, `in`), and those Strawberry reserves for resolvers (`root`,
    `info`, `self`), cannot be attribute or parameter names as they are.
    """
    if prefix:
        return f"{prefix}{graphql_name}"
    if keyword.iskeyword(graphql_name) or graphql_name in {"root", "info", "self"}:
        return f"{graphql_name}_"
    return graphql_name


@dataclass(frozen=True)
class FieldSpec:
    """One output field, as the binder needs it."""

    type_name: str
    field_name: str
    # Python parameter name -> GraphQL argument name, for the field's arguments
    arguments: Mapping[str, str]
    is_subscription: bool


class FieldBinder(Protocol):
    """Decides what resolves each field; `build_schema` only gives it a name and a signature."""

    def resolver(self, spec: FieldSpec) -> Callable[..., Any] | None:
        """An async `(root, info, **arguments)` resolver, or None for the parent's property."""


@dataclass
class BuiltSchema:
    schema: strawberry.Schema
    # GraphQL input type name -> {GraphQL field name: Python attribute name}
    input_fields: dict[str, dict[str, str]] = field(default_factory=dict)


def _hashable(value: Any) -> Any:
    """Argument defaults must be hashable for Strawberry: lists become tuples."""
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    return value


class _Builder:
    def __init__(
        self,
        api: ApiDefinition,
        binder: FieldBinder,
        extensions: Sequence[Any],
        field_suggestions: bool,
    ) -> None:
        self.api = api
        self.binder = binder
        self.extensions = list(extensions)
        self.field_suggestions = field_suggestions
        self.classes: dict[str, Any] = {}
        self.enums: dict[str, type[enum.Enum]] = {}
        self.unions: dict[str, Any] = {}
        self.input_fields: dict[str, dict[str, str]] = {}

    # -- types --------------------------------------------------------------------------------
    def annotation(self, node: TypeNode, *, nullable: bool = True) -> Any:
        if isinstance(node, NonNullTypeNode):
            return self.annotation(node.type, nullable=False)
        if isinstance(node, ListTypeNode):
            inner: Any = list[self.annotation(node.type)]  # type: ignore[misc]
        elif isinstance(node, NamedTypeNode):
            inner = self.named(node.name.value)
        else:  # graphql-core's three kinds of type reference are handled above
            raise SchemaError(f"unexpected type reference {node.kind}")
        return Optional[inner] if nullable else inner  # noqa: UP045 — built at run time

    def named(self, name: str) -> Any:
        for table in (_BUILTIN_SCALARS, SCALAR_TYPES, self.enums, self.unions, self.classes):
            if name in table:
                return table[name]
        raise SchemaError(f"unknown type {name}")

    def default(self, node: InputValueDefinitionNode) -> Any:
        if node.default_value is None:
            return strawberry.UNSET
        value = value_from_ast_untyped(node.default_value)
        named: Any = node.type
        while not isinstance(named, NamedTypeNode):
            named = named.type
        enum_type = self.enums.get(named.name.value)
        if enum_type is not None:
            if isinstance(value, list):
                return tuple(enum_type[v] for v in value)
            return None if value is None else enum_type[value]
        if named.name.value in self.input_fields and value is not None:
            raise SchemaError(
                f"default value for input-object argument {node.name.value} is not supported"
            )
        return _hashable(value)

    def declare(self) -> None:
        """Enums, bare classes and unions: everything a field annotation may name."""
        definitions = self.api.document.definitions
        for d in definitions:
            if isinstance(d, EnumTypeDefinitionNode):
                values = [v.name.value for v in d.values or ()]
                py_enum = enum.Enum(d.name.value, [(v, v) for v in values])  # type: ignore[misc]
                self.enums[d.name.value] = strawberry.enum(
                    py_enum,
                    name=d.name.value,
                    description=d.description.value if d.description else None,
                )
        # Bare classes first (interfaces before objects, so they can be bases).
        for d in definitions:
            if isinstance(d, InterfaceTypeDefinitionNode | InputObjectTypeDefinitionNode):
                self.classes[d.name.value] = type(d.name.value, (), {"__annotations__": {}})
        for d in definitions:
            if isinstance(d, ObjectTypeDefinitionNode):
                bases = tuple(self.classes[i.name.value] for i in d.interfaces or ())
                self.classes[d.name.value] = type(d.name.value, bases, {"__annotations__": {}})
        for d in definitions:
            if isinstance(d, UnionTypeDefinitionNode):
                members = tuple(self.classes[t.name.value] for t in d.types or ())
                self.unions[d.name.value] = Annotated[
                    Union[members],  # noqa: UP007 — built at run time
                    strawberry.union(
                        d.name.value, description=d.description.value if d.description else None
                    ),
                ]

    def build(self) -> BuiltSchema:
        self.declare()
        definitions = self.api.document.definitions
        for d in definitions:
            if isinstance(d, InputObjectTypeDefinitionNode):
                self.input_type(d)
        for d in definitions:
            if isinstance(d, InterfaceTypeDefinitionNode | ObjectTypeDefinitionNode):
                self.output_type(d)
        schema = self.api.schema
        roots = {
            "query": schema.query_type,
            "mutation": schema.mutation_type,
            "subscription": schema.subscription_type,
        }
        strawberry_schema = _Schema(
            **{k: self.classes[v.name] for k, v in roots.items() if v is not None},
            types=[
                self.classes[d.name.value]
                for d in definitions
                if isinstance(d, ObjectTypeDefinitionNode)
            ],
            extensions=self.extensions,
            execution_context_class=SerialExecutionContext,
            config=StrawberryConfig(
                auto_camel_case=False,
                scalar_map=SCALAR_MAP,  # type: ignore[arg-type]
                default_resolver=_property,
                disable_field_suggestions=not self.field_suggestions,
            ),
        )
        return BuiltSchema(strawberry_schema, self.input_fields)

    def input_type(self, d: InputObjectTypeDefinitionNode) -> None:
        cls = self.classes[d.name.value]
        names: dict[str, str] = {}
        for f in d.fields or ():
            py = python_name(f.name.value, "f_")
            names[f.name.value] = py
            cls.__annotations__[py] = self.annotation(f.type)
            setattr(
                cls,
                py,
                strawberry.field(
                    name=f.name.value,
                    description=f.description.value if f.description else None,
                    default=self.default(f),
                    deprecation_reason=deprecation_reason(f.directives),
                ),
            )
        self.input_fields[d.name.value] = names
        strawberry.input(
            cls, name=d.name.value, description=d.description.value if d.description else None
        )

    def output_type(self, d: ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode) -> None:
        type_name = d.name.value
        cls = self.classes[type_name]
        subscription = self.api.schema.subscription_type
        is_subscription_type = subscription is not None and subscription.name == type_name
        for f in d.fields or ():
            self.output_field(cls, type_name, f, is_subscription_type)
        description = d.description.value if d.description else None
        directives = schema_directives(d.directives, type_name)
        if isinstance(d, InterfaceTypeDefinitionNode):
            strawberry.interface(
                cls, name=type_name, description=description, directives=directives
            )
        else:
            # AppSync resolves unions and interfaces by the `__typename` a resolver returns;
            # a value without one is taken for the field's declared type.
            cls.is_type_of = classmethod(
                lambda _cls, obj, _info, _name=type_name: _typename(obj) in (None, _name)
            )
            strawberry.type(cls, name=type_name, description=description, directives=directives)

    def output_field(
        self, cls: Any, type_name: str, f: FieldDefinitionNode, is_subscription: bool
    ) -> None:
        name = f.name.value
        annotation = self.annotation(f.type)
        arguments = {python_name(a.name.value, "a_"): a.name.value for a in f.arguments or ()}
        spec = FieldSpec(type_name, name, arguments, is_subscription)
        resolver = self.binder.resolver(spec)
        py = python_name(name)
        if resolver is None and (arguments or py != name):
            resolver = _parent_property(name)
        common: dict[str, Any] = {
            "name": name,
            "description": f.description.value if f.description else None,
            "directives": schema_directives(f.directives, f"{type_name}.{name}"),
            "deprecation_reason": deprecation_reason(f.directives),
        }
        cls.__annotations__[py] = annotation
        if resolver is None:
            setattr(cls, py, strawberry.field(**common))
            return
        parameters = [
            inspect.Parameter("root", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            inspect.Parameter(
                "info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=strawberry.Info
            ),
        ]
        for a in f.arguments or ():
            parameters.append(
                inspect.Parameter(
                    python_name(a.name.value, "a_"),
                    inspect.Parameter.KEYWORD_ONLY,
                    annotation=Annotated[
                        self.annotation(a.type),
                        strawberry.argument(
                            name=a.name.value,
                            description=a.description.value if a.description else None,
                        ),
                    ],
                    default=self.default(a),
                )
            )
        resolver.__signature__ = inspect.Signature(parameters, return_annotation=annotation)  # type: ignore[attr-defined]
        resolver.__annotations__ = {}
        make = strawberry.subscription if is_subscription else strawberry.field
        setattr(cls, py, make(resolver=resolver, graphql_type=annotation, **common))


class _Schema(strawberry.Schema):
    def process_errors(self, errors: Any, execution_context: Any = None) -> None:
        """Strawberry logs every GraphQL error with its stack; the engine logs what matters."""


def _typename(obj: Any) -> Any:
    return obj.get("__typename") if isinstance(obj, Mapping) else getattr(obj, "__typename", None)


def _property(obj: Any, name: str) -> Any:
    """AppSync's rule for a field without a resolver: the parent's property of that name."""
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def _parent_property(name: str) -> Callable[..., Any]:
    def resolve(root: Any, info: Any, **_arguments: Any) -> Any:
        return _property(root, name)

    return resolve


def build_schema(
    api: ApiDefinition,
    binder: FieldBinder,
    *,
    extensions: Sequence[Any] = (),
    field_suggestions: bool = True,
) -> BuiltSchema:
    """The Strawberry schema for `api`, its fields resolved as `binder` decides."""
    return _Builder(api, binder, extensions, field_suggestions).build()
