"""Run a task over many items in worker processes, the results in the items' order.

`citekit check` over a repository is nearly all reading and checking each draft on its
own, which worker processes can do side by side (`citekit.batch`). The workers are
forked when the work is planned, so they share what it needs (catalogues,
configurations, the task itself) without copying or pickling it; only the items (a
draft's number, a piece of a long draft) go to them, and the results come back. The
results are yielded in the items' order, whichever worker finishes first, so the output
is the same whatever the number of workers.

The caller works too: while the result it needs next is not back, it runs the next
item no worker has, so one worker per CPU but one keeps every CPU busy. It starts no
thread: it hands out the items and collects the results itself, so a fork never copies
a lock another thread holds. A worker that dies leaves its items, and all that follow,
to the calling process.

>>> from citekit.parallel import ordered
>>> list(ordered(lambda item: item * item, [0, None, 2], workers=2))  # doctest: +SKIP
[0, None, 4]
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import TYPE_CHECKING, Generic, TypeVar, cast

if TYPE_CHECKING:  # multiprocessing is imported when workers start: most runs start none
    import multiprocessing.process
    from multiprocessing.connection import Connection

T = TypeVar("T")
X = TypeVar("X")

AHEAD = 2
"""Items handed to a worker at once: it starts the next while its last result travels."""

WINDOW = 64
"""Items read ahead of the one the caller is at: all a slow item makes wait in memory."""


def cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def available() -> bool:
    """Whether workers can be forked: on Linux (fork is unsafe on macOS, absent on Windows)."""
    return sys.platform.startswith("linux")


def ordered(
    task: Callable[[X], T], items: Iterable[X | None], *, workers: int, window: int = WINDOW
) -> Generator[T | None, None, None]:
    """`task(item)` for each item, run by `workers` forked processes and this one, in the
    items' order; None for each None item, which is the caller's to do when it gets there.

    Items are read from `items` as they are needed, at most `window` ahead of the one
    yielded, and sent to the workers (pickled). An exception `task` raises in a worker
    is raised here, in its turn.
    """
    pool = _Pool(task, workers)
    try:
        yield from pool.run(iter(items), window)
    finally:
        pool.close()


_END = object()


class _Pool(Generic[X, T]):
    """Worker processes forked from the caller, each fed items over a pipe."""

    def __init__(self, task: Callable[[X], T], count: int) -> None:
        import multiprocessing

        self.task = task
        context = multiprocessing.get_context("fork")
        sys.stdout.flush()  # a child must not inherit output not yet written
        sys.stderr.flush()
        import gc

        # What exists now is the workers' to read, not to collect: a collection touches
        # every object, and a page touched after the fork is copied. Until the pool
        # closes, neither side's collector visits it.
        gc.freeze()
        self.pipes: list[Connection] = []
        self.processes: list[multiprocessing.process.BaseProcess] = []
        self.finished = False  # every result yielded: the workers wait for their last word
        try:
            for _ in range(count):
                ours, theirs = context.Pipe()
                process = context.Process(
                    target=_serve, args=(theirs, list(self.pipes), task), daemon=True
                )
                process.start()
                theirs.close()
                self.pipes.append(ours)
                self.processes.append(process)
        except BaseException:
            self.close()
            raise
        self.handed: dict[Connection, deque[int]] = {pipe: deque() for pipe in self.pipes}
        self.done: dict[int, bytes] = {}  # pickled (True, result) or (False, exception)
        self.broken = False

    def run(self, source: Iterator[X | None], window: int) -> Iterator[T | None]:
        read: deque[tuple[int, X | None]] = deque()  # read, not yet yielded
        waiting: deque[tuple[int, X]] = deque()  # not yet handed out, nor done here
        here: dict[int, tuple[bool, object]] = {}  # done by the caller ahead of its turn
        count = 0

        def read_ahead() -> None:
            nonlocal count
            while len(read) < window and (item := next(source, _END)) is not _END:
                read.append((count, item))  # type: ignore[arg-type]
                if item is not None:
                    waiting.append((count, item))  # type: ignore[arg-type]
                count += 1

        def hand_out() -> None:
            for pipe, numbers in self.handed.items():
                while waiting and len(numbers) < AHEAD and not self.broken:
                    try:
                        pipe.send(waiting[0][1])
                    except OSError:  # the worker died
                        self.broken = True
                        return
                    numbers.append(waiting.popleft()[0])

        read_ahead()
        while read:
            hand_out()
            number, item = read.popleft()
            if item is None:
                yield None
            else:
                while number not in self.done and number not in here and not self.broken:
                    self._collect(block=not waiting)
                    hand_out()
                    if waiting and number not in self.done:  # the caller works too
                        ahead, its = waiting.popleft()
                        here[ahead] = _attempt(self.task, its)
                if number in here:
                    ok, value = here.pop(number)
                elif number in self.done:  # read back only now: held pickled, it is small
                    ok, value = _loads(self.done.pop(number))
                else:  # a worker died: what it had, and all that follows, is done here
                    waiting.clear()
                    ok, value = True, self.task(item)
                if not ok:  # raised in its turn, after the results before it
                    assert isinstance(value, BaseException)
                    raise value
                yield cast(T, value)
            read_ahead()
        self.finished = True

    def _collect(self, *, block: bool) -> None:
        """Read the results the workers have sent; with `block`, wait for one."""
        from multiprocessing.connection import Connection, wait

        busy = [pipe for pipe, numbers in self.handed.items() if numbers]
        for pipe in wait(busy, None if block else 0):
            assert isinstance(pipe, Connection)
            try:
                reply = pipe.recv_bytes()
            except (EOFError, OSError):
                self.broken = True
                return
            self.done[self.handed[pipe].popleft()] = reply

    def close(self) -> None:
        import gc

        for pipe in self.pipes:
            with contextlib.suppress(OSError):
                pipe.send(None)
            pipe.close()
        for process in self.processes:
            if self.finished:
                process.join(timeout=1)
            if process.is_alive():  # stopped early: what it is doing is not needed
                process.terminate()
                process.join()
        gc.unfreeze()


def _attempt(task: Callable[[X], T], item: X) -> tuple[bool, object]:
    """`task(item)` run here, as a worker runs it: its result, or the exception it raised."""
    try:
        return True, task(item)
    except Exception as exc:  # raised in its turn
        return False, exc


def _loads(data: bytes) -> tuple[bool, object]:
    import pickle

    ok, value = pickle.loads(data)
    return ok, value


def _serve(pipe: Connection, others: list[Connection], task: Callable[[X], object]) -> None:
    """A worker: run the task on the items that come down the pipe, until None.

    A thread of its own takes the items off the pipe as they come, so that the caller,
    handing out a large item (a piece of a draft) while the worker is busy, never waits
    for it to be read.
    """
    import pickle
    import queue
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the caller's to handle
    for other in others:  # the caller's ends of earlier workers' pipes: not ours to hold
        other.close()
    inbox: queue.SimpleQueue[object] = queue.SimpleQueue()

    def receive() -> None:
        try:
            while (item := pipe.recv()) is not None:
                inbox.put(item)
        except (EOFError, OSError):  # the caller stopped early, or is gone
            pass
        inbox.put(_END)

    threading.Thread(target=receive, daemon=True).start()
    try:
        while (item := inbox.get()) is not _END:
            try:
                reply: tuple[bool, object] = (True, task(item))  # type: ignore[arg-type]
            except Exception as exc:  # a bug: the caller raises it
                reply = (False, exc)
            pipe.send_bytes(pickle.dumps(reply, pickle.HIGHEST_PROTOCOL))
    except OSError:  # the caller stopped early, or is gone
        pass
