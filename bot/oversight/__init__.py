"""What coordinators see, in their private chat: aggregate numbers and the roster, never an
identity.

    tools.py  /stats, /export, /roster, /peers, /removepeer, /audit
    stats.py  the numbers of a period, small counts blurred; chart.py, the /stats chart
A new coordinator view: its use case in tools.py (guarded by guards.coordinators_only), its
handler in handlers/coordinators.py, its menu entry in bot/platform/commands.py.
"""
