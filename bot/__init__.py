"""Peer Support Bot. The top of the house: `__main__` (the command line), `runner` (updates in
by long polling or webhook, a clean stop) and `app` (every handler registered, in order).

The rooms below it, each a folder: platform/ (what every feature stands on), requests/ (a
request from first message to last), escalation/ (when nobody answers), team/ (peers and who is
on call), safety/ (risk, resources, forgetting), oversight/ (what coordinators see). Handlers
(handlers/) adapt Telegram updates to them; storage/ keeps what they need, sealed.
"""
