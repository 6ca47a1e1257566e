"""TUI benchmark at 10,000 and 100,000 customers, timed as a person sees it: the app runs in
a pseudo-terminal (as tmux or SSH gives it), keys are written as a terminal writes them,
and each figure runs from the key written to the screen settled, read back through a
terminal emulator; nothing is subtracted. Each figure is the median of ``--runs`` fresh
starts of the app. The last line is ``ratio: N``, the smallest of target ÷ measured over
every figure at every size (≥ 1 means every target is met).

Figures: the first screen interactive; a filter keystroke; opening a customer, and another;
the master-record form; a new contract's form; registering a review (``s``); a keystroke in
the command palette's filter; the Andamento screen; a mailing with its PDFs (``Invio`` in
its preview to "E-mail inviata", on the LibreOffice the app keeps warm).

    .venv/bin/python bench/tui.py [--customers 10000 100000] [--runs 5] [--keep DIR]

``--keep DIR`` builds the folders under DIR once and measures them again on later runs (a
run uses up one prepared review and one mailing: a folder is prepared for ``--runs``).
"""

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.store import STEPS_DONE, dossier
from bench.terminal import Terminal
from procedure.demo import DEMO
from procedure.office import Office
from tests.integration.test_watch import _fill_docx

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {
    "start": 1.5,
    "keystroke": 0.3,
    "open": 0.3,
    "open again": 0.3,
    "master record": 0.3,
    "new contract": 0.3,
    "review s": 0.3,
    "palette": 0.3,
    "andamento": 0.3,
    "mailing": 1.5,
}
LABELS = {
    "start": "first screen interactive",
    "keystroke": "filter keystroke",
    "open": "open a customer (first)",
    "open again": "open another customer",
    "master record": "open the master-record form",
    "new contract": "a new contract's form",
    "review s": "register a review (s)",
    "palette": "palette filter keystroke",
    "andamento": "the Andamento screen",
    "mailing": "a mailing with PDFs",
}
WARM_AFTER = 10.0  # seconds from start before the mailing: LibreOffice warm, as for a person
STEPS = ("Invio moduli da compilare", "Creazione anagrafica cliente", "Ordini all'amministr")


def on_customer(text: str) -> bool:
    return all(title in text for title in STEPS) and "Salva" not in text


def review_code(customers: int, run: int) -> str:
    """The customer whose returned form run ``run`` reviews (counted from the last)."""
    return f"C{customers - 2 * run:05d}"


def mailing_code(customers: int, run: int) -> str:
    """The customer whose forms run ``run`` mails."""
    return f"C{customers - 1 - 2 * run:05d}"


def prepare(folder: Path, customers: int, runs: range) -> None:
    """Per run, a customer whose master-data form came back filled (for the review) and
    one whose forms are still to send (for the mailing)."""
    office = Office.open(folder, user="bench")
    filing = office.filing
    filing.ensure_tree()
    for run in runs:
        code = review_code(customers, run)
        form = next(
            r for r in office.documents.generate(code, "forms").records if r.form == "master_data"
        )
        slot = filing.slot_dir(office.customer(code), "master_data")
        _fill_docx(Path(form.file), slot / "compilato.docx", {"invoice_email": "f@x.example"})
        filing.handle(slot / "compilato.docx")
        for step in reversed(STEPS_DONE):  # the later ones first, as the procedure asks
            office.checklist.set_step(mailing_code(customers, run), step, False, "bench")


def build(folder: Path, customers: int) -> None:
    office = Office.open(folder, user="bench")
    for start in range(0, customers, 10_000):  # in slices: the import holds one in memory
        batch = [dossier(i) for i in range(start, min(start + 10_000, customers))]
        office.exchange.import_document({"products": DEMO["products"], "customers": batch})
    os.sync()  # the build written back now, not during the measures


def apart(target: Callable[..., object], *args: object) -> None:
    """``target`` in a process of its own: the measures start from a fresh process, as a
    user's TUI does, not from one holding what a build left behind."""
    process = multiprocessing.get_context("spawn").Process(target=target, args=args)
    process.start()
    process.join()
    if process.exitcode != 0:
        raise SystemExit(f"{target.__name__} failed")


def built_apart(folder: Path, customers: int, how: Callable[[Path, int], object] = build) -> None:
    apart(how, folder, customers)


def shows(*texts: str) -> Callable[[str], bool]:
    return lambda screen: all(text in screen for text in texts)


def find(t: Terminal, code: str) -> float:
    """Filter the list down to ``code`` and open it; the seconds the opening took."""
    t.key("slash")
    for i in range(len(code)):
        t.key(code[i], shows(code[: i + 1]))
    t.key("enter")
    return t.key("enter", on_customer)


def to_step(t: Terminal, index: int) -> None:
    t.key("home", changes=False)
    for _ in range(index):
        t.key("down")


def measure(folder: Path, customers: int, run: int | None) -> dict[str, float]:
    """Every figure, once, from a fresh start of the app (``run`` None: the first screen
    and the filter keystrokes only)."""
    env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    env.pop("NO_COLOR", None)
    t = Terminal([sys.executable, str(ROOT / "main.py"), "--data", str(folder)], env)
    try:
        figures = {"start": t.settle(t.started, shows("C00001"))}
        t.key("slash")
        typed = f"C{int(customers * 0.95):05d}"[:5]  # narrows to about ten customers
        keys = [t.key(typed[i], shows(typed[: i + 1])) for i in range(len(typed))]
        figures["keystroke"] = statistics.median(keys)
        if run is None:
            return figures
        t.key("enter")
        t.key("down")
        figures["open"] = t.key("enter", on_customer)
        t.key("escape", lambda s: not on_customer(s))
        t.key("down")
        figures["open again"] = t.key("enter", on_customer)
        to_step(t, 1)
        figures["master record"] = t.key("e", lambda s: "Salva" in s and "Ragione sociale" in s)
        t.key("escape", on_customer)
        to_step(t, 4)
        t.key("e", lambda s: "Contratti" in s and not on_customer(s))
        figures["new contract"] = t.key("a", lambda s: "Contratto nuovo" in s)
        t.key("escape")
        if "non salvate" in t.shown:
            t.key("s")
        t.key("escape", on_customer)
        t.key("escape", lambda s: not on_customer(s))
        t.key("ctrl+p")
        figures["palette"] = t.key("c")
        t.key("escape")
        figures["andamento"] = t.key(
            "a", lambda s: "Fatture da emettere" in s and "Calcolo in corso" not in s
        )
        t.key("escape")
        find(t, review_code(customers, run))
        t.key("v", lambda s: "modulo rientrato" in s and "f@x.example" in s)
        figures["review s"] = t.key("s", on_customer)
        t.key("escape", lambda s: not on_customer(s))
        find(t, mailing_code(customers, run))
        to_step(t, 0)
        t.key("m", lambda s: "Invio invia" in s)
        time.sleep(max(0.0, t.started + WARM_AFTER - time.perf_counter()))
        figures["mailing"] = t.key("enter", lambda s: "E-mail inviata" in s)
        return figures
    finally:
        t.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the folders here once, then reuse")
    args = parser.parse_args()
    ratios = []
    for customers in args.customers:
        with tempfile.TemporaryDirectory() as tmp:
            folder = (args.keep or Path(tmp)) / f"data-{customers}"
            used = folder / "bench-runs"  # runs measured on a kept folder: their customers
            first = int(used.read_text()) if used.is_file() else 0
            todo = range(first, first + args.runs)
            if not (folder / "store").is_dir():
                built_apart(folder, customers)
            apart(prepare, folder, customers, todo)
            used.write_text(str(todo.stop))
            runs = [measure(folder, customers, run) for run in todo]
        print(
            f"{customers} customers, median of {args.runs} runs, from the key written into a "
            "terminal to the screen settled"
        )
        for key, label in LABELS.items():
            value = statistics.median(r[key] for r in runs)
            print(f"{label}: {value * 1000:.0f} ms (target ≤ {TARGETS[key] * 1000:.0f} ms)")
            ratios.append(TARGETS[key] / value)
    print(f"ratio: {min(ratios):.2f}")


if __name__ == "__main__":
    main()
