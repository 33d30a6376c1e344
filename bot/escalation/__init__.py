"""What happens when nobody answers: the ladder of an unclaimed request, the follow-ups of a
claimed one, and the sweep that re-arms both from the database.
"""
