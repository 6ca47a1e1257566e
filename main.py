"""Entry point: builds the settings and the Office, then runs a CLI command or the TUI."""

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import cast

from cli.commands import build_parser, run
from procedure.config.settings import ConfigError, resolve_data_dir
from procedure.errors import Refused, user_message
from procedure.office import Office
from procedure.remote.protocol import socket_path

PERSONAL_UMASK = 0o077  # a person alone: every file of the data folder is theirs only


def main(argv: list[str] | None = None) -> int:
    os.umask(PERSONAL_UMASK)  # colleagues share a data folder through the service
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
    if args.command == "install-service":
        from procedure.remote.install import install

        return _said(lambda: install(data_dir, args.user, args.group, Path(args.unit)))
    if args.command == "server":
        from procedure.remote.server import run_server

        return run_server(data_dir, args.group, not args.no_watch, args.wait_limit)
    return run(lambda: open_office(data_dir), args)


def _said(action: Callable[[], str]) -> int:
    """Print what ``action`` says; an Italian error on stderr (exit 2) when it refuses."""
    try:
        print(action())
    except (Refused, ConfigError, OSError) as exc:
        print(f"errore: {user_message(exc)}", file=sys.stderr)
        return 2
    return 0


def open_office(data_dir: Path) -> Office:
    """The data folder's Office: through the shared service when the folder is not ours
    (the service's, its socket inside) or ACQUISTO_SERVER names one, else our own."""
    path = socket_path(data_dir, dict(os.environ))
    named = bool(os.environ.get("ACQUISTO_SERVER"))
    if named or (data_dir.exists() and data_dir.stat().st_uid != os.geteuid()):
        from procedure.remote.client import RemoteOffice

        return cast(Office, RemoteOffice(path))
    return Office.open(data_dir)


if __name__ == "__main__":
    sys.exit(main())
