"""The archive's listing on a real folder: a rescan opens only the slots that changed."""

import json
import os
from pathlib import Path

from archive.layout import INTAKE, RECEIVED
from archive.listing import candidates, listing, start_listing
from archive.watcher import KnownFiles, Watcher

SLOTS = ("Privacy", "Nomina DPA", "Anagrafica")


def tree(root: Path) -> dict[str, Path]:
    """Two customers' slots, the first privacy form already returned."""
    slots = {}
    for customer in ("Alfa - C1", "Beta - C2"):
        for name in SLOTS:
            folder = root / customer / RECEIVED / name
            folder.mkdir(parents=True)
            slots[f"{customer}/{name}"] = folder
    (slots["Alfa - C1/Privacy"] / "privacy.pdf").write_bytes(b"scan")
    (root / INTAKE).mkdir()
    return slots


def clock_past(root: Path, folders: list[Path]) -> int:
    """Start a listing once the file system's clock has moved past the folders' times
    (it advances in ticks of a few milliseconds)."""
    latest = max(f.stat().st_ctime_ns for f in folders)
    while True:
        started = start_listing(root)
        assert started is not None
        if started > latest:
            return started


def test_a_rescan_opens_only_slots_changed_or_holding_files(tmp_path: Path) -> None:
    slots = tree(tmp_path)
    since = clock_past(tmp_path, list(slots.values()))
    first = listing(tmp_path)
    assert first.busy == {f"Alfa - C1/{RECEIVED}/Privacy"} and first.skipped == 0
    (slots["Beta - C2/Nomina DPA"] / "dpa.pdf").write_bytes(b"firmata")  # after the listing
    (slots["Alfa - C1/Privacy"] / "privacy.pdf").write_bytes(b"scan, rifatta")  # in place
    (tmp_path / INTAKE / "scanner.pdf").write_bytes(b"da smistare")
    again = listing(tmp_path, since, frozenset(first.busy), settle_ns=0)
    assert sorted((rel, size) for rel, size, _ in again.files) == [
        (f"Alfa - C1/{RECEIVED}/Privacy/privacy.pdf", 13),  # a busy slot is listed again
        (f"Beta - C2/{RECEIVED}/Nomina DPA/dpa.pdf", 7),  # its folder's time moved
        (f"{INTAKE}/scanner.pdf", 11),  # the intake is always listed
    ]
    assert again.skipped == 4  # the four slots unchanged and empty were not opened
    assert sorted(again.files) == sorted(candidates(tmp_path))  # what a whole listing finds


def test_a_slot_renamed_or_emptied_since_is_listed(tmp_path: Path) -> None:
    slots = tree(tmp_path)
    since = clock_past(tmp_path, list(slots.values()))
    first = listing(tmp_path)
    moved = tmp_path / "altrove.pdf"
    moved.write_bytes(b"x")
    os.replace(moved, slots["Beta - C2/Anagrafica"] / "anagrafica.pdf")
    os.unlink(slots["Alfa - C1/Privacy"] / "privacy.pdf")
    again = listing(tmp_path, since, frozenset(first.busy), settle_ns=0)
    assert [rel for rel, _, _ in again.files] == [f"Beta - C2/{RECEIVED}/Anagrafica/anagrafica.pdf"]
    assert again.busy == {f"Beta - C2/{RECEIVED}/Anagrafica"}


def test_the_watcher_keeps_when_its_listing_began(tmp_path: Path) -> None:
    root, state = tmp_path / "archivio", tmp_path / "watch-state.json"
    tree(root)
    handed: list[Path] = []
    watcher = Watcher(root, handed.append, state, delay=0)
    watcher.scan_once(wait=False)
    saved = json.loads(state.read_bytes())
    assert saved["version"] == 2 and saved["listed_at"] == root.stat().st_ctime_ns
    assert saved["busy"] == [f"Alfa - C1/{RECEIVED}/Privacy"]
    assert [p.name for p in handed] == ["privacy.pdf"]
    known = KnownFiles(state)
    assert known.listed_at == saved["listed_at"] and set(known.files) == {
        f"Alfa - C1/{RECEIVED}/Privacy/privacy.pdf"
    }


def test_an_older_or_damaged_state_means_one_whole_listing(tmp_path: Path) -> None:
    state = tmp_path / "watch-state.json"
    state.write_text(json.dumps({"Alfa/Moduli ricevuti/Privacy/p.pdf": [4, 5]}))  # before v2
    older = KnownFiles(state)
    assert older.files == {"Alfa/Moduli ricevuti/Privacy/p.pdf": (4, 5)}
    assert older.listed_at is None
    for damaged in ('{"version": 2, "files": {}, "listed_at": 7}', '{"version": 2, "files": 3}'):
        state.write_text(damaged)
        known = KnownFiles(state)
        assert (known.files, known.listed_at, known.busy) == ({}, None, frozenset())
