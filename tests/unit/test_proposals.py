"""What new items and blank forms start with, and the practised hand's small rules around
them: the cursor after a completion, the fields a step looks at, merged contacts."""

from datetime import date
from decimal import Decimal

from procedure.demo import PRODUCTS
from procedure.editing.proposals import new_item, priced, proposed
from procedure.enums import ContactRole, ProductKind
from procedure.model import (
    Address,
    Contact,
    Customer,
    Order,
    OrderLine,
    Product,
    Prospect,
)
from procedure.rules.conditions import fields_needed
from procedure.rules.steps import StepView, after_completion
from procedure.rules.validation import (
    default_tax_code,
    merged_contacts,
    validate_prospect,
)

CATALOGUE = {
    code: Product(code, text, ProductKind(kind), Decimal(price), licensed=licensed)
    for code, text, kind, price, licensed in PRODUCTS
}
TODAY = date(2026, 11, 28)


def ordered() -> Customer:
    c = Customer(
        code="C00009", name="Nove S.r.l.", address=Address("Via Nove 9", "35100", "Padova", "PD")
    )
    c.orders.append(
        Order(
            "ORD-7",
            date(2026, 3, 1),
            lines=[
                OrderLine("GEST-BASE", quantity=Decimal(3), price=Decimal(3500), edition="Pro"),
                OrderLine("ASS-SW", quantity=Decimal(1), price=Decimal(1800), discount=Decimal(10)),
                OrderLine("SRV-T1", price=Decimal(2400)),
            ],
        )
    )
    c.contacts = [
        Contact("Rita Legale", ContactRole.LEGAL_REP, "rita@nove.example"),
        Contact("Ugo Software", ContactRole.SOFTWARE, "ugo@nove.example"),
    ]
    return c


def test_a_new_order_is_numbered_and_dated_today() -> None:
    c = ordered()
    order = new_item("orders", c, CATALOGUE, TODAY)
    assert (order.number, order.ordered_on) == ("ORD-C00009-2", TODAY)
    c.orders.append(Order("ORD-C00009-3"))  # a number already taken is skipped
    assert new_item("orders", c, CATALOGUE, TODAY).number == "ORD-C00009-4"


def test_a_new_site_is_the_registered_office() -> None:
    c = ordered()
    site = new_item("sites", c, CATALOGUE, TODAY)
    assert (site.name, site.address) == ("Sede legale", c.address)
    site.address.city = "Altrove"
    assert c.address.city == "Padova"  # a copy, not the record's own
    c.sites.append(site)
    assert new_item("sites", c, CATALOGUE, TODAY).name == "Sede 2"


def test_a_new_contract_covers_the_software_bought_for_a_year_at_the_support_lines_fee() -> None:
    contract = new_item("contracts", ordered(), CATALOGUE, TODAY)
    assert contract.number == "CT-C00009-1"
    assert contract.products == ["GEST-BASE"]  # not the server, not the support line
    assert contract.annual_fee == Decimal("1620.00")  # 1800 less 10%
    assert (contract.start, contract.end) == (date(2026, 3, 1), date(2027, 2, 28))


def test_without_an_order_the_contract_starts_today_with_no_fee() -> None:
    contract = new_item("contracts", Customer(code="C00001"), CATALOGUE, TODAY)
    assert (contract.products, contract.annual_fee, contract.start) == ([], 0, TODAY)


def test_other_lists_have_no_proposal() -> None:
    assert new_item("contacts", ordered(), CATALOGUE, TODAY) is None
    assert new_item("orders[0].lines", ordered(), CATALOGUE, TODAY) is None


def test_a_line_without_a_price_takes_the_catalogues() -> None:
    line = OrderLine("GEST-MAG")
    assert priced("orders[0].lines", line, CATALOGUE).price == Decimal("1200.00")
    assert line.price == 0  # the line passed is left alone
    own = OrderLine("GEST-MAG", price=Decimal(900))
    assert priced("orders[0].lines", own, CATALOGUE).price == 900
    assert priced("orders[0].lines", OrderLine("NONE"), CATALOGUE).price == 0
    assert priced("orders", Order(), CATALOGUE) == Order()


def test_crm_tab_3_is_proposed_from_the_order_and_the_contacts() -> None:
    c = ordered()
    sw = proposed("division", c, CATALOGUE, TODAY).software_division
    assert (sw.products, sw.edition, sw.workstations) == (["GEST-BASE"], "Pro", 3)
    assert (sw.installed_on, sw.software_contact) == (TODAY, "Ugo Software")
    assert c.software_division.products == []  # the dossier itself is unchanged
    c.software_division.technician = "Paolo"
    c.software_division.workstations = 5
    kept = proposed("division", c, CATALOGUE, TODAY).software_division
    assert (kept.technician, kept.workstations) == ("Paolo", 5)  # what is there stays
    assert proposed("master", c, CATALOGUE, TODAY) == c


def view(status: str) -> StepView:
    return StepView("s", "S", "", status, "", "", None, False, ())


def test_after_a_completion_the_cursor_goes_to_the_next_open_step() -> None:
    before = [view(s) for s in ("done", "todo", "blocked", "done", "todo")]
    after = [view(s) for s in ("done", "done", "blocked", "done", "todo")]
    assert after_completion(before, after, 1) == 2  # blocked is still open: its data is next
    wrapped = [view(s) for s in ("todo", "done", "done", "done", "done")]
    assert after_completion(before, wrapped, 1) == 0  # from the top again
    assert after_completion(before, before, 1) == 1  # nothing happened: it stays
    assert after_completion(after, after, 1) == 1  # already done before: it stays
    finished = [view("done")] * 5
    assert after_completion(before, finished, 1) == 1  # nothing left open
    assert after_completion(before, after, 9) == 9


def test_the_fields_a_step_looks_at() -> None:
    assert fields_needed(("payment_terms_set",)) == {"payment_terms"}
    assert fields_needed(("has_travel_profile",), "sites") == {"km_one_way"}
    assert fields_needed(("has_travel_profile",)) == frozenset()  # items only within the list
    assert "annual_fee" in fields_needed(("contracts_complete",), "contracts")
    assert fields_needed(("has_order",), "orders") == frozenset()


def test_a_bare_email_named_later_is_one_contact() -> None:
    bare = Contact(email="Mario@nuova.example", osticket=True)
    named = Contact("Mario Nuovo", ContactRole.LEGAL_REP, "mario@nuova.example")
    other = Contact(email="info@nuova.example")
    merged = merged_contacts([bare, named, other])
    assert merged == [named, other] and named.osticket  # the account goes with the person
    phone = Contact(email="mario@nuova.example", phone="049 1")
    assert merged_contacts([phone, named]) == [phone, named]  # not bare: kept


def test_a_company_s_tax_code_is_its_vat_number_unless_said() -> None:
    c = Customer(code="C00001", name="A", vat_number="22334450289")
    default_tax_code(c)
    assert c.tax_code == "22334450289"
    wrong = Prospect(id="P0001", name="B", vat_number="22334450288")  # bad check digit
    default_tax_code(wrong)
    assert wrong.tax_code == ""


def test_a_prospect_contact_may_be_a_mailbox_but_a_person_has_a_name() -> None:
    mailbox = Prospect(id="P0001", name="B", contacts=[Contact(email="info@b.example")])
    assert validate_prospect(mailbox) == []
    person = Prospect(
        id="P0001", name="B", contacts=[Contact(role=ContactRole.IT, email="it@b.example")]
    )
    assert [p.path for p in validate_prospect(person)] == ["contacts[0].name"]
    user = Prospect(id="P0001", name="B", contacts=[Contact(email="x@b.example", osticket=True)])
    assert [p.path for p in validate_prospect(user)] == ["contacts[0].name"]


def test_a_form_opens_on_what_has_a_problem_or_the_step_still_needs() -> None:
    from procedure.editing.fields import SITE, to_fill
    from procedure.model import Site

    fields = list(SITE)
    site = Site(name="Sede legale")
    km = [f.path for f in fields].index("km_one_way")
    assert to_fill(fields, site, {}, frozenset({"km_one_way"})) == [km]
    site.km_one_way = Decimal(35)
    assert to_fill(fields, site, {}, frozenset({"km_one_way"})) == []
    problems = {"address.city": "città sconosciuta"}
    assert to_fill(fields, site, problems, frozenset()) == [2]  # the field with the problem
