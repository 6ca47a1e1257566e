"""Whose form a scan's text is: identifiers before names, the form by its printed title even
when OCR misreads a letter of it."""

from archive.intake import shown, undecodable
from procedure.rules.identify import Party, suggest

ALFA = Party("C00001", "Alfa Test Meccanica S.r.l.", "12345670249", "")
BETA = Party("C00002", "Beta Prova Servizi S.p.A.", "76543210280", "")
TITLES = {
    "master_data": ("Raccolta Dati Anagrafici", "Raccolta Dati Anagrafici e dati di fatturazione"),
    "privacy": ("Informativa sul trattamento dei dati personali", "Informativa privacy"),
}


def test_an_identifier_on_the_page_wins_over_a_name_read_before_it() -> None:
    parts = [
        (1, "Raccolta Dati Anagrafici\nRagione sociale Alfa Test Meccanica S.r.l."),
        (1, "Partita IVA 76543210280"),  # the page's own identifier: Beta's
        (2, "Alfa Test Meccanica S.r.l. 12345670249"),
    ]
    found = suggest(parts, [ALFA, BETA], TITLES, set())
    assert found is not None
    assert (found.code, found.form) == ("C00002", "master_data")
    assert "P.IVA 76543210280 trovata a pagina 1" in found.why
    assert "modulo dal titolo «Raccolta Dati Anagrafici»" in found.why


def test_a_name_holds_once_its_page_is_read_and_the_next_page_is_not_read() -> None:
    read: list[int] = []

    def parts():  # type: ignore[no-untyped-def]
        for page, text in [
            (1, "Informativa sul trattarnento dei dati personali"),  # "rn" for "m": OCR
            (1, "Il cliente Alfa Test Meccanica S.r.l. dichiara"),
            (2, "Partita IVA 76543210280"),
        ]:
            read.append(page)
            yield page, text

    found = suggest(parts(), [ALFA, BETA], TITLES, set())
    assert found is not None
    assert (found.code, found.form) == ("C00001", "privacy")
    assert "ragione sociale «Alfa Test Meccanica S.r.l.» trovata a pagina 1" in found.why
    assert read == [1, 1, 2]  # page 2 was begun, and its identifier did not count


def test_our_own_identifier_and_unknown_text_suggest_nothing() -> None:
    parts = [(1, "Delta Test Informatica S.r.l. P.IVA 13579130280"), (1, "Nota interna")]
    assert suggest(parts, [ALFA, BETA], TITLES, {"13579130280"}) is None


def test_a_form_without_a_recognised_title_says_so() -> None:
    found = suggest([(1, "Fattura 12345670249")], [ALFA], TITLES, set())
    assert found is not None
    assert found.form == ""
    assert found.why.endswith("modulo non riconosciuto dal titolo")


def test_names_that_are_not_utf8_are_shown_escaped() -> None:
    name = b"scansione\xff\x1b.pdf".decode("utf-8", "surrogateescape")
    assert undecodable(name) and not undecodable("città.pdf")
    assert shown(name) == "scansione\\xff?.pdf"
    assert shown("città.pdf") == "città.pdf"
