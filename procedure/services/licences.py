"""Issuing the licences of a customer's orders and verifying licence keys."""

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from procedure.enums import AuditAction
from procedure.errors import Refused
from procedure.folder import DataFolder
from procedure.licences.keys import (
    PUBLIC_NAME,
    fingerprint,
    load_or_create_key,
    load_public_key,
    payload,
    public_pem,
    sign,
)
from procedure.licences.keys import verify as verify_signature
from procedure.model import Licence, OrderLine
from procedure.rules.commerce.terms import add_months
from procedure.serial import to_data


def _validity(line: OrderLine, today: date) -> date | None:
    if not line.licence_months:
        return None
    return add_months(today, line.licence_months) - timedelta(days=1)


PIN = "licence-public-key"
REPLACED = (
    "la chiave pubblica delle licenze non è quella registrata quando è stata creata "
    "(file sostituito?): verifica rifiutata; ripristinarla da una copia di sicurezza"
)


class Licences:
    """Software licences: issued per licensed order line, verifiable offline."""

    def __init__(self, folder: DataFolder) -> None:
        self.folder = folder

    def keys_dir(self) -> Path:
        return self.folder.settings.data_dir / "keys"

    def issue(self, code: str) -> list[Licence]:
        """One licence per licensed order line not yet licensed; returns the new ones.

        Numbers ``LIC-YYYY-NNNNNN`` come from a per-year counter under the store lock, so no
        two processes ever hand out the same one.
        """
        key = load_or_create_key(self.keys_dir())
        self._pin(fingerprint(public_pem(key)))
        issued: list[Licence] = []
        with self.folder.dossiers.edit(code) as d:
            customer, today = d.customer, self.folder.clock().date()
            done = {(lic.order_number, lic.product_code) for lic in customer.licences}
            for order in customer.orders:
                for line in order.lines:
                    product = d.ctx.products.get(line.product_code)
                    if product is None or not product.licensed:
                        continue
                    if (order.number, line.product_code) in done:
                        continue
                    serial = d.next_number(f"licence-{today.year}")
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
                        valid_until=_validity(line, today),
                    )
                    licence.key = sign(payload(licence, customer), key)
                    customer.licences.append(licence)
                    issued.append(licence)
                    d.audit(AuditAction.LICENCE_ISSUE, licence.number, None, to_data(licence))
        return issued

    def _pin(self, value: str) -> None:
        """Record the verifying key's fingerprint the first time; refuse a different one."""
        with self.folder.dossiers.unit() as unit:
            pinned = unit.pin(PIN)
            if not pinned:
                unit.put_pin(PIN, value)
            elif pinned != value:
                raise Refused(REPLACED)

    def verify(self, key_text: str) -> tuple[dict[str, Any] | None, str]:
        """The certified payload and "", or None and why the key is not valid. The public
        key must be the one pinned when it was made: a replaced file verifies nothing."""
        public = self.keys_dir() / PUBLIC_NAME
        if not public.exists():
            return None, f"chiave pubblica {public} assente: nessuna licenza è stata ancora emessa"
        data = public.read_bytes()
        pinned = self.folder.pinned(PIN)
        if pinned and fingerprint(data) != pinned:
            return None, REPLACED
        return verify_signature(key_text, load_public_key(public))
