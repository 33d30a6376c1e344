"""An offline Bot API, for the unit tests and the benchmarks (bench/ imports it as
`tests.unit.offline`): a `BaseRequest` that answers like Telegram at once and records every call,
so the real application can be driven with `Application.process_update`; and `Person`, who
makes the updates."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

BOT_USER = {"id": 666, "is_bot": True, "first_name": "Peer Support", "username": "PeerTestBot",
            "can_join_groups": True, "can_read_all_group_messages": False,
            "supports_inline_queries": False}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int = 200  # 0: timed out (unknown), 4xx: refused
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # field -> (name, bytes)

    def file_bytes(self) -> bytes:
        """The one uploaded file of a sendPhoto or sendDocument."""
        [(_, data)] = self.files.values()
        return data

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[dict[str, str]]:
        markup = self.params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        rows = (markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]


@dataclass
class OfflineRequest(BaseRequest):
    """Answers every Bot API method the bot uses; `blocked` chats answer 403 as Telegram does.

    With `record=False` it keeps no calls, only `sends_to` (what the benchmarks count), so it
    costs the same for the bot and for a bare echo bot however many updates go through."""

    members: set[int] = field(default_factory=set)
    blocked: set[int] = field(default_factory=set)
    uncopyable: set[int] = field(default_factory=set)  # message ids deleted by their sender
    flood: dict[int, int] = field(default_factory=dict)  # chat -> retry_after, answered once
    time_out: set[int] = field(default_factory=set)  # chats whose sends time out (once)
    network_down: bool = False
    latency: float = 0.0  # seconds each call takes, as over a real network
    record: bool = True  # False: `calls` stays empty
    calls: list[Call] = field(default_factory=list)
    sends_to: Counter[int] = field(default_factory=Counter)  # answered sends (and copies) per chat
    in_flight: dict[int | None, int] = field(default_factory=dict)  # chat -> calls under way
    most_in_flight: int = 0  # the most calls under way at once, all chats
    most_in_chat: dict[int | None, int] = field(default_factory=dict)  # the same, per chat
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(100))

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = None, write_timeout: Any = None,
                         connect_timeout: Any = None, pool_timeout: Any = None,
                         ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}  # a new dict on every call
        call = Call(endpoint, params)
        if request_data is not None and request_data.contains_files:
            for name, part in request_data.multipart_data.items():
                call.files[name] = (str(part[0]), bytes(part[1]))
        if self.record and endpoint not in ("getMe", "getUpdates"):
            self.calls.append(call)
        if self.latency:
            await self._wait(call)
        if self.network_down:
            call.status = 0
            raise NetworkError("connection refused")
        if endpoint in ("sendMessage", "copyMessage"):
            chat_id = call.chat_id
            if chat_id in self.time_out:
                self.time_out.discard(chat_id)
                call.status = 0
                raise TimedOut("read timeout")
            if chat_id in self.flood:
                retry = self.flood.pop(chat_id)
                call.status = 429
                return 429, json.dumps({"ok": False, "error_code": 429,
                                        "description": f"Too Many Requests: retry after {retry}",
                                        "parameters": {"retry_after": retry}}).encode()
            if chat_id in self.blocked:
                call.status = 403
                return 403, json.dumps({"ok": False, "error_code": 403,
                                        "description": "Forbidden: bot was blocked by the user"
                                        }).encode()
        if endpoint == "copyMessage" and int(params.get("message_id", 0)) in self.uncopyable:
            call.status = 400
            return 400, json.dumps({"ok": False, "error_code": 400,
                                    "description": "Bad Request: message to copy not found"
                                    }).encode()
        return 200, json.dumps({"ok": True, "result": self._result(call)}).encode()

    async def _wait(self, call: Call) -> None:
        chat = call.chat_id
        self.in_flight[chat] = self.in_flight.get(chat, 0) + 1
        self.most_in_chat[chat] = max(self.most_in_chat.get(chat, 0), self.in_flight[chat])
        self.most_in_flight = max(self.most_in_flight, sum(self.in_flight.values()))
        try:
            await asyncio.sleep(self.latency)
        finally:
            self.in_flight[chat] -= 1

    def _result(self, call: Call) -> Any:
        if call.method == "getMe":
            return BOT_USER
        if call.method == "getUpdates":
            return []
        if call.method == "getChatMember":
            user_id = int(call.params["user_id"])
            status = "member" if user_id in self.members else "left"
            return {"status": status, "user": {"id": user_id, "is_bot": False,
                                               "first_name": "Someone"}}
        if call.method in ("sendMessage", "copyMessage"):
            self.sends_to[call.chat_id or 0] += 1
        if call.method in ("sendMessage", "editMessageText"):
            message_id = call.params.get("message_id") or next(self._ids)
            return {"message_id": message_id, "date": int(time.time()),
                    "chat": _sent_chat(call.chat_id), "text": call.text}
        if call.method == "copyMessage":
            return {"message_id": next(self._ids)}
        if call.method in ("sendPhoto", "sendDocument"):
            return {"message_id": next(self._ids), "date": int(time.time()),
                    "chat": _sent_chat(call.chat_id)}
        return True

    def to(self, chat_id: int, method: str | None = None, attempts: bool = False,
           ) -> list[Call]:
        """What reached `chat_id` (with `attempts`: every try, refused ones included)."""
        return [c for c in self.calls
                if c.chat_id == chat_id and (method is None or c.method == method)
                and (attempts or c.status == 200)]

    def answers(self) -> list[str]:
        return [str(c.params.get("text", "")) for c in self.calls
                if c.method == "answerCallbackQuery"]


def _sent_chat(chat_id: int | None) -> dict[str, Any]:
    """The chat of a message the bot sent, as Telegram describes it in its answer."""
    return {"id": chat_id, "type": "supergroup" if (chat_id or 0) < 0 else "private"}


_update_ids = itertools.count(1)


def _chat(chat_id: int) -> dict[str, Any]:
    if chat_id < 0:
        return {"id": chat_id, "type": "supergroup", "title": "Peer Support Team"}
    return {"id": chat_id, "type": "private", "first_name": "Someone"}


@dataclass
class Person:
    """Someone who talks to the bot: in private by default, or inside a group chat."""

    user_id: int
    first_name: str = "Someone"
    chat_id: int = 0
    username: str | None = None
    language_code: str | None = None
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        if not self.chat_id:
            self.chat_id = self.user_id

    @property
    def sender(self) -> dict[str, Any]:
        sender: dict[str, Any] = {"id": self.user_id, "is_bot": False,
                                  "first_name": self.first_name}
        if self.username:
            sender["username"] = self.username
        if self.language_code:
            sender["language_code"] = self.language_code
        return sender

    def message(self, **fields: Any) -> dict[str, Any]:
        return {"update_id": next(_update_ids), "message": {
            "message_id": next(self._message_ids), "date": int(time.time()),
            "chat": _chat(self.chat_id), "from": self.sender, **fields}}

    def text(self, text: str) -> dict[str, Any]:
        return self.message(text=text)

    def command(self, text: str) -> dict[str, Any]:
        name = text.split(maxsplit=1)[0]
        return self.message(text=text, entities=[
            {"type": "bot_command", "offset": 0, "length": len(name)}])

    def press(self, data: str, message_id: int = 1) -> dict[str, Any]:
        return {"update_id": next(_update_ids), "callback_query": {
            "id": str(next(_update_ids)), "from": self.sender, "chat_instance": "1",
            "data": data, "message": {"message_id": message_id, "date": int(time.time()),
                                      "chat": _chat(self.chat_id), "text": "..."}}}


def as_update(raw: dict[str, Any], bot: Any) -> Update:
    update = Update.de_json(raw, bot)
    assert update is not None
    return update
