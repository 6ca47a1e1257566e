"""A colleague at work, for the backup test: adds notes until told to stop, writing each
acknowledged one (after its commit returned) to its own file."""

import sys
from pathlib import Path

from procedure.office import Office


def main() -> None:
    data, code, name, acks, stop = sys.argv[1:6]
    office = Office.open(Path(data), user=name)
    n = 0
    with open(acks, "a", encoding="utf-8") as out:
        while not Path(stop).exists():
            n += 1
            note = f"{name}-{n}"
            office.checklist.add_note(code, "forms_sent", note)
            out.write(note + "\n")
            out.flush()


if __name__ == "__main__":
    main()
