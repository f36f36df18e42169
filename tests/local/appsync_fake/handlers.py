"""Handlers of the fake API (schema.graphql beside this file), written as Lambda handlers are.

They keep their data in memory and record every event they receive, so tests can look at
exactly what the local server sent (the server imports this module by name, like AppSync
finds a Lambda; tests import the same module object).
"""

import datetime
import itertools
import threading
import time
from typing import Any

from graphql import FieldNode, InlineFragmentNode, SelectionSetNode, parse, value_from_ast

EVENTS: list[Any] = []
AUTHORIZER_EVENTS: list[dict[str, Any]] = []
_lock = threading.Lock()
_ids = itertools.count(1)

SHELVES: dict[str, dict[str, Any]] = {}
ITEMS: dict[str, list[dict[str, Any]]] = {}


class NotFound(Exception):
    pass


class Forbidden(Exception):
    pass


class UnauthorizedException(Exception):
    pass


def reset() -> None:
    with _lock:
        EVENTS.clear()
        AUTHORIZER_EVENTS.clear()
        SHELVES.clear()
        ITEMS.clear()
        for sid, name in (("s1", "Kitchen"), ("s2", "Garage"), ("s3", "Attic")):
            SHELVES[sid] = {"id": sid, "name": name, "secret": f"secret of {name}"}
            ITEMS[sid] = []


reset()


def _find_field(selection: SelectionSetNode, name: str) -> FieldNode | None:
    for node in selection.selections:
        if isinstance(node, FieldNode) and node.name.value == name:
            return node
        if isinstance(node, InlineFragmentNode):
            found = _find_field(node.selection_set, name)
            if found is not None:
                return found
    return None


def _items_color(event: dict[str, Any]) -> str | None:
    """The `color` argument of the selected `items` field, read from selectionSetGraphQL."""
    text = event["info"]["selectionSetGraphQL"]
    if not text:
        return None
    operation = parse(text).definitions[0]
    items = _find_field(operation.selection_set, "items")  # type: ignore[attr-defined]
    for argument in (items.arguments if items else ()) or ():
        if argument.name.value == "color":
            from graphql import GraphQLEnumType, GraphQLEnumValue

            color = GraphQLEnumType(
                "Color", {c: GraphQLEnumValue(c) for c in ("RED", "GREEN", "BLUE")}
            )
            return value_from_ast(argument.value, color, event["info"]["variables"])  # type: ignore[no-any-return]
    return None


def _shelf(sid: str, event: dict[str, Any]) -> dict[str, Any] | None:
    shelf = SHELVES.get(sid)
    if shelf is None:
        return None
    color = _items_color(event)
    items = [i for i in ITEMS[sid] if color is None or i["color"] == color]
    return {**shelf, "items": items}


def _one(event: dict[str, Any]) -> Any:
    info = event["info"]
    key = f"{info['parentTypeName']}.{info['fieldName']}"
    args = event["arguments"]
    if key == "Query.shelf":
        return _shelf(args["id"], event)
    if key == "Query.depth":
        return _shelf("s1", event)
    if key == "Query.shelves":
        return [_shelf(sid, event) for sid in args["ids"]]
    if key == "Query.whoami":
        return {"userId": event["identity"]["resolverContext"]["userId"]}
    if key == "Query.echo":
        return event
    if key == "Query.defaultModeOnly":
        return "default mode"
    if key == "Query.things":
        return [
            {"__typename": "Gadget", "id": "g1", "gears": 3},
            {
                "__typename": "Item",
                "id": "i0",
                "shelfId": "s1",
                "label": "cup",
                "createdAt": "2024-01-02T03:04:05Z",
                "color": "RED",
            },
        ]
    if key == "Query.fail":
        kind = args["kind"]
        if kind == "notfound":
            raise NotFound("shelf s9 not found")
        if kind == "unauthorized":
            raise UnauthorizedException("a detail AppSync does not show")
        if kind == "marshal":
            return {"when": datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)}
        raise KeyError("crash inside the handler")
    if key == "Mutation.addItem":
        data = args["input"]
        if data["shelfId"] not in SHELVES:
            raise NotFound(f"shelf {data['shelfId']} not found")
        item = {
            "id": f"i{next(_ids)}",
            "shelfId": data["shelfId"],
            "color": data.get("color"),
            "label": data["label"],
            "createdAt": "2024-01-02T03:04:05.123Z",
            "meta": data.get("meta"),
            "tags": data.get("tags"),
            "from": "fake",
        }
        with _lock:
            ITEMS[data["shelfId"]].append(item)
        return item
    if key == "Mutation.removeItem":
        with _lock:
            for item in ITEMS.get(args["shelfId"], []):
                if item["id"] == args["id"]:
                    ITEMS[args["shelfId"]].remove(item)
                    return item
        raise NotFound(f"item {args['id']} not found")
    if key == "Mutation.wait":
        time.sleep(args["seconds"])
        return args["seconds"]
    raise NotFound(f"no resolver for {key}")


def _stats(event: dict[str, Any]) -> dict[str, Any]:
    sid = event["source"]["id"]
    if sid == "s3":
        return {
            "data": None,
            "errorMessage": "no stats for the attic",
            "errorType": "StatsUnavailable",
        }
    return {"data": {"count": len(ITEMS[sid]), "shelfId": sid}}


def handler(event: Any, context: Any) -> Any:
    assert context.function_name == "main"
    EVENTS.append(event)
    if isinstance(event, list):
        return [_stats(e) for e in event]
    return _one(event)


def guard(event: dict[str, Any], context: Any) -> None:
    EVENTS.append(event)
    if event["arguments"].get("shelfId") == "forbidden":
        raise Forbidden("you may not watch shelf forbidden")


def authorizer(event: dict[str, Any], context: Any) -> dict[str, Any]:
    AUTHORIZER_EVENTS.append(event)
    token = event["authorizationToken"]
    kind, _, user = token.partition("-")
    if kind == "user":
        return {"isAuthorized": True, "resolverContext": {"userId": user}}
    if kind == "nosecret":
        return {
            "isAuthorized": True,
            "resolverContext": {"userId": user},
            "deniedFields": ["Shelf.secret"],
        }
    if kind == "arn":
        return {
            "isAuthorized": True,
            "resolverContext": {"userId": user},
            "deniedFields": [
                "arn:aws:appsync:us-east-1:000000000000:apis/local/types/Shelf/fields/secret"
            ],
        }
    if kind == "slow":  # "slow-<seconds>": answers yes after that long, never cached
        time.sleep(float(user))
        return {"isAuthorized": True, "resolverContext": {"userId": "slow"}, "ttlOverride": 0}
    if kind == "nocache":
        return {"isAuthorized": True, "resolverContext": {"userId": user}, "ttlOverride": 0}
    if kind == "crash":
        raise RuntimeError("authorizer bug")
    return {"isAuthorized": False}
