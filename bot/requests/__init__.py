"""A request from first message to last: a responder's intake, the card and the claim, the relay
between responder and peer, Send again, digests of what waits, and closing.

    intake.py   the welcome, the one-tap questions, opening the request
    cards.py    the card in the peer group and the claim notices; render.py, their texts
    claims.py   claiming from a card: atomic, first peer wins
    relay.py    messages between a responder and their peer, through the bot
    content.py  what a person sent, reduced to what may be relayed
    resend.py   Send again, for a relayed message a stall may have lost
    digest.py   one edited message listing new requests while a chat is near its flood limit
    closing.py  /end, /close and the feedback tap
    notes.py    /note and /notes: the team's private case notes, shown to the next claimer
    snippets.py /snippets: saved replies (SNIPPETS_FILE, read by snippets_file.py) sent as
                if the peer had written them
A new responder command: its use case here, its handler in handlers/responder.py, its menu
entry in bot/platform/commands.py.
"""
