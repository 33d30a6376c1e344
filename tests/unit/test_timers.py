"""Timers: stopping waits for a job already running, so the database never closes under it."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from bot.platform import timers as timers_module
from bot.platform.timers import Timers


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


async def test_a_job_that_sets_itself_again_while_running_runs_again() -> None:
    """A wake-up re-arms its own timer as it finishes; a deadline already past must still
    fire, not be dropped because the run that set it has not quite ended."""
    timers = Timers()
    timers.start()
    runs: list[float] = []
    again = asyncio.Event()

    async def wake() -> None:
        runs.append(time.time())
        if len(runs) == 1:
            timers.at("wake", time.time() - 1, wake)  # due already: fire at once
        else:
            again.set()

    timers.at("wake", time.time(), wake)
    await asyncio.wait_for(again.wait(), 5)
    await timers.shutdown()
    assert len(runs) == 2


async def test_a_job_cut_short_by_the_shutdown_is_not_logged_as_an_error(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(timers_module, "STOP_WAIT_SECONDS", 0.05)
    timers = Timers()
    timers.start()
    began = asyncio.Event()

    async def never_done() -> None:
        began.set()
        await asyncio.Event().wait()

    timers.at("slow", time.time(), never_done)
    await asyncio.wait_for(began.wait(), 5)
    await timers.shutdown()
    await asyncio.sleep(0.05)  # the cancelled job ends
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_job_cut_short_is_waited_for_while_it_tidies_up(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the wait, a job is cancelled; what it does on its way out (a backup deleting its
    partial file, letting go of its lease) still needs the database: shutdown returns only
    once it has done that, so the database is not closed under it."""
    monkeypatch.setattr(timers_module, "STOP_WAIT_SECONDS", 0.05)
    timers = Timers()
    timers.start()
    began, tidied = asyncio.Event(), asyncio.Event()

    async def backup() -> None:
        began.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            await asyncio.sleep(0.3)  # the copy notices the stop, the partial file goes
            tidied.set()
            raise

    timers.at("backup", time.time(), backup)
    await asyncio.wait_for(began.wait(), 5)
    await timers.shutdown()
    assert tidied.is_set()
