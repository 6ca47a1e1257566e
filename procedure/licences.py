"""Issuing the licences of a customer's orders and verifying licence keys."""

from datetime import timedelta
from typing import Any

from procedure.conditions import Context
from procedure.licensing import PUBLIC_NAME, load_or_create_key, load_public_key, payload, sign
from procedure.licensing import verify as verify_signature
from procedure.model import Licence
from procedure.office import Office
from procedure.serial import to_data
from procedure.terms import add_months
from store.repositories import Records


def keys_dir(office: Office) -> "Any":
    return office.settings.data_dir / "keys"


def issue_licences(office: Office, code: str) -> list[Licence]:
    """One licence per licensed order line not yet licensed; returns the new ones.

    Numbers ``LIC-YYYY-NNNNNN`` come from a per-year counter under the store lock, so no
    two processes ever hand out the same one.
    """
    key = load_or_create_key(keys_dir(office))
    issued: list[Licence] = []

    def change(ctx: Context, rec: Records) -> bool:
        customer = ctx.customer
        today = office.clock().date()
        done = {(lic.order_number, lic.product_code) for lic in customer.licences}
        for order in customer.orders:
            for line in order.lines:
                product = ctx.products.get(line.product_code)
                if product is None or not product.licensed:
                    continue
                if (order.number, line.product_code) in done:
                    continue
                serial = rec.next_number(f"licence-{today.year}")
                licence = Licence(
                    number=f"LIC-{today.year}-{serial:06d}",
                    order_number=order.number,
                    product_code=product.code,
                    product=product.description,
                    edition=line.edition,
                    modules=list(line.modules),
                    seats=max(1, int(line.quantity)),
                    type=line.licence_type,
                    issued_on=today,
                    valid_until=(
                        add_months(today, line.licence_months) - timedelta(days=1)
                        if line.licence_months
                        else None
                    ),
                )
                licence.key = sign(payload(licence, customer), key)
                customer.licences.append(licence)
                issued.append(licence)
                rec.customer_audit(
                    code, office.entry("licence.issue", licence.number, None, to_data(licence))
                )
        return bool(issued)

    office.change(code, change)
    return issued


def verify_key(office: Office, key_text: str) -> tuple[dict[str, Any] | None, str]:
    """The certified payload and "", or None and why the key is not valid."""
    public = keys_dir(office) / PUBLIC_NAME
    if not public.exists():
        return None, f"chiave pubblica {public} assente: nessuna licenza è stata ancora emessa"
    return verify_signature(key_text, load_public_key(public))
