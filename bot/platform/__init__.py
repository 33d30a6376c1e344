"""The platform every feature stands on: settings, services, the way in (inbox) and the way out
(outbox), timers, languages, guards and the small typed values handlers and the core trade.
"""
