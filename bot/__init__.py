"""Peer Support Bot: the core (settings, application, request lifecycle, relay, outbox)."""
