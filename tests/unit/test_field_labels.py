"""A problem names its field as a person reads it, never by its internal path."""

from procedure.editing.field_labels import CUSTOMER, DOCUMENT, PRODUCT, describe, labelled
from procedure.problems import Problem


def test_fields_of_the_record_and_of_its_lists_are_named_in_italian() -> None:
    assert describe("vat_number", CUSTOMER) == "Partita IVA"
    assert describe("orders[0].ordered_on", CUSTOMER) == "Ordine 1, data dell'ordine"
    assert describe("orders[1].lines[2].price", CUSTOMER) == "Ordine 2, riga 3, prezzo unitario"
    assert describe("contracts[0]", CUSTOMER) == "Contratto 1"
    assert describe("orders", CUSTOMER) == "Ordini"
    assert describe("address", CUSTOMER) == "Indirizzo"
    assert describe("price", PRODUCT) == "Prezzo di listino"
    assert describe("customers[2].address.zip", DOCUMENT) == "Cliente 3, CAP"


def test_a_labelled_problem_prints_its_label_and_in_a_file_its_path_too() -> None:
    (p,) = labelled([Problem("contacts[0].email", "indirizzo e-mail non valido")], CUSTOMER)
    assert str(p) == "Contatto 1, e-mail: indirizzo e-mail non valido"
    (q,) = labelled([Problem("products[0].price", "obbligatorio")], DOCUMENT, in_file=True)
    assert str(q) == "Prodotto 1, prezzo di listino (products[0].price): obbligatorio"
    assert str(Problem("x", "senza nome")) == "x: senza nome"  # unlabelled: as before
