"""Andamento's forms by age are counted from the list and the forms ledgers alone, and agree
with the dossiers read whole."""

from datetime import date

from procedure.office import Office
from procedure.services.trends import AGES, Trends
from tests.conftest import Clock


def by_reading_every_dossier(office: Office, today: date) -> dict[str, int]:
    ages = dict.fromkeys((label for label, _ in AGES), 0)
    for customer in office.all_customers():
        for form in customer.forms.values():
            if form.sent_at and not form.returned_at:
                days = (today - form.sent_at.date()).days
                ages[next(label for label, limit in AGES if days <= limit)] += 1
    return ages


def test_forms_by_age_agree_with_the_dossiers(demo: Office, clock: Clock) -> None:
    demo.checklist.set_step("C00003", "forms_sent", True, note="in prova")
    demo.checklist.form_sent("C00003", "privacy")
    clock.advance(days=10)
    demo.checklist.form_sent("C00003", "dpa")
    today = demo.clock().date()
    ages = Trends(demo).missing_by_age(today)
    assert ages == by_reading_every_dossier(demo, today)
    assert ages["0–7 giorni"] >= 1 and ages["8–30 giorni"] >= 1  # dpa today, privacy 10 days
    assert sum(ages.values()) >= 2
    # a form that comes back leaves the count
    demo.checklist.form_returned("C00003", "privacy", "scansione.pdf")
    after = Trends(demo).missing_by_age(today)
    assert sum(after.values()) == sum(ages.values()) - 1
    assert after == by_reading_every_dossier(demo, today)
