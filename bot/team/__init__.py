"""The peers: who is on the team and the alias responders see, who is on call until when, and
what happens when a peer leaves the group.

    members.py     registration, aliases, the peer's menu
    roster.py      on call and off call, agencies, who may be told of a request
    departures.py  peers who left the group: their conversations go back to the queue
"""
