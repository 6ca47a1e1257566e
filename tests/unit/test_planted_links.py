"""A colleague who can write a folder plants links where our processes write: under the
temporary name of an atomic write, at a lock's name, at the file replaced. None of them is
ever followed: the victim's file keeps its bytes and its mode."""

import os
import stat
from pathlib import Path

import pytest

from archive.election import Leadership
from procedure.licences.keys import PRIVATE_NAME, PUBLIC_NAME, load_or_create_key
from safefiles import atomic_write, exclusive_temporary, open_lock


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A private file of the user our process runs as (their ~/.bashrc)."""
    home = tmp_path / "home"
    home.mkdir()
    path = home / ".bashrc"
    path.write_text("# mio\n")
    path.chmod(0o600)
    return path


def untouched(victim: Path) -> bool:
    return victim.read_text() == "# mio\n" and stat.S_IMODE(victim.stat().st_mode) == 0o600


def test_links_at_the_old_temporary_names_are_never_written_through(
    tmp_path: Path, victim: Path
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "dossier.json"
    for pid in range(os.getpid(), os.getpid() + 50):  # the names of earlier versions
        (shared / f".dossier.json.{pid}.tmp").symlink_to(victim)
    atomic_write(target, b'{"note": "$(rm -rf ~)"}')
    assert untouched(victim)
    assert target.read_bytes() == b'{"note": "$(rm -rf ~)"}'


def test_a_link_at_the_name_written_is_replaced_not_followed(tmp_path: Path, victim: Path) -> None:
    target = tmp_path / "dossier.json"
    target.symlink_to(victim)
    atomic_write(target, b"{}")
    assert untouched(victim)
    assert not target.is_symlink() and target.read_bytes() == b"{}"
    assert stat.S_IMODE(target.stat().st_mode) != 0o600  # the victim's mode is not copied


def test_temporary_names_cannot_be_guessed(tmp_path: Path) -> None:
    names = set()
    for _ in range(20):
        fd, tmp = exclusive_temporary(tmp_path / "x")
        os.close(fd)
        names.add(tmp.name)
    assert len(names) == 20


def test_a_lock_that_is_a_link_is_refused_and_its_target_keeps_its_mode(
    tmp_path: Path, victim: Path
) -> None:
    lock = tmp_path / "watch.lock"
    lock.symlink_to(victim)
    with pytest.raises(OSError):
        open_lock(lock)
    with pytest.raises(OSError):
        Leadership(lock).try_acquire()
    assert untouched(victim)


def test_a_lock_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "lock").mkdir()
    with pytest.raises(OSError):
        open_lock(tmp_path / "lock")


def test_the_licence_key_is_written_through_no_planted_link(tmp_path: Path, victim: Path) -> None:
    keys = tmp_path / "keys"
    keys.mkdir()
    for pid in range(os.getpid(), os.getpid() + 50):
        for name in (PRIVATE_NAME, PUBLIC_NAME):
            (keys / f".{name}.{pid}.tmp").symlink_to(victim)
    load_or_create_key(keys)
    assert untouched(victim)
