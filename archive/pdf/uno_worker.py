"""The warm converter's worker, run by the Python that carries LibreOffice's ``uno`` module
(Debian's ``python3`` with ``python3-uno``), never imported by Acquisto itself.

It starts one headless LibreOffice listening on a named pipe (a Unix socket only its user
can open), then reads one request per line on stdin, ``{"in": docx, "out": pdf}``, and
answers each on stdout with ``{"ok": true}`` or ``{"error": "…"}``. When stdin closes it
ends LibreOffice and exits: the worker lives as long as the process that started it.

    python3 uno_worker.py SOFFICE PROFILE_URL PIPE_NAME
"""

import contextlib
import json
import os
import subprocess
import sys
import time
from typing import Any

CONNECT_SECONDS = 60
# ``uno`` and the ``com.sun.star`` modules exist only under LibreOffice's Python: imported
# where they are used, so that the module itself imports anywhere (the import checks do)


def prop(name: str, value: object) -> object:
    from com.sun.star.beans import PropertyValue

    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe: str) -> Any:
    """The running LibreOffice's desktop, once it listens (it takes a few seconds)."""
    import uno
    from com.sun.star.connection import NoConnectException

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)


def convert(desktop: Any, source: str, target: str) -> None:
    import uno

    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),)
    )
    if document is None:
        raise RuntimeError("documento non leggibile")
    try:
        document.storeToURL(
            uno.systemPathToFileUrl(target), (prop("FilterName", "writer_pdf_Export"),)
        )
    finally:
        document.close(True)


def answers() -> Any:
    """The channel the answers go on: this process's standard output as it was given, while
    file descriptor 1 itself is sent to /dev/null, so that nothing the UNO runtime or
    LibreOffice may print can fall among the answers."""
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    sys.stdout = sys.stderr
    return channel


def main() -> None:
    soffice, profile, pipe = sys.argv[1:4]
    os.umask(0o077)  # the pipe's socket: only this user may connect to it
    out = answers()
    office = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--invisible",
            "--nocrashreport",
            "--nodefault",
            "--nologo",
            "--nofirststartwizard",
            "--norestore",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    desktop: Any = None
    try:
        desktop = connect(pipe)
        print(json.dumps({"ready": True}), file=out, flush=True)
        for line in sys.stdin:
            request = json.loads(line)
            try:
                convert(desktop, request["in"], request["out"])
                answer: dict[str, object] = {"ok": True}
            except Exception as exc:  # a bad document must not end the worker
                answer = {"error": str(exc) or type(exc).__name__}
            print(json.dumps(answer), file=out, flush=True)
    finally:
        if desktop is not None:
            with contextlib.suppress(Exception):  # gone already: it is ended below anyway
                desktop.terminate()
        try:
            office.wait(10)  # a clean exit removes its sockets and profile locks
        except subprocess.TimeoutExpired:
            office.terminate()
            try:
                office.wait(10)
            except subprocess.TimeoutExpired:
                office.kill()
        with contextlib.suppress(OSError):  # left behind when LibreOffice was killed
            os.unlink(f"/tmp/OSL_PIPE_{os.getuid()}_{pipe}")


if __name__ == "__main__":
    main()
