"""The Lambda entry points AppSync invokes. Thin: event in, `retro` call, result out.

- `resolvers.read.handler`: queries, nested fields, subscribe-time checks (read-only role)
- `resolvers.write.handler`: mutations
- `resolvers.authorizer.handler`: the AWS_LAMBDA authorizer (token → user id)

`schema/resolvers.json` says which field goes to which function; a test holds the three sets —
that file, the keys registered here and the SDL's fields that need a resolver — equal.
"""
