"""A colleague at work, for the backup test: adds notes until told to stop, writing each
acknowledged one (after its commit returned) to its own file. A note refused because the
store stayed busy (a disk slow to sync under a backup's writes: nothing was changed, the
message says) is tried again, as a person does."""

import sys
from pathlib import Path

from procedure.office import Office
from store import StoreBusy


def main() -> None:
    data, code, name, acks, stop = sys.argv[1:6]
    office = Office.open(Path(data), user=name)
    n = 0
    with open(acks, "a", encoding="utf-8") as out:
        while not Path(stop).exists():
            n += 1
            note = f"{name}-{n}"
            try:
                office.checklist.add_note(code, "forms_sent", note)
            except StoreBusy:
                n -= 1  # not recorded: the same note again
                continue
            out.write(note + "\n")
            out.flush()


if __name__ == "__main__":
    main()
