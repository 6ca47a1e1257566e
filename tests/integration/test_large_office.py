"""An office of 100,000 customers, built once through the bulk import (all or nothing),
then the store's crash and concurrency guarantees checked on it as on the demo."""

from pathlib import Path

import pytest

from bench.store import vat_number
from procedure.demo import load_demo
from procedure.office import Office
from procedure.problems import InvalidInput
from tests.integration.test_backup import backup_while_four_processes_write
from tests.integration.test_concurrency import (
    eight_processes_hundred_changes_each,
    sigkill_at_random_moments,
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]

SIZE = 100_000


def customer(i: int) -> dict[str, object]:
    vat = vat_number(SIZE + i)  # beyond the bench's numbers: the same rule, other values
    return {
        "code": f"C{i:05d}",
        "name": f"Cliente Numero {i:06d} S.r.l.",
        "vat_number": vat,
        "tax_code": vat,
        "pec": f"cliente{i}@pec.example",
        "address": {
            "street": "Via del Lavoro 1",
            "zip": "36100",
            "city": "Vicenza",
            "province": "VI",
        },
        "contacts": [{"name": "Anna Rossi", "role": "legal_rep", "email": f"c{i}@example.it"}],
    }


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three demo customers and 99,997 more in one import: one commit."""
    data = tmp_path_factory.mktemp("grande") / "data"
    office = Office.open(data, user="import")
    codes = load_demo(office, [customer(i) for i in range(4, SIZE + 1)])
    assert codes == ["C00001", "C00002", "C00003"]
    return data


def test_every_customer_is_listed_and_a_page_is_a_query(large: Path) -> None:
    office = Office.open(large)
    rows = office.list_customers()
    assert [r.code for r in rows] == sorted(f"C{i:05d}" for i in range(1, SIZE + 1))
    by_code = {r.code: r for r in rows}
    assert by_code["C42000"].name == "Cliente Numero 042000 S.r.l."
    assert by_code["C00001"].name == "Alfa Test Meccanica S.r.l."
    assert (by_code["C100000"].done, by_code["C100000"].total) == (0, 15)
    assert office.count_customers() == SIZE
    page = office.list_page(20, offset=50_000)
    assert [s.code for s in page] == [r.code for r in rows[50_000:50_020]]
    assert [s.code for s in office.find_customers("numero 042000")] == ["C42000"]
    assert office.store.integrity() == []


def test_a_bulk_import_with_one_bad_customer_writes_nothing(large: Path) -> None:
    office = Office.open(large)
    before = office.store.revision()
    batch = [customer(i) for i in range(SIZE + 1, SIZE + 3001)]
    batch[2500]["vat_number"] = "12345678901"  # wrong check digit, after a spill's worth
    with pytest.raises(InvalidInput) as refused:
        office.exchange.import_document({"customers": batch})
    assert [p.path for p in refused.value.problems] == ["customers[2500].vat_number"]
    assert office.store.revision() == before
    assert len(office.customer_codes()) == SIZE
    assert office.count_customers() == SIZE


def test_sigkill_never_tears_a_large_store(large: Path) -> None:
    sigkill_at_random_moments(large, "C00001")


def test_eight_processes_on_a_large_store(large: Path) -> None:
    eight_processes_hundred_changes_each(large, "C00001")


def test_backup_while_writers_work_on_a_large_store(
    large: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup_while_four_processes_write(large, tmp_path, capsys)
