"""Retro's runtime: models, services, the single-table store, errors, settings, ids.

This package (with `resolvers/`) is what ships to Lambda. Data flows one way: AppSync (or the
local AppSync) → resolvers → retro.services → retro.store → DynamoDB; `make lint` holds the
layers to it.
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
