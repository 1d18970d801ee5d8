"""The CODA reader agrees with the independent checker (../shared/oracles/check_coda.py) on real files by others,
and the demo bank's CODA passes that checker."""

import re
import subprocess
from datetime import date, timedelta
from decimal import Decimal

import pytest

from banking.coda import CodaError, read_coda
from banking.coda_write import CodaAccount, CodaMovement, write_statement

LINE = re.compile(
    r"account (\S+) (\w+) \| statement (\d+) \(coda seq \d+\) \| old (\S+) @(\S+) \| new (\S+) @(\S+) \| "
    r"movements (\d+) "
)


def oracle(oracle_python, shared_dir, *paths) -> tuple[int, str]:
    done = subprocess.run(
        [str(oracle_python), str(shared_dir / "oracles" / "check_coda.py"), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, done.stdout


def test_it_reads_every_sample_as_the_oracle_does(oracle_python, shared_dir, coda_fixtures):
    assert coda_fixtures
    for path in coda_fixtures:
        code, output = oracle(oracle_python, shared_dir, path)
        assert code == 0, output
        expected = [m.groups() for m in LINE.finditer(output)]
        mine = read_coda(path.read_bytes())
        assert len(mine) == len(expected), path.name
        for statement, (account, currency, number, old, old_date, new, new_date, moves) in zip(
            mine, expected, strict=True
        ):
            assert account in (statement.account, statement.account[4:]), path.name  # BBAN shown as IBAN
            assert statement.currency == currency
            assert statement.number == int(number), path.name
            assert statement.old_balance == Decimal(old) and statement.new_balance == Decimal(new), path.name
            assert statement.old_balance_date == date.fromisoformat(old_date)
            assert statement.new_balance_date == date.fromisoformat(new_date)
            assert len(statement.movements) == int(moves), path.name


def test_it_refuses_every_invalid_sample_with_a_line(oracle_python, shared_dir, invalid_coda_fixtures):
    assert invalid_coda_fixtures
    code, output = oracle(oracle_python, shared_dir, *invalid_coda_fixtures)
    assert code == 1 and f"0 passed, {len(invalid_coda_fixtures)} failed" in output
    for path in invalid_coda_fixtures:
        with pytest.raises(CodaError) as caught:
            read_coda(path.read_bytes())
        assert caught.value.line is not None, path.name


def test_the_demo_writers_statements_pass_the_oracle_and_chain(oracle_python, shared_dir, tmp_path):
    account = CodaAccount("BE68539007547034", "EUR", "Bakkerij Peeters", "KREDBEBB", "725", "0202239951")
    balance, day, files = Decimal("1000.00"), date(2025, 12, 29), []
    for number in range(1, 6):
        movements = [
            CodaMovement(
                Decimal("121.00"),
                day,
                "Hotel Du Parc NV",
                "BE71096123456769",
                communication="020223995102",
                structured=True,
            ),
            CodaMovement(
                Decimal("-45.37"),
                day,
                "Molens Dédobbeleer",
                "BE43068999999501",
                communication="Factuur 2025-017 meel en gist, levering december " * 3,
            ),
        ]
        files.append(write_statement(account, number, balance, day - timedelta(days=1), day, movements))
        balance += Decimal("75.63")
        day += timedelta(days=1)
    for index, data in enumerate(files):
        (tmp_path / f"day{index}.cod").write_bytes(data)
    code, output = oracle(oracle_python, shared_dir, tmp_path)
    assert code == 0, output
    statements = [s for data in files for s in read_coda(data)]
    for before, after in zip(statements, statements[1:], strict=False):
        assert after.old_balance == before.new_balance
        assert after.old_balance_date == before.new_balance_date
