"""Hand-overs end to end (/transfer ALIAS): the conversation moves only when the other peer
presses Accept; the new peer is shown the history and the first peer's case notes, messages then
flow between the responder and the new peer, the responder learns only the new alias and never
sees a note; a declined offer moves nothing."""

from __future__ import annotations

import json

from .harness import (
    WAIT,
    BotProcess,
    answers,
    claim,
    go_on_call,
    open_request,
    peer,
    quiet,
    register,
    responder,
    sent_to,
    shown_text,
    texts,
    wait_for_answer,
)

FIRST = "Saffron culvert call last week, the one with the kids."
NOTE = "Juniper ledger: prefers short messages, mentioned the EAP once."
FIRST_REPLY = "I'm here. Take all the time you need."


def test_an_accepted_transfer_moves_the_conversation(bot: BotProcess) -> None:
    emu = bot.emu
    avery = register(peer(emu, 2001, "Avery"))
    blair = register(peer(emu, 2002, "Blair"))
    rowan = responder(emu, 918273711, "Rowanne", "rowanne_t")

    code = open_request(rowan, FIRST)
    claim(avery, code)
    rowan.wait_for(r"Avery from the Peer Support Team has joined", timeout=WAIT)
    at = len(rowan.inbox())
    avery.private.say(FIRST_REPLY)
    rowan.wait_for(FIRST_REPLY, timeout=WAIT, after=at)
    at = len(avery.private.inbox())
    avery.private.command(f"/note {NOTE}")
    avery.private.wait_for(rf"^Note kept for {code}", timeout=WAIT, after=at)

    # Blair is not on call yet: refused; then on call, offered (the alias in any case).
    at = len(avery.private.inbox())
    avery.private.command("/transfer blair")
    avery.private.wait_for(r"^Blair is not on call now", timeout=WAIT, after=at)
    go_on_call(blair)
    at, offer_at = len(avery.private.inbox()), len(blair.private.inbox())
    avery.private.command("/transfer blair")
    avery.private.wait_for(rf"^{code} is offered to Blair\.", timeout=WAIT, after=at)
    offer = blair.private.wait_for(rf"Avery asks you to take over conversation {code}",
                                   timeout=WAIT, after=offer_at)
    assert FIRST not in offer["text"] and NOTE not in offer["text"]

    # Until Blair accepts, the conversation is Avery's.
    at = len(avery.private.inbox())
    rowan.say("Are you still there?")
    avery.private.wait_for(r"Are you still there\?", timeout=WAIT, after=at)

    briefing_at, rowan_at = len(blair.private.inbox()), len(rowan.inbox())
    avery_at, answered = len(avery.private.inbox()), len(answers(emu))
    blair.private.press(r"^Accept$")
    wait_for_answer(emu, rf"^{code} is yours now\.$", after=answered)
    blair.private.wait_for(rf"goes to the responder of {code}, signed Blair", timeout=WAIT,
                           after=briefing_at)
    briefing = texts(blair.private)[briefing_at:]
    assert any(t.startswith(f"Avery has handed {code} over to you.") for t in briefing)
    joined = "\n".join(briefing)
    assert f"{code}: {FIRST}" in joined and f"Avery: {FIRST_REPLY}" in joined
    assert "Are you still there?" in joined and NOTE in joined
    told = rowan.wait_for(r"Your conversation continues with Blair from the Peer Support Team",
                          timeout=WAIT, after=rowan_at)
    assert "Avery" not in told["text"]
    avery.private.wait_for(rf"^Blair has taken over {code}\.", timeout=WAIT, after=avery_at)

    # Messages now flow between Rowan and Blair, both ways; Avery's go nowhere.
    at = len(blair.private.inbox())
    rowan.say("Thank you for staying with me.")
    blair.private.wait_for(r"Thank you for staying with me\.", timeout=WAIT, after=at)
    at = len(rowan.inbox())
    blair.private.say("Hi, Blair here. I've read everything.")
    rowan.wait_for(r"Blair here\. I've read everything\.", timeout=WAIT, after=at)
    at = len(avery.private.inbox())
    avery.private.say("One last thing from me")
    avery.private.wait_for(r"You have no open conversation", timeout=WAIT, after=at)
    quiet()
    assert not any("Thank you for staying" in t for t in texts(avery.private))

    # The responder never saw the note, nor the group; the audit log has the facts only.
    to_rowan = shown_text(sent_to(emu, rowan.id)) + json.dumps(rowan.inbox())
    for text in (NOTE, "Juniper", "One last thing from me", str(avery.id)):
        assert text not in to_rowan, text
    assert NOTE not in json.dumps(avery.group.inbox())
    assert bot.db_rows("SELECT action, actor_id, detail FROM audit WHERE action LIKE "
                       "'transfer%' ORDER BY id") == [
        ("transfer_offered", avery.id, f"peer:{blair.id}"),
        ("transfer_accepted", blair.id, f"peer:{avery.id}")]
    assert bot.db_rows("SELECT peer_id, transfer_to FROM requests WHERE code = ?",
                       code) == [(blair.id, None)]
    assert bot.stop() == 0
    log = bot.log_text()
    assert f"request {code} handed over" in log
    for text in (NOTE, FIRST, "Thank you for staying"):
        assert text not in log, text


def test_a_declined_transfer_moves_nothing(bot: BotProcess) -> None:
    emu = bot.emu
    avery = register(peer(emu, 2001, "Avery"))
    blair = register(peer(emu, 2002, "Blair"), on_call=True)
    rowan = responder(emu, 918273712, "Rowanne", "rowanne_d")

    code = open_request(rowan, FIRST)
    claim(avery, code)
    rowan.wait_for(r"Avery from the Peer Support Team has joined", timeout=WAIT)
    at, offer_at = len(avery.private.inbox()), len(blair.private.inbox())
    avery.private.command("/transfer Blair")
    avery.private.wait_for(rf"^{code} is offered to Blair\.", timeout=WAIT, after=at)
    blair.private.wait_for(r"asks you to take over", timeout=WAIT, after=offer_at)

    at, rowan_at = len(avery.private.inbox()), len(rowan.inbox())
    blair_at = len(blair.private.inbox())
    blair.private.press(r"^Decline$")
    avery.private.wait_for(rf"^Blair declined {code}\. The conversation stays with you\.",
                           timeout=WAIT, after=at)
    blair.private.wait_for(rf"^You declined {code}", timeout=WAIT, after=blair_at)

    # Nothing moved: the responder heard nothing, and messages still go to Avery.
    at = len(avery.private.inbox())
    rowan.say("Hello again.")
    avery.private.wait_for(r"Hello again\.", timeout=WAIT, after=at)
    quiet()
    assert len(rowan.inbox()) == rowan_at
    assert not any("Hello again." in t for t in texts(blair.private))
    assert bot.db_rows("SELECT action FROM audit WHERE action LIKE 'transfer%' "
                       "ORDER BY id") == [("transfer_offered",), ("transfer_declined",)]
    assert bot.db_rows("SELECT peer_id, transfer_to FROM requests WHERE code = ?",
                       code) == [(avery.id, None)]
