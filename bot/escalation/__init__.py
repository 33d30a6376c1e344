"""What happens when nobody answers: the ladder of an unclaimed request, the follow-ups of a
claimed one, and the sweep that re-arms both from the database.

    ladder.py    the steps of ESCALATION_SCHEDULE: who is told what, and when
    followup.py  a peer who has not written (reminded, then released) and a quiet conversation
    sweep.py     start-up and the periodic sweep: the database is the truth, timers wake us
A new escalation step: what it does in ladder.py (STEPS and the step's messages), its delay in
ESCALATION_SCHEDULE (parsed in platform/settings.py).
"""
