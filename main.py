"""Entry point: builds the settings and the Office, then runs a CLI command or the TUI."""

import os
import sys
from pathlib import Path
from typing import cast

from cli.commands import build_parser, run
from procedure.config.settings import resolve_data_dir
from procedure.office import Office
from procedure.remote.protocol import socket_path

SHARED_UMASK = 0o007  # group-usable files whatever the user's umask; nothing for others


def main(argv: list[str] | None = None) -> int:
    os.umask(SHARED_UMASK)  # colleagues share the data folder through a Unix group
    args = build_parser().parse_args(argv)
    data_dir = resolve_data_dir(args.data)
    if args.command is None:
        from tui.app import run_tui  # only the TUI needs textual

        return run(lambda: open_office(data_dir), args, command=lambda office, *_: run_tui(office))
    if args.command == "restore":  # into an empty folder: no Office may prepare it first
        from cli.commands import restore_command

        return restore_command(data_dir, args)
    if args.command == "serve":
        from tui.serve import serve

        return serve(data_dir, args.port)
    if args.command == "server":
        from procedure.remote.server import run_server

        return run_server(data_dir, args.group, watch=not args.no_watch)
    return run(lambda: open_office(data_dir), args)


def open_office(data_dir: Path) -> Office:
    """The data folder's Office: through the shared service when one serves it (its socket
    is there, or ACQUISTO_SERVER names one, and the folder is not ours), else our own."""
    path = socket_path(data_dir, dict(os.environ))
    named = bool(os.environ.get("ACQUISTO_SERVER"))
    if named or (path.is_socket() and data_dir.stat().st_uid != os.geteuid()):
        from procedure.remote.client import RemoteOffice

        return cast(Office, RemoteOffice(path))
    return Office.open(data_dir)


if __name__ == "__main__":
    sys.exit(main())
