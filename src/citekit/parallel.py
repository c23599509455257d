"""Run a task over many items in worker processes, the results in the items' order.

`citekit check` over a repository is nearly all reading and checking each draft on its
own, which worker processes can do side by side (`citekit.batch`). The workers are
forked when the work is planned, so they share what it needs (catalogues,
configurations, the task itself) without copying or pickling it; only item numbers go
to them and results come back. The results are yielded in the items' order, whichever
worker finishes first, so the output is the same whatever the number of workers.

No thread is started: the caller hands out the items and collects the results itself,
waiting on the pipes, so a fork never copies a lock another thread holds. A worker that
dies leaves its items, and all that follow, to the calling process.

>>> from citekit.parallel import ordered
>>> list(ordered(lambda item: item * item, [False, True, False], workers=2))  # doctest: +SKIP
[0, None, 4]
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from typing import Generic, TypeVar, cast

T = TypeVar("T")

AHEAD = 2
"""Items handed to a worker at once: it starts the next while its last result travels."""

WINDOW = 64
"""Items worked on ahead of the one the caller is at: all a slow item makes wait in memory."""


def cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def available() -> bool:
    """Whether workers can be forked: on Linux (fork is unsafe on macOS, absent on Windows)."""
    return sys.platform.startswith("linux")


def ordered(task: Callable[[int], T], mine: Sequence[bool], *, workers: int) -> Iterator[T | None]:
    """`task(i)` for each item i that is not `mine[i]`, run by `workers` forked processes;
    None for each item that is, which the caller does itself when it gets there. In the
    items' order. An exception `task` raises in a worker is raised here."""
    pool = _Pool[T](task, workers)
    try:
        yield from pool.run(mine)
    finally:
        pool.close()


class _Pool(Generic[T]):
    """Worker processes forked from the caller, each fed item numbers over a pipe."""

    def __init__(self, task: Callable[[int], T], count: int) -> None:
        self.task = task
        context = multiprocessing.get_context("fork")
        sys.stdout.flush()  # a child must not inherit output not yet written
        sys.stderr.flush()
        self.pipes: list[Connection] = []
        self.processes: list[multiprocessing.process.BaseProcess] = []
        for _ in range(count):
            ours, theirs = context.Pipe()
            process = context.Process(
                target=_serve, args=(theirs, list(self.pipes), task), daemon=True
            )
            process.start()
            theirs.close()
            self.pipes.append(ours)
            self.processes.append(process)
        self.broken = False

    def run(self, mine: Sequence[bool]) -> Iterator[T | None]:
        theirs = deque(index for index, own in enumerate(mine) if not own)
        handed: dict[Connection, deque[int]] = {pipe: deque() for pipe in self.pipes}
        done: dict[int, tuple[bool, object]] = {}  # (True, result) or (False, exception)

        def hand_out(upto: int) -> None:
            for pipe, queue in handed.items():
                while theirs and len(queue) < AHEAD and theirs[0] < upto:
                    try:
                        pipe.send(theirs[0])
                    except OSError:  # the worker died
                        self.broken = True
                        return
                    queue.append(theirs.popleft())

        for index, own in enumerate(mine):
            if not self.broken:
                hand_out(index + WINDOW)
            if own:
                yield None
                continue
            while index not in done and not self.broken:
                self._collect(handed, done)
                hand_out(index + WINDOW)
            if index not in done:  # a worker died: the rest are done here
                yield self.task(index)
                continue
            ok, value = done.pop(index)
            if not ok:  # raised in its turn, after the results before it
                assert isinstance(value, BaseException)
                raise value
            yield cast(T, value)

    def _collect(
        self, handed: dict[Connection, deque[int]], done: dict[int, tuple[bool, object]]
    ) -> None:
        busy = [pipe for pipe, queue in handed.items() if queue]
        for pipe in wait(busy):
            assert isinstance(pipe, Connection)
            try:
                reply = pipe.recv()
            except (EOFError, OSError):
                self.broken = True
                return
            done[handed[pipe].popleft()] = reply

    def close(self) -> None:
        for pipe in self.pipes:
            with contextlib.suppress(OSError):
                pipe.send(None)
            pipe.close()
        for process in self.processes:
            process.join(timeout=1)
            if process.is_alive():  # stopped early: what it is doing is not needed
                process.terminate()
                process.join()


def _serve(pipe: Connection, others: list[Connection], task: Callable[[int], object]) -> None:
    """A worker: run the task on the item numbers that come down the pipe, until None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the caller's to handle
    for other in others:  # the caller's ends of earlier workers' pipes: not ours to hold
        other.close()
    try:
        while (index := pipe.recv()) is not None:
            try:
                reply: tuple[bool, object] = (True, task(index))
            except Exception as exc:  # a bug: the caller raises it
                reply = (False, exc)
            pipe.send(reply)
    except (EOFError, OSError):  # the caller stopped early, or is gone
        pass
