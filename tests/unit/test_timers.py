"""Timers: stopping waits for a job already running, so the database never closes under it."""

from __future__ import annotations

import asyncio
import time

from bot.timers import Timers


async def test_shutdown_lets_a_running_job_finish() -> None:
    timers = Timers()
    timers.start()
    started, finished = asyncio.Event(), asyncio.Event()

    async def step() -> None:
        started.set()
        await asyncio.sleep(0.3)  # a step half-way through its sends
        finished.set()

    timers.at("escalate", time.time(), step)
    await asyncio.wait_for(started.wait(), 5)
    await timers.shutdown()
    assert finished.is_set()
