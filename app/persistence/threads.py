"""The worker threads that run the app's units of work (app/persistence/database.py).

A plain executor hands a function to a thread for a fraction of what Starlette's
run_in_threadpool (anyio) costs, which matters on the hottest writes; and a few threads are
enough: more than the connection pool holds would only queue inside the pool, a thread
each. Like run_in_threadpool, it carries the caller's context variables into the thread
and waits for the function to finish even when the caller is cancelled, so a transaction
never runs on after its request has given up its turn (app/persistence/write_turns.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

__all__ = ["DATABASE_THREADS", "in_database_thread", "new_database_threads"]

T = TypeVar("T")

# The engine's pool keeps a connection for each (app/persistence/engine.py), so a unit of work never
# waits for one, and the other users of the pool (webhook and report workers) find one too.
DATABASE_THREADS = 8


def new_database_threads() -> ThreadPoolExecutor:
    """The executor of the app's database; shut it down with the app."""
    return ThreadPoolExecutor(DATABASE_THREADS, thread_name_prefix="database")


async def in_database_thread(executor: ThreadPoolExecutor, function: Callable[[], T]) -> T:
    """Run `function` in one of the database threads of `executor`."""
    context = contextvars.copy_context()
    future = asyncio.get_running_loop().run_in_executor(executor, context.run, function)
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        while not future.done():  # a cancel scope may cancel again at every await
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait([future])
        raise
