"""Retro: the shared package — models, the single-table store, services, errors, settings, CLI.

Data flows one way: resolvers (or retro.local) → retro.services → retro.store → DynamoDB.
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
