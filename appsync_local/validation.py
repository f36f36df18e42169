"""AppSync's words and shape for a document it refuses before running it.

AppSync (built on graphql-java) answers a document that does not validate with HTTP 200,
`data: null` and, per problem, an error of three members — no `errorType`:

    {"path": null, "locations": [{"line": 1, "column": 2, "sourceName": null}],
     "message": "Validation error of type FieldUndefined: Field 'badfield' in type 'Query' is
                 undefined @ 'badfield'"}

(the AppSync team's own description of its HTTP behaviour, graphql/graphql-over-http#81). The
message is graphql-java's: `Validation error of type <ValidationErrorType>: <description>`, then
` @ '<the fields down to it, joined by />'` when the problem sits inside a field. Variables
that do not coerce read `Variable 'id' has coerced Null value for NonNull type 'ID!'`
(awslabs/aws-mobile-appsync-sdk-js#83) — for a missing field of an input object too, naming
the variable and the field's type (aws/aws-appsync-community#406) — and `The variables input
contains a field that is not defined for input object type 'T' ` (#273).

graphql-core validates; this module says what it found in graphql-java's words. Each rule is
wrapped (`tagged`) so that its errors carry the rule's name; `appsync_message` rewrites by rule.
Problems graphql-java words differently from anything known (a wrong scalar in a variable) keep
graphql-core's detail behind AppSync's prefix (docs/LOCAL.md).
"""

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from graphql import (
    ArgumentNode,
    ASTValidationRule,
    BooleanValueNode,
    DocumentNode,
    EnumValueNode,
    FieldNode,
    FloatValueNode,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLSchema,
    IntValueNode,
    ListValueNode,
    Node,
    NullValueNode,
    ObjectValueNode,
    StringValueNode,
    VariableNode,
    Visitor,
    visit,
)

from appsync_local.validation_words import REWRITES, RULE_TYPES

__all__ = [
    "appsync_errors",
    "appsync_message",
    "document_error",
    "syntax_message",
    "tagged",
    "variable_message",
]

_RULE = "validationRule"  # the extension that names the rule behind an error


class _Tagging:
    """A rule's view of the validation context: what it reports carries the rule's name (rules
    report through their context, not always through `report_error`)."""

    def __init__(self, context: Any, rule: str) -> None:
        self._context = context
        self._rule = rule

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)

    def report_error(self, error: GraphQLError) -> None:
        error.extensions = {**(error.extensions or {}), _RULE: self._rule}
        self._context.report_error(error)


def tagged(rule: type[ASTValidationRule]) -> type[ASTValidationRule]:
    """`rule`, its errors carrying its name (read by `appsync_message`)."""
    name = rule.__name__

    def __init__(self: ASTValidationRule, context: Any) -> None:
        tagging: Any = _Tagging(context, name)  # stands in for the context (duck-typed)
        rule.__init__(self, tagging)

    return type(name, (rule,), {"__init__": __init__})


def document_error(message: str, error: GraphQLError | None = None) -> dict[str, Any]:
    """A refusal of the document, as AppSync shapes it: no errorType, path null."""
    locations = (
        [{"line": loc.line, "column": loc.column, "sourceName": None} for loc in error.locations]
        if error is not None and error.locations
        else None
    )
    return {"path": None, "locations": locations, "message": message}


class _Where(Visitor):
    """For each node of a document: the fields down to it, and the argument it is inside."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[str] = []
        self.argument: ArgumentNode | None = None
        self.found: dict[int, tuple[tuple[str, ...], ArgumentNode | None]] = {}

    def enter(self, node: Node, *_: Any) -> None:
        if isinstance(node, FieldNode):
            self.fields.append(node.name.value)
        elif isinstance(node, ArgumentNode):
            self.argument = node
        self.found[id(node)] = (tuple(self.fields), self.argument)

    def leave(self, node: Node, *_: Any) -> None:
        if isinstance(node, FieldNode):
            self.fields.pop()
        elif isinstance(node, ArgumentNode):
            self.argument = None


_JAVA_SCALARS: Mapping[type[Node], Callable[[Any], str]] = {
    IntValueNode: lambda n: f"IntValue{{value={n.value}}}",
    FloatValueNode: lambda n: f"FloatValue{{value={n.value}}}",
    StringValueNode: lambda n: f"StringValue{{value='{n.value}'}}",
    BooleanValueNode: lambda n: f"BooleanValue{{value={str(n.value).lower()}}}",
    EnumValueNode: lambda n: f"EnumValue{{name='{n.value}'}}",
    NullValueNode: lambda n: "NullValue{}",
    VariableNode: lambda n: f"VariableReference{{name='{n.name.value}'}}",
}


def java_value(node: Node) -> str:
    """A literal as graphql-java prints it in its messages (its AST classes' toString)."""
    scalar = _JAVA_SCALARS.get(type(node))
    if scalar is not None:
        return scalar(node)
    if isinstance(node, ListValueNode):
        return f"ArrayValue{{values=[{', '.join(java_value(v) for v in node.values)}]}}"
    if isinstance(node, ObjectValueNode):
        fields = ", ".join(
            f"ObjectField{{name='{f.name.value}', value={java_value(f.value)}}}"
            for f in node.fields
        )
        return f"ObjectValue{{objectFields=[{fields}]}}"
    return str(node)


def _wrong_value(error: GraphQLError, where: tuple[tuple[str, ...], ArgumentNode | None]) -> str:
    """graphql-java's WrongType description for a literal argument that does not fit."""
    argument = where[1]
    if argument is None:
        return error.message.rstrip(".")
    value = java_value(argument.value)
    name = argument.name.value
    missing = re.search(r"to include required field '(\w+)'", error.message)
    if missing:
        return f"argument '{name}' with value '{value}' is missing required fields '[{missing[1]}]'"
    if "not to be None" in error.message:
        return f"argument '{name}' with value '{value}' must not be null"
    expected = re.search(r"(?:type|in) '(\w+)'|^(\w+) cannot represent", error.message)
    type_name = (expected[1] or expected[2]) if expected else "?"
    unknown = re.search(r"type '(\w+)' not to include unknown field '(\w+)'", error.message)
    if unknown:
        return (
            f"argument '{name}' with value '{value}' contains a field not in "
            f"'{unknown[1]}': '{unknown[2]}'"
        )
    return f"argument '{name}' with value '{value}' is not a valid '{type_name}'"


_Places = Mapping[int, tuple[tuple[str, ...], ArgumentNode | None]]


def places(document: DocumentNode) -> _Places:
    """For each node of `document` (by id): the fields down to it, the argument it is in."""
    finder = _Where()
    visit(document, finder)
    return finder.found


def appsync_message(error: GraphQLError, where_in: _Places, query_type: str = "Query") -> str:
    """A validation error of graphql-core in graphql-java's words, as AppSync words it;
    `where_in`: the document's `places`."""
    rule = (error.extensions or {}).get(_RULE)
    nodes = error.nodes or []
    where = where_in.get(id(nodes[0]), ((), None)) if nodes else ((), None)
    kind = RULE_TYPES.get(str(rule), "")
    description = error.message.rstrip(".")
    for pattern, error_type, template in REWRITES.get(str(rule), ()):
        found = re.search(pattern, error.message)
        if found:
            kind = error_type
            description = template.format(*found.groups(), type=query_type)
            break
    if rule == "ValuesOfCorrectTypeRule":
        description = _wrong_value(error, where)
    if not kind:
        return error.message
    path = where[0]
    suffix = f" @ '{'/'.join(path)}'" if path else ""
    return f"Validation error of type {kind}: {description}{suffix}"


def appsync_errors(
    errors: Sequence[GraphQLError], document: DocumentNode, query_type: str = "Query"
) -> tuple[GraphQLError, ...]:
    """graphql-core's validation errors as AppSync reports them: reworded; for introspection
    turned off, only `__schema` and `__type` themselves (graphql-java does not look inside a
    field it does not know), not every field under them."""
    kept = [
        e
        for e in errors
        if (e.extensions or {}).get(_RULE) != "NoSchemaIntrospectionCustomRule"
        or re.search(r"field '__(schema|type)'", e.message)
    ]
    out: dict[str, GraphQLError] = {}  # one per message (a list's bad items are one problem)
    where_in = places(document) if kept else {}
    for e in kept:
        message = appsync_message(e, where_in, query_type)
        out.setdefault(message, GraphQLError(message, nodes=e.nodes, extensions=e.extensions))
    return tuple(out.values())


def syntax_message(error: GraphQLError) -> str:
    """graphql-java's words for a document that does not parse."""
    found = re.search(r"found (.+?)\.?$", error.message)
    location = error.locations[0] if error.locations else None
    if found and location is not None:
        token = found[1].strip("'\"")
        return (
            f"Invalid Syntax : offending token '{token}' at line {location.line} "
            f"column {location.column}"
        )
    return f"Invalid Syntax : {error.message.removeprefix('Syntax Error: ')}"


def variable_message(error: GraphQLError, schema: GraphQLSchema) -> str:
    """graphql-java's words for a variable that does not coerce (see the module's docstring)."""
    found = re.match(r"Variable '\$(\w+)' has invalid value(?: at [^:]*)?: (.*)$", error.message)
    if not found:
        return error.message
    name, detail = found[1], found[2]
    non_null = re.search(r"non-null type '([^']+)'", detail)
    if non_null:
        return f"Variable '{name}' has coerced Null value for NonNull type '{non_null[1]}'"
    required = re.search(r"type '(\w+)' to include required field '(\w+)'", detail)
    if required:
        input_type = schema.get_type(required[1])
        if isinstance(input_type, GraphQLInputObjectType) and required[2] in input_type.fields:
            field_type = input_type.fields[required[2]].type
            return f"Variable '{name}' has coerced Null value for NonNull type '{field_type}'"
    unknown = re.search(r"type '(\w+)' not to include unknown field", detail)
    if unknown:
        return (
            "The variables input contains a field that is not defined for input object type "
            f"'{unknown[1]}' "
        )
    return f"Variable '{name}' has an invalid value: {detail}"
