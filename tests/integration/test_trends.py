"""Andamento's forms by age are counted from the list and the forms ledgers alone, and agree
with the dossiers read whole."""

from datetime import date

from procedure.office import Office
from procedure.services.money.trends import AGES, Trends, month_starts
from tests.conftest import Clock, raw_sql


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
    ages = Trends(demo, demo.billing).missing_by_age(today)
    assert ages == by_reading_every_dossier(demo, today)
    assert ages["0–7 giorni"] >= 1 and ages["8–30 giorni"] >= 1  # dpa today, privacy 10 days
    assert sum(ages.values()) >= 2
    # a form that comes back leaves the count
    demo.checklist.form_returned("C00003", "privacy", "scansione.pdf")
    after = Trends(demo, demo.billing).missing_by_age(today)
    assert sum(after.values()) == sum(ages.values()) - 1
    assert after == by_reading_every_dossier(demo, today)


def test_invoices_by_month_agree_with_the_dossiers(demo: Office, clock: Clock) -> None:
    """The invoices per month summed by the store equal those worked out from every
    dossier; plans made under other rules, or missing, are not summed but worked out."""
    today = demo.clock().date()
    from_totals = Trends(demo, demo.billing).compute(today)
    assert sum(from_totals.invoices) > 3 and sum(from_totals.amounts) > 0
    assert [h for h, _ in demo.plan_heads()] and demo.codes_outside(
        [h for h, _ in demo.plan_heads()]
    ) == []
    kept = raw_sql(demo, "SELECT * FROM plans")
    raw_sql(demo, "DELETE FROM plans")  # every customer worked out from the dossier
    assert raw_sql(demo, "SELECT count(*) FROM plan_totals") == [(0,)]
    assert Trends(demo, demo.billing).compute(today) == from_totals
    for row in kept[1:]:  # one customer without a plan, the others with theirs
        raw_sql(demo, "INSERT INTO plans VALUES (?, ?, ?)", *row)
    assert demo.codes_outside([h for h, _ in demo.plan_heads()]) == [str(kept[0][0])]
    config = demo.settings.config_path
    config.write_text(
        config.read_text().replace('day_count = "actual/365"', 'day_count = "30/360"')
    )
    other_rule = Trends(demo, demo.billing).compute(today)
    assert len(demo.codes_outside([])) == 3  # no plan answers under the new rule
    demo.dossiers.reindex(demo.customer_codes(), [])  # the plans made under the new rule
    assert demo.codes_outside([h for h, _ in demo.plan_heads()]) == []
    assert Trends(demo, demo.billing).compute(today) == other_rule


def test_notices_and_renewals_count_the_deadlines_listed(demo: Office) -> None:
    """Counted per set of contract dates, they equal the deadlines listed one by one."""
    today = demo.clock().date()
    trend = Trends(demo, demo.billing).compute(today)
    notices, renewals = [0] * 12, [0] * 12
    months = [(d.year, d.month) for d in month_starts(today)]
    for d in demo.billing.deadlines(today, 400):
        if d.notice_by and (d.notice_by.year, d.notice_by.month) in months:
            notices[months.index((d.notice_by.year, d.notice_by.month))] += 1
        if d.renews and (d.term_end.year, d.term_end.month) in months:
            renewals[months.index((d.term_end.year, d.term_end.month))] += 1
    assert sum(notices) + sum(renewals) > 0
    assert (trend.notices, trend.renewals) == (notices, renewals)
