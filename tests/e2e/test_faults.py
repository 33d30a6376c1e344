"""Nothing lost, nothing duplicated: crashes at the worst moments, a second instance (refused
on SQLite, standing by on PostgreSQL), and the webhook's secret. The bot is the real process;
crashes are real process deaths (os._exit at a named point, armed by the test-only
PEER_SUPPORT_FAULT), not simulations."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from .harness import (
    WAIT,
    BotProcess,
    Peer,
    StartBot,
    User,
    free_port,
    quiet,
    responder,
    start_conversation,
    stop_process,
    texts,
    wait_until,
)

FAULT_EXIT = 70


def _conversation(bot: BotProcess) -> tuple[Peer, User, str]:
    c = start_conversation(bot, "First words.")
    return c.peer, c.responder, c.code


def _restart(bot: BotProcess, **env: str) -> None:
    bot.stop()
    bot.extra_env = env
    bot.start()


def _wait_for_exit(bot: BotProcess, timeout: float = WAIT) -> int:
    assert bot.process is not None
    return bot.process.wait(timeout)


def _inbox_rows(bot: BotProcess) -> int:
    return bot.db_count("inbox")


@pytest.mark.parametrize("point", ["after-fetch", "after-store", "after-done"])
def test_a_crash_at_any_point_relays_the_message_exactly_once(start_bot: StartBot,
                                                               point: str) -> None:
    """after-fetch: fetched, not stored (Telegram sends it again); after-store: stored, not
    processed (the inbox has it); after-done: processed, not yet confirmed to Telegram (it
    comes again and must not be handled twice)."""
    bot = start_bot()
    avery, marlowe, code = _conversation(bot)
    _restart(bot, PEER_SUPPORT_FAULT=point)
    marlowe.say("Said just as the bot went down.")
    assert _wait_for_exit(bot) == FAULT_EXIT
    _restart(bot)
    avery.private.wait_for(rf"^{code}: Said just as the bot went down\.$", timeout=WAIT)
    avery.private.say("I got it.")
    marlowe.wait_for(r"^Avery: I got it\.$", timeout=WAIT)
    quiet()
    assert texts(avery.private).count(f"{code}: Said just as the bot went down.") == 1
    assert texts(marlowe).count("Avery: I got it.") == 1


def test_a_reply_the_crash_caught_mid_call_goes_again_instead_of_being_lost(
        start_bot: StartBot) -> None:
    """Killed after Telegram took the bot's reply and before its outbox row was marked sent:
    Telegram cannot be asked whether a call arrived, so the next start sends it again (a
    second copy rather than a lost answer, which could be the crisis line), once, and the
    log counts it. (A relayed message is not repeated: its writer is told, test_stall.py.)"""
    bot = start_bot(PEER_SUPPORT_FAULT="after-send")
    alex = responder(bot.emu)
    alex.command("/start")
    assert _wait_for_exit(bot) == FAULT_EXIT
    assert len(texts(alex)) == 1 and "thank you for reaching out" in texts(alex)[0]
    _restart(bot)
    wait_until(lambda: len(texts(alex)) >= 2, "the reply sent again", WAIT)
    quiet()
    assert texts(alex) == [texts(alex)[0]] * 2, texts(alex)
    assert "caught mid-call: 1 sent again (each may arrive twice), 0 relayed" in bot.log_text()
    alex.command("/start")  # and the bot goes on as before
    alex.wait_for(r"thank you for reaching out", timeout=WAIT, after=2)


def test_a_second_instance_on_the_same_database_refuses_to_start(start_bot: StartBot) -> None:
    """On SQLite it refuses (status 3); on PostgreSQL it stands by instead (test_standby.py
    has the takeover), and stops cleanly on SIGTERM."""
    bot = start_bot()
    if bot.on_postgres:
        log = bot.workdir / "second.log"
        with log.open("wb") as out:
            waiting = subprocess.Popen([sys.executable, "-m", "bot"], cwd=bot.workdir,
                                       env=bot.env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_until(lambda: "standing by to take over" in log.read_text()
                       or waiting.poll() is not None, "the second instance to stand by", 30)
        finally:
            code = stop_process(waiting)
        said = log.read_text()
        assert code == 0, said
        assert f"another instance is active on {bot.database_setting}" in said, said
    else:
        second = subprocess.run([sys.executable, "-m", "bot"], cwd=bot.workdir, env=bot.env,
                                capture_output=True, text=True, timeout=30, check=False)
        assert second.returncode == 3
        assert f"already running with {bot.database_setting}" in second.stdout + second.stderr
    # The first one is unaffected.
    alex = responder(bot.emu)
    alex.command("/start")
    alex.wait_for(r"thank you for reaching out", timeout=WAIT)


def _post(url: str, body: dict[str, object], secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _until_listening(bot: BotProcess) -> None:
    """The web server starts after the application (as Telegram would find, it retries)."""
    wait_until(lambda: "receiving updates by webhook" in bot.log_text(), "the webhook server")


def test_webhook_checks_its_secret_and_serves_people(start_bot: StartBot) -> None:
    port, secret = free_port(), "s3cret-for-the-webhook-test"
    url = f"http://127.0.0.1:{port}/telegram"
    bot = start_bot(WEBHOOK_URL=url, WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(port),
                    WEBHOOK_SECRET=secret)
    _until_listening(bot)
    forged = {"update_id": 987654321, "message": {
        "message_id": 1, "date": int(time.time()), "text": "/start",
        "chat": {"id": 918273699, "type": "private", "first_name": "Mallory"},
        "from": {"id": 918273699, "is_bot": False, "first_name": "Mallory"}}}
    before = _inbox_rows(bot)
    assert _post(url, forged, "wrong-secret-wrong-secret") == 403
    assert _post(url, forged, None) == 403
    quiet()
    assert _inbox_rows(bot) == before
    assert not [c for c in bot.emu.journal() if str(c.get("chat_id")) == "918273699"]

    # Through the emulator, which posts to the webhook with the secret Telegram was given.
    alex = responder(bot.emu)
    alex.command("/start")
    alex.wait_for(r"thank you for reaching out", timeout=WAIT)
    assert _inbox_rows(bot) == before + 1


def test_the_same_update_delivered_twice_is_handled_once(start_bot: StartBot) -> None:
    port, secret = free_port(), "another-webhook-secret-1"
    url = f"http://127.0.0.1:{port}/hook"
    bot = start_bot(WEBHOOK_URL=url, WEBHOOK_PORT=str(port), WEBHOOK_SECRET=secret)
    _until_listening(bot)
    update = {"update_id": 555000111, "message": {
        "message_id": 7, "date": int(time.time()), "text": "/start",
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        "chat": {"id": 918273659, "type": "private", "first_name": "Dana"},
        "from": {"id": 918273659, "is_bot": False, "first_name": "Dana"}}}

    def welcomes() -> int:
        return len([c for c in bot.emu.journal() if str(c.get("chat_id")) == "918273659"
                    and "thank you for reaching out" in (c.get("text") or "")])

    assert _post(url, update, secret) == 200
    wait_until(lambda: welcomes() == 1, "the first delivery to be handled")
    assert _post(url, update, secret) == 200  # Telegram retried: it never saw our 200
    quiet()
    assert welcomes() == 1
