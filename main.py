"""Entry point: builds the settings and the Office, then runs a CLI command or the TUI."""

import os
import sys

from cli.commands import build_parser, run
from procedure.config.settings import resolve_data_dir
from procedure.office import Office

SHARED_UMASK = 0o007  # group-usable files whatever the user's umask; nothing for others


def main(argv: list[str] | None = None) -> int:
    os.umask(SHARED_UMASK)  # colleagues share the data folder through a Unix group
    args = build_parser().parse_args(argv)
    data_dir = resolve_data_dir(args.data)
    if args.command is None:
        from tui.app import run_tui  # only the TUI needs textual

        return run(lambda: Office.open(data_dir), args, command=lambda office, *_: run_tui(office))
    if args.command == "restore":  # into an empty folder: no Office may prepare it first
        from cli.commands import restore_command

        return restore_command(data_dir, args)
    if args.command == "serve":
        from tui.serve import serve

        return serve(data_dir, args.port)
    return run(lambda: Office.open(data_dir), args)


if __name__ == "__main__":
    sys.exit(main())
