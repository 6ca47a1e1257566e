"""Store writes, file moves and document parsing run in thread workers: the event loop never
waits, and what a worker finds comes back to the loop (threads never touch widgets)."""

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from textual.dom import DOMNode

from procedure.errors import USER_ERRORS, user_message

T = TypeVar("T")
log = logging.getLogger("acquisto.tui")


def in_background(
    node: DOMNode,
    job: Callable[[], T],
    then: Callable[[T], Any],
    refused: str,
    failed: Callable[[str], Any] | None = None,
) -> None:
    """Run ``job`` in a thread; on the event loop, call ``then`` with its result, or notify
    its refusal under the title ``refused`` (and call ``failed`` with the message)."""
    app = node.app

    def run() -> None:
        try:
            result = job()
        except USER_ERRORS as exc:
            message, severity = user_message(exc), "warning"
        except Exception as exc:  # the one handler for the unexpected: told, logged, app kept
            log.exception("%s: errore inatteso", refused)
            message = f"Errore inatteso ({type(exc).__name__}): dettagli in {_log_name()}"
            severity = "error"
        else:
            app.call_from_thread(then, result)
            return
        app.call_from_thread(app.notify, message, title=refused, severity=severity)
        if failed is not None:
            app.call_from_thread(failed, message)

    node.run_worker(run, thread=True, group="write", exit_on_error=False)


def _log_name() -> str:
    """Where the details went: the file of the root logger (log/acquisto-USER.log)."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.FileHandler):
            return f"log/{Path(handler.baseFilename).name}"
    return "il registro degli errori"
