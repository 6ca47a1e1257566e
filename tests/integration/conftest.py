"""Documents the signing tests sign: generated as the customer receives them."""

from pathlib import Path

import pytest

from procedure.office import Office
from tests.integration.imap_server import dovecot, imap  # noqa: F401  (fixtures)
from tests.integration.test_mail import smtp  # noqa: F401  (fixture)


@pytest.fixture
def privacy_pdf(demo: Office) -> bytes:
    """C00001's privacy notice, as mailed (PDF, QR code on it)."""
    records = demo.documents.generate("C00001", "forms", pdf=True).records
    (privacy,) = [r for r in records if r.form == "privacy"]
    return Path(privacy.pdf).read_bytes()


@pytest.fixture
def contract_pdf(demo: Office) -> bytes:
    """C00001's support contract, as mailed for signing."""
    records = demo.documents.generate("C00001", "contract", pdf=True).records
    contract = next(r for r in records if r.form == "signed_contract")
    return Path(contract.pdf).read_bytes()
