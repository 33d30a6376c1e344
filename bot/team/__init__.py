"""The peers: who is on the team and their alias, who is on call until when, and what happens
when a peer leaves the group.
"""
