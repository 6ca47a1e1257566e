"""Wrong values do not pass: a company keeps its Partita IVA, the codice fiscale matches the
kind of party, a product has description and price, and a step ticked from the record's
data reopens itself (with its reason, audited) when the data no longer satisfies it."""

import copy
from decimal import Decimal

import pytest

from procedure.enums import AuditAction
from procedure.model import Product
from procedure.office import Office
from procedure.problems import InvalidInput


def saved(office: Office, code: str, **changes: object) -> None:
    view = office.view(code)
    c = copy.deepcopy(view.customer)
    for name, value in changes.items():
        setattr(c, name, value)
    office.customers.save(c, view.rev)


def test_a_created_company_keeps_its_partita_iva(demo: Office) -> None:
    assert demo.customer("C00001").steps["customer_created"].done
    with pytest.raises(InvalidInput) as refused:
        saved(demo, "C00001", vat_number="")
    assert [str(p) for p in refused.value.problems] == ["Partita IVA: obbligatoria per una società"]
    assert demo.customer("C00001").vat_number  # nothing written


def test_the_codice_fiscale_matches_the_kind_of_party(demo: Office) -> None:
    with pytest.raises(InvalidInput) as refused:
        saved(demo, "C00001", kind="sole_trader")
    (problem,) = refused.value.problems
    assert problem.label == "Codice fiscale" and "16 caratteri" in problem.message
    with pytest.raises(InvalidInput) as refused:
        saved(demo, "C00001", tax_code="RSSMRA85T10A562S")
    (problem,) = refused.value.problems
    assert problem.label == "Codice fiscale" and "11 cifre" in problem.message
    saved(demo, "C00001", kind="sole_trader", tax_code="RSSMRA85T10A562S")
    assert demo.customer("C00001").kind == "sole_trader"


def test_a_product_needs_description_and_price(demo: Office) -> None:
    with pytest.raises(InvalidInput) as refused:
        demo.catalogue.save_product(Product(code="NUOVO"))
    assert sorted(str(p) for p in refused.value.problems) == [
        "Descrizione: descrizione obbligatoria",
        "Prezzo di listino: obbligatorio (maggiore di zero)",
    ]
    demo.catalogue.save_product(Product(code="NUOVO", description="Nuovo", price=Decimal(10)))
    assert "NUOVO" in demo.products()


def test_a_step_reopens_when_its_data_no_longer_holds(demo: Office) -> None:
    saved(demo, "C00001", payment_terms="")
    state = demo.customer("C00001").steps["customer_created"]
    assert not state.done
    assert state.notes[-1].note.startswith("riaperto: Condizioni di pagamento")
    entry = demo.audit("C00001")[-1]
    assert (entry["action"], entry["target"]) == (AuditAction.STEP_REOPENED, "customer_created")
    assert "Condizioni di pagamento" in entry["after"]
    assert demo.customer("C00001").steps["order_entered"].done  # an act already done stays
    view = next(s for s in demo.view("C00001").steps if s.id == "customer_created")
    assert view.status == "blocked" and "Condizioni di pagamento" in view.reason


def test_a_step_whose_data_holds_is_left_alone(demo: Office) -> None:
    saved(demo, "C00001", pec="nuova@pec.example")
    assert demo.customer("C00001").steps["customer_created"].done
    assert demo.audit("C00001")[-1]["action"] == AuditAction.CUSTOMER_UPDATE
