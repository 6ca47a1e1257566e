"""Work on the whole office at once (100,000 list lines): no cyclic garbage collection while
a block makes a great many objects that all stay alive (collecting would only walk them
again and again, a third of a start-up's time)."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
