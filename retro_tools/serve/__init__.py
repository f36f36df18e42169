"""`retro serve`: the local AppSync with Retro's API, on an embedded DynamoDB.

- `command`: the command line options and the run.
- `stack`: what the emulator gets from Retro — schema, client, the DynamoDB backend, the demo.
- `dynamodb`, `moto_atomic`, `moto_rollback`: moto's DynamoDB server, made atomic per request
  and all-or-nothing per transaction, as DynamoDB is.
- `demo`: the demo board, made through the API itself.
"""

__all__: list[str] = []
