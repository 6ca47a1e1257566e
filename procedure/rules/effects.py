"""Named effects the procedure file attaches to a step: what completing it sets in motion."""

from collections.abc import Callable

from procedure.enums import ContractStatus, ContractType
from procedure.rules.conditions import Context


def queue_osticket_ticket(ctx: Context) -> None:
    """Mark each support contract without a "contratto attivato" ticket as waiting for one;
    the ticket is opened after the change is saved, and retried until osTicket takes it."""
    for contract in ctx.customer.contracts:
        active = (
            contract.type == ContractType.SOFTWARE and contract.status != ContractStatus.CANCELLED
        )
        if active and not contract.osticket_ticket:
            contract.osticket_pending = True


EFFECTS: dict[str, Callable[[Context], None]] = {f.__name__: f for f in (queue_osticket_ticket,)}
