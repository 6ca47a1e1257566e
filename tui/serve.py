"""The same app in a browser through textual-serve, bound to this machine only (it has no
authentication: put an authenticating reverse proxy in front of it, see the README)."""

import shlex
import sys
from pathlib import Path


def serve(data_dir: Path, port: int) -> int:
    try:
        from textual_serve.server import Server
    except ImportError:
        print("textual-serve non installato: .venv/bin/pip install 'acquisto[web]'")
        return 2
    main = Path(__file__).resolve().parent.parent / "main.py"
    command = shlex.join([sys.executable, str(main), "--data", str(data_dir)])
    page = Path(__file__).resolve().parent / "web"  # the page in Italian, fonts served here
    Server(command, host="127.0.0.1", port=port, title="Acquisto", templates_path=page).serve()
    return 0
