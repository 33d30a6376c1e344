"""A request from first message to last: intake, the card and the claim, the relay between
responder and peer, sending again, digests of what waits, and closing.
"""
