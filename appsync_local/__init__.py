"""The local AppSync: AppSync's behaviour on Strawberry, for any AppSync SDL + resolver map.

`retro serve` (`retro_tools.serve`) runs it. It reads an API definition as the cloud does (an
SDL and a resolver map such as `schema/schema.graphql` and `schema/resolvers.json`), builds an
executable Strawberry schema from the SDL at start-up, and calls the configured Python handlers
with the very events AppSync's direct Lambda resolvers send. Nothing here knows Retro: the
application's specifics (its database, seed data) come in through `ServerOptions`, and
`make lint` forbids any import of Retro's packages (tests/local/appsync_fake runs it on an API
that is not Retro's).

Modules, one concept each:
- `sdl`: the SDL as AppSync reads it (scalars and directives pre-declared, auth rules).
- `scalars`: AppSync's AWS* scalars.
- `directives`: AppSync's directives on the Strawberry schema (printed, never declared).
- `config`: `resolvers.json` and the handlers it names.
- `builder`: the Strawberry schema built from the SDL, each field resolved as a binder says.
- `binder`: what each field does (a handler call, the parent's property, a subscription),
  and the request's context its resolvers read.
- `field_nodes`: the nodes of the field being resolved, from the operation and the path.
- `events`: AppSync's direct Lambda event (arguments, info.selectionSet*, identity...).
- `invoke`: calling handlers like AppSync calls Lambdas, batching included.
- `auth`: API_KEY and AWS_LAMBDA modes, the authorizer and its cache, `@aws_*` rules.
- `nonnull`: nulls where the schema says non-null, caught where the value is produced.
- `errors`: AppSync's error shape, errors told apart by class.
- `pubsub`: `@aws_subscribe` fan-out with AppSync's argument filters.
- `documents`: a request's document parsed, bounded (tokens, fields) and validated, in worker
  threads, before anything runs.
- `serial`: a mutation's root fields run one after another, in a loop.
- `engine`: one place that executes operations for every transport.
- `http`, `realtime`, `transport_ws`: the HTTP endpoint and the two WebSocket protocols;
  `realtime_messages`, `transport_ws_messages`: each protocol's messages, typed.
- `app`, `server`: the process around it (the application's backend is plugged in).
"""

__all__: list[str] = []
