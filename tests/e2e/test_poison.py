"""An update python-telegram-bot cannot parse (a message whose `date` is not a number) used to
stop the bot at every start, with every message queued behind it waiting. Now it is set aside:
the bot goes on, a restart goes on, and coordinators see how many, in polling and webhook mode.
"""

from __future__ import annotations

import json
import urllib.request

from .harness import WAIT, BotProcess, StartBot, free_port, responder, wait_until

COORDINATOR = 7301
SET_ASIDE = r"set aside \(see the log by update id\): 1"


def _stats_say_one_set_aside(bot: BotProcess) -> None:
    casey = bot.emu.user(COORDINATOR, "Casey")
    casey.command("/stats")
    casey.wait_for(SET_ASIDE, timeout=WAIT)


def test_polling_sets_a_poison_update_aside_and_goes_on_after_a_restart(
        start_bot: StartBot) -> None:
    bot = start_bot(COORDINATOR_IDS=str(COORDINATOR))
    mallory = responder(bot.emu, 918273650, "Mallory")
    mallory.send(text="this update cannot be parsed", date="notanint")
    alex = responder(bot.emu, 918273651, "Alex")
    alex.command("/start")  # queued behind it
    alex.wait_for(r"thank you for reaching out", timeout=WAIT)
    wait_until(lambda: "set aside" in bot.log_text(), "the poison update to be set aside")
    assert "this update cannot be parsed" not in bot.log_text()
    _stats_say_one_set_aside(bot)

    bot.stop()
    bot.start()  # the bad update is not met again
    blake = responder(bot.emu, 918273652, "Blake")
    blake.command("/start")
    blake.wait_for(r"thank you for reaching out", timeout=WAIT)
    _stats_say_one_set_aside(bot)


def _post(url: str, body: dict[str, object], secret: str) -> int:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={
        "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret})
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.status)


def test_a_webhook_sets_a_poison_update_aside_and_goes_on_after_a_restart(
        start_bot: StartBot) -> None:
    port, secret = free_port(), "poison-webhook-secret-1"
    url = f"http://127.0.0.1:{port}/hook"
    bot = start_bot(WEBHOOK_URL=url, WEBHOOK_PORT=str(port), WEBHOOK_SECRET=secret,
                    COORDINATOR_IDS=str(COORDINATOR))
    wait_until(lambda: "receiving updates by webhook" in bot.log_text(), "the webhook server")
    poison = {"update_id": 555000222, "message": {
        "message_id": 9, "date": "notanint", "text": "cannot be parsed",
        "chat": {"id": 918273653, "type": "private", "first_name": "Mallory"},
        "from": {"id": 918273653, "is_bot": False, "first_name": "Mallory"}}}
    assert _post(url, poison, secret) == 200  # stored; Telegram does not send it again
    wait_until(lambda: "set aside" in bot.log_text(), "the poison update to be set aside")
    _stats_say_one_set_aside(bot)

    bot.stop()
    bot.start()
    wait_until(lambda: bot.log_text().count("receiving updates by webhook") == 2,
               "the webhook server after the restart")
    dana = responder(bot.emu, 918273654, "Dana")
    dana.command("/start")
    dana.wait_for(r"thank you for reaching out", timeout=WAIT)
    _stats_say_one_set_aside(bot)
