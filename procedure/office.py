"""The Office: one data folder (folder.py: settings, the procedure, the unit of work, every
read) and the services that change it.

Every use case the CLI and the TUI offer is a method of one of the services the Office
composes (``office.checklist.set_step``, ``office.mail.send_bundle``, ...); each opens one
unit of work through ``office.dossiers`` and commits once. A service receives the data
folder and the other services it uses, each named: none of them knows the Office.
"""

import logging
from pathlib import Path
from typing import Any

from procedure.config.config_file import prepare_data_folder
from procedure.config.settings import Settings
from procedure.folder import Clock, CustomerView, DataFolder, FormView, Page, system_clock
from procedure.services.archiving.filing import Filing
from procedure.services.archiving.intake import Intake
from procedure.services.archiving.review import Review
from procedure.services.catalogue import Catalogue
from procedure.services.checklist import Checklist
from procedure.services.customers import Customers
from procedure.services.documents import Documents
from procedure.services.exchange import Exchange
from procedure.services.handovers import Handovers
from procedure.services.licences import Licences
from procedure.services.mail.inbox import Inbox
from procedure.services.mail.mailings import Mailings
from procedure.services.money.billing import Billing
from procedure.services.money.exports import Exports
from procedure.services.osticket import OsTicket
from procedure.services.product_import import ProductImport

__all__ = ["CustomerView", "FormView", "Office", "Page"]
log = logging.getLogger("acquisto.office")


class Office(DataFolder):
    """One data folder and the services that change it; safe to use from many processes
    at once."""

    def __init__(
        self, settings: Settings, *, clock: Clock = system_clock, user: str | None = None
    ) -> None:
        super().__init__(settings, lambda: self.billing, clock=clock, user=user)
        self.billing = Billing(self)
        self.licences = Licences(self)
        self.catalogue = Catalogue(self)
        self.customers = Customers(self)
        self.review = Review(self)
        self.checklist = Checklist(self, lambda code: self.osticket.flush_tickets(code))
        self.osticket = OsTicket(self, self.checklist)
        self.handovers = Handovers(self, self.checklist)
        self.filing = Filing(self, self.checklist)
        self.documents = Documents(self, self.billing, self.licences, self.filing)
        self.mail = Mailings(self, self.checklist, self.documents, self.licences)
        self.inbox = Inbox(self, self.filing, self.mail)
        self.intake = Intake(self, self.filing, self.inbox)
        self.product_import = ProductImport(self, self.catalogue)
        self.exchange = Exchange(self, self.catalogue)
        self.exports = Exports(self, self.billing)
        if self.store.migrated is not None or self.store.upgraded:  # the derived rows again
            self.dossiers.reindex(self.customer_codes(), [])
        if self.store.migrated is not None:
            log.warning("archivio dati convertito; i file precedenti sono in %s", self.migrated)

    @classmethod
    def open(cls, data_dir: Path, **kwargs: Any) -> "Office":
        """An Office on ``data_dir``, creating the folder, config and store on first use."""
        return cls(prepare_data_folder(data_dir), **kwargs)
