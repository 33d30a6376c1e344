"""Benchmarks: what the bot costs and how it behaves under load, measured in one run.

`python -m bench` runs five measurements side by side and prints a table, then one
`name: value` line per figure (see `bench/__main__.py`):

- `relay`: the per-update cost of relaying a responder's message to the claiming peer against
  a bare python-telegram-bot echo handler, both on an instant offline Bot API;
- `startup`: the real bot process starting on a database with 10,000 open requests;
- `escalation`: how late 200 escalation steps run with 10,000 ladder timers pending;
- `claims`: 50 concurrent claims of one request, 100 times;
- `burst`: 500 requests in 60 s against the Bot API emulator with its flood limits on.

The machines this runs on are noisy: each figure is a median or a ratio of medians taken in
the same run, never a single time. Nothing here is a test: nothing asserts a time.
"""
