"""Pure pieces of the intake: litter filter, stability with an injected clock, places,
safe names, and QR codes read from generated scans (rotated, blurred, JPEG, TIFF, PDF)."""

import io
from pathlib import Path, PurePath

import pytest
import segno
from PIL import Image, ImageFilter

from archive.intake import StabilityTracker, ignored, place
from archive.layout import Archive, OutsideArchive, customer_folder_name, safe_component
from archive.qr import Unreadable, parse, read_codes


@pytest.mark.parametrize(
    ("name", "skip"),
    [
        ("~$Raccolta.docx", True), ("scan.tmp", True), (".~lock.contratto.docx#", True),
        ("Thumbs.db", True), ("desktop.ini", True), ("._scan.pdf", True), (".hidden.pdf", True),
        ("THUMBS.DB", True), ("scan.pdf", False), ("Raccolta Dati Anagrafici.docx", False),
        ("modulo~1.pdf", False),
    ],
)  # fmt: skip
def test_litter_is_ignored(name: str, skip: bool) -> None:
    assert ignored(name) is skip


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_stability_waits_for_size_and_mtime_to_settle() -> None:
    clock = FakeClock()
    tracker = StabilityTracker(3.0, clock)
    assert tracker.observe("/a", 10, 1) is False  # first sight
    clock.now += 2.9
    assert tracker.observe("/a", 10, 1) is False
    clock.now += 0.2
    assert tracker.observe("/a", 20, 2) is False  # the scanner wrote more: start again
    clock.now += 2.99
    assert tracker.observe("/a", 20, 2) is False
    clock.now += 0.02
    assert tracker.observe("/a", 20, 2) is True
    tracker.forget("/a")
    assert tracker.pending() == []


def test_places_in_the_tree() -> None:
    slot = place(PurePath("Alfa S.r.l. - C00001/Moduli ricevuti/Informativa privacy/x.pdf"))
    assert (slot.kind, slot.customer_code, slot.slot_folder) == (
        "slot",
        "C00001",
        "Informativa privacy",
    )
    assert place(PurePath("Da archiviare/scan.pdf")).kind == "intake"
    assert place(PurePath("Da archiviare/sub/scan.pdf")).kind == "intake"  # scanners file by day
    assert place(PurePath("Alfa - C00001/Documenti inviati/x.docx")).kind == "other"
    assert place(PurePath("Alfa - C00001/Moduli ricevuti/x.pdf")).kind == "other"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "etc passwd - C1"),
        ("/root/.ssh", "root .ssh - C1"),
        ('CON: a*b?c"d<e>f|g\\h', "CON a b c d e f g h - C1"),
        ("...nascosto", "nascosto - C1"),
        ("Alfa Test S.r.l.", "Alfa Test S.r.l. - C1"),
        ("", "senza nome - C1"),
    ],
)
def test_customer_folder_names_are_safe(name: str, expected: str) -> None:
    assert customer_folder_name(name, "C1") == expected


def test_long_names_are_cut() -> None:
    assert len(safe_component("x" * 300)) == 60
    assert not safe_component("abc. . .").endswith(".")


def test_paths_cannot_leave_the_root(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "root")
    (tmp_path / "root").mkdir()
    with pytest.raises(OutsideArchive):
        archive.inside("..", "fuori")
    with pytest.raises(OutsideArchive):
        archive.inside("/etc")
    (tmp_path / "outside").mkdir()
    (tmp_path / "root" / "link").symlink_to(tmp_path / "outside")
    with pytest.raises(OutsideArchive, match="Collegamento"):
        archive.inside("link", "file.pdf")
    assert archive.inside("ok", "file.pdf") == (tmp_path / "root" / "ok" / "file.pdf").resolve()


def scan_page(payload: str, dpi: int = 200) -> Image.Image:
    """An A4 page at ``dpi`` with the form's QR code where the templates print it."""
    page = Image.new("L", (int(8.27 * dpi), int(11.69 * dpi)), 255)
    qr = Image.open(io.BytesIO(_png(payload))).convert("L")
    side = int(dpi * 0.95)  # 24 mm
    page.paste(qr.resize((side, side), Image.NEAREST), (page.width - side - dpi, dpi))
    return page


def _png(payload: str) -> bytes:
    out = io.BytesIO()
    segno.make(payload, error="m").save(out, kind="png", scale=8, border=4)
    return out.getvalue()


PAYLOAD = "ACQ1:C00001:master_data"


@pytest.mark.parametrize(
    "spoil",
    [
        lambda im: im,
        lambda im: im.rotate(90, expand=True, fillcolor=255),
        lambda im: im.rotate(180, expand=True, fillcolor=255),
        lambda im: im.rotate(7, expand=True, fillcolor=255),
        lambda im: im.filter(ImageFilter.GaussianBlur(1.2)),
        lambda im: im.point(lambda v: min(255, v + 40)),  # faded toner
    ],
    ids=["straight", "rotated-90", "upside-down", "skewed-7", "blurred", "faded"],
)
def test_qr_read_from_spoiled_scans(tmp_path: Path, spoil) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "scan.png"
    spoil(scan_page(PAYLOAD)).save(path)
    assert read_codes(path) == [PAYLOAD]


def test_qr_read_from_a_poor_jpeg(tmp_path: Path) -> None:
    path = tmp_path / "scan.jpg"
    scan_page(PAYLOAD).rotate(3, expand=True, fillcolor=255).save(path, quality=25)
    assert read_codes(path) == [PAYLOAD]


def test_qr_on_the_second_page_of_a_tiff(tmp_path: Path) -> None:
    path = tmp_path / "scan.tif"
    blank = Image.new("L", (1654, 2339), 255)
    blank.save(path, save_all=True, append_images=[scan_page(PAYLOAD)])
    assert read_codes(path) == [PAYLOAD]


def test_qr_in_a_pdf_scan(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    scan_page(PAYLOAD).convert("RGB").save(path, resolution=200)
    assert read_codes(path) == [PAYLOAD]


def test_unreadable_files_say_why_and_blank_ones_give_nothing(tmp_path: Path) -> None:
    (tmp_path / "rotto.pdf").write_bytes(b"%PDF-1.4 broken")
    (tmp_path / "bianco.png").write_bytes(b"")
    (tmp_path / "finto.docx").write_bytes(b"non uno zip")
    Image.new("L", (500, 500), 255).save(tmp_path / "vuoto.png")
    assert read_codes(tmp_path / "vuoto.png") == []
    for name, kind in (("rotto.pdf", "PDF"), ("bianco.png", "immagine"), ("finto.docx", "Word")):
        with pytest.raises(Unreadable) as err:
            read_codes(tmp_path / name)
        assert "non leggibile" in str(err.value) and kind in str(err.value)


def test_payload_parsing() -> None:
    assert parse("ACQ1:C00001:privacy") == ("C00001", "privacy")
    assert parse("ACQ1:C00001") is None
    assert parse("XYZ:C1:privacy") is None
