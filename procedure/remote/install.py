"""``acquisto install-service``: turn a data folder into the shared service's, in one
command run by root: the service's system account and the office group (made when
missing), the folder handed to the account (the group reads, nobody else; the drop folders
are the service's to open to the group when it starts), and its systemd unit written."""

import grp
import os
import pwd
import stat
import subprocess
import sys
from pathlib import Path

from procedure.config.config_file import prepare_data_folder
from procedure.config.reading import SECRETS
from procedure.errors import Refused

UNIT = "/etc/systemd/system/acquisto.service"
FOLDER_MODE = 0o2750  # the service writes; the office group reads and reaches the socket
FILE_MODE = 0o640
# the service's alone (0700/0600): secrets, the signing key, and the store (colleagues
# read through the service; one who could open the database could hold its locks)
PRIVATE = ((SECRETS,), ("keys",), ("store",))


def unit_text(data_dir: Path, user: str, group: str) -> str:
    main = Path(__file__).resolve().parents[2] / "main.py"
    return f"""[Unit]
Description=Acquisto: servizio condiviso della cartella dati {data_dir}
After=network-online.target

[Service]
User={user}
Group={group}
UMask=0027
ExecStart={sys.executable} {main} --data {data_dir} server --group {group}
Restart=on-failure
NoNewPrivileges=true
ProtectSystem=full
PrivateTmp=true

[Install]
WantedBy=multi-user.target
"""


def _ensure_account(user: str, group: str) -> None:
    try:
        grp.getgrnam(group)
    except KeyError:
        _run("groupadd", "--system", group)
    try:
        pwd.getpwnam(user)
    except KeyError:
        _run("useradd", "--system", "--no-create-home", "--user-group", "--shell", NOLOGIN, user)


NOLOGIN = "/usr/sbin/nologin"


def _run(*command: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise Refused(f"{command[0]} non riuscito: {done.stderr.strip() or done.returncode}")


def hand_over(data_dir: Path, uid: int, gid: int) -> None:
    """Every entry of ``data_dir`` to the service's account and the office group, links
    included but never followed; folders 2750 and files 640, the secrets the service's
    alone, the administrator's file left as the administrator keeps it."""
    for path in [data_dir, *data_dir.rglob("*")]:
        st = os.lstat(path)
        inside = path.relative_to(data_dir).parts
        if inside[:1] == (SECRETS,) and st.st_uid == 0 and stat.S_ISREG(st.st_mode):
            continue  # root's file (amministrazione.toml): only root changes it
        os.lchown(path, uid, gid)
        if stat.S_ISLNK(st.st_mode):
            continue
        secret = inside[:1] in PRIVATE
        if stat.S_ISDIR(st.st_mode):
            os.chmod(path, 0o700 if secret else FOLDER_MODE)
        else:
            os.chmod(path, 0o600 if secret else FILE_MODE)


def install(data_dir: Path, user: str, group: str, unit: Path = Path(UNIT)) -> str:
    """Install the shared service for ``data_dir``; what to run next, in Italian."""
    if os.geteuid() != 0:
        raise Refused("install-service va eseguito da root (sudo).")
    _ensure_account(user, group)
    prepare_data_folder(data_dir)  # root's for now: made when missing, checked
    hand_over(data_dir, pwd.getpwnam(user).pw_uid, grp.getgrnam(group).gr_gid)
    unit.parent.mkdir(parents=True, exist_ok=True)
    unit.write_text(unit_text(data_dir, user, group), encoding="utf-8")
    return (
        f"Servizio installato: {data_dir} è di {user}, il gruppo {group} vi accede tramite "
        f"il servizio. Unità systemd: {unit}. Per avviarlo: "
        "systemctl daemon-reload && systemctl enable --now acquisto"
    )
