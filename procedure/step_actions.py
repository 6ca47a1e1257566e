"""Which documents and which mailing belong to each step (what the TUI's keys act on)."""

STEP_DOCUMENTS: dict[str, tuple[str, ...]] = {
    "forms_sent": ("forms",),
    "order_entered": ("order",),
    "contract_sent": ("contract", "osticket"),
    "osticket_instructions_sent": ("osticket",),
    "contracts_to_management": ("handover",),
    "order_to_administration": ("order", "handover"),
    "licences_sent": ("licence",),
}
STEP_MAILING: dict[str, str] = {
    "forms_sent": "forms",
    "customer_created": "reminder",
    "forms_archived": "reminder",
    "contract_sent": "contracts",
    "osticket_instructions_sent": "contracts",
    "licences_sent": "licences",
}
