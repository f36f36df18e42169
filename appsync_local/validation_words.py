"""graphql-core's validation messages (3.3) and graphql-java's for the same problems.

Per graphql-core rule: (a pattern of its message, graphql-java's `ValidationErrorType`, the
description graphql-java gives, its `{n}` filled from the pattern's groups and `{type}` with the
query type's name). Read by `validation.appsync_message`; AppSync words its refusals as
graphql-java does (docs/LOCAL.md).
"""

from collections.abc import Mapping, Sequence

__all__ = ["REWRITES", "RULE_TYPES"]

# graphql-core's wording (3.3) → graphql-java's (ValidationErrorType, description).
_NAME = r"'([^']*)'"
REWRITES: Mapping[str, Sequence[tuple[str, str, str]]] = {
    "FieldsOnCorrectTypeRule": [
        (
            rf"Cannot query field {_NAME} on type {_NAME}",
            "FieldUndefined",
            "Field '{0}' in type '{1}' is undefined",
        ),
    ],
    "NoSchemaIntrospectionCustomRule": [  # AppSync: the introspection fields do not exist
        (
            rf"contained the field {_NAME}",
            "FieldUndefined",
            "Field '{0}' in type '{type}' is undefined",
        ),
    ],
    "KnownArgumentNamesRule": [
        (rf"Unknown argument {_NAME} on field", "UnknownArgument", "Unknown field argument {0}"),
        (
            rf"Unknown argument {_NAME} on directive",
            "UnknownDirective",
            "Unknown directive argument {0}",
        ),
    ],
    "ProvidedRequiredArgumentsRule": [
        (
            r"Argument '@[^(]*\((\w+):\)'",
            "MissingDirectiveArgument",
            "Missing directive argument {0}",
        ),
        (r"Argument '[^(]*\((\w+):\)'", "MissingFieldArgument", "Missing field argument {0}"),
    ],
    "ScalarLeafsRule": [
        (
            rf"Field {_NAME} of type {_NAME} must have a selection",
            "SubSelectionRequired",
            "Sub selection required for type {1} of field {0}",
        ),
        (
            rf"Field {_NAME} must not have a selection since type {_NAME}",
            "SubSelectionNotAllowed",
            "Sub selection not allowed on leaf type {1} of field {0}",
        ),
    ],
    "KnownTypeNamesRule": [(rf"Unknown type {_NAME}", "UnknownType", "Unknown type {0}")],
    "NoUndefinedVariablesRule": [
        (r"Variable '\$(\w+)' is not defined", "UndefinedVariable", "Undefined variable {0}"),
    ],
    "NoUnusedVariablesRule": [
        (r"Variable '\$(\w+)' is never used", "UnusedVariable", "Unused variable {0}"),
    ],
    "NoUnusedFragmentsRule": [
        (rf"Fragment {_NAME} is never used", "UnusedFragment", "Unused fragment {0}"),
    ],
    "KnownFragmentNamesRule": [
        (rf"Unknown fragment {_NAME}", "UndefinedFragment", "Undefined fragment {0}"),
    ],
    "KnownDirectivesRule": [
        (r"Unknown directive '@(\w+)'", "UnknownDirective", "Unknown directive {0}"),
        (
            r"Directive '@(\w+)' may not be used",
            "MisplacedDirective",
            "Directive {0} not allowed here",
        ),
    ],
    "VariablesInAllowedPositionRule": [
        (
            rf"Variable '\$\w+' of type {_NAME} used in position expecting type {_NAME}",
            "VariableTypeMismatch",
            "Variable type '{0}' doesn't match expected type '{1}'",
        ),
    ],
    "VariablesAreInputTypesRule": [
        (
            r"Variable '\$(\w+)' cannot be non-input",
            "NonInputTypeOnVariable",
            "Wrong type for a variable",
        ),
    ],
    "UniqueArgumentNamesRule": [
        (
            rf"only one argument named {_NAME}",
            "DuplicateArgumentNames",
            "There can be only one argument named '{0}'",
        ),
    ],
    "UniqueOperationNamesRule": [
        (
            rf"only one operation named {_NAME}",
            "DuplicateOperationName",
            "There can be only one operation named '{0}'",
        ),
    ],
    "UniqueFragmentNamesRule": [
        (
            rf"only one fragment named {_NAME}",
            "DuplicateFragmentName",
            "There can be only one fragment named '{0}'",
        ),
    ],
    "UniqueVariableNamesRule": [
        (
            r"only one variable named '\$(\w+)'",
            "DuplicateVariableName",
            "There can be only one variable named '{0}'",
        ),
    ],
    "LoneAnonymousOperationRule": [
        (
            r"anonymous operation",
            "LoneAnonymousOperationViolation",
            "Anonymous operation with other operations.",
        ),
    ],
    "NoFragmentCyclesRule": [(r"Cannot spread", "FragmentCycle", "Fragment cycles not allowed")],
    "PossibleFragmentSpreadsRule": [
        (r"^(Fragment .*)\.$", "InvalidFragmentType", "{0}"),
    ],
    "FragmentsOnCompositeTypesRule": [
        (
            r"^Fragment '",
            "FragmentTypeConditionInvalid",
            "Fragment type condition is invalid, must be on Object/Interface/Union",
        ),
        (
            r"^Fragment cannot",
            "InlineFragmentTypeConditionInvalid",
            "Inline fragment type condition is invalid, must be on Object/Interface/Union",
        ),
    ],
    "OverlappingFieldsCanBeMergedRule": [(r"^Fields (.*)\.$", "FieldsConflict", "{0}")],
    "SingleFieldSubscriptionsRule": [
        (r"^(.*)\.$", "SubscriptionMultipleRootFields", "{0}"),
    ],
    "ExecutableDefinitionsRule": [(r"^(.*)\.$", "NonExecutableDefinition", "{0}")],
}
RULE_TYPES: Mapping[
    str, str
] = {  # rules without a rewrite: graphql-java's type, graphql-core's description
    "ValuesOfCorrectTypeRule": "WrongType",
    "UniqueDirectivesPerLocationRule": "DuplicateDirectiveName",
    "UniqueInputFieldNamesRule": "WrongType",
    "KnownOperationTypesRule": "UnknownOperation",
}
