"""Handlers: thin adapters from Telegram updates to the core, one module per audience."""
