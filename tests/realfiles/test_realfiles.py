"""The regression corpus: real public files by others (tests/realfiles/SOURCES.md) go through the import as a
firm would receive them, each with the outcome written in expected.json (imported, held with these rule ids and
this buyer verdict, refused), and our verdicts agree with the independent checkers in ../shared/oracles.

Each UBL file is imported into a dossier named after its buyer, with the buyer's Belgian enterprise number when it
has one (else another number): so a foreign buyer's VAT number shows as "addressed to another company", and a
buyer with no comparable identifier is recognised by name. Documented differences with the oracle:
- e-FFF documents (`documents.validation.is_efff`): Peppol findings are warnings for us, fatal for the oracle.
- An XSD failure: the oracle also reports the rules of the layers after it; we stop at the schema ("XSD").
"""

import json
import re
import subprocess
from pathlib import Path

import pytest
from django.db import transaction

from banking.services import ingest_coda
from documents.services import import_purchase
from documents.ubl_read import read_ubl
from dossiers.models import Dossier

HERE = Path(__file__).resolve().parent
EXPECTED = json.loads((HERE / "expected.json").read_text())
UBL = sorted(EXPECTED["ubl"])
CODA = sorted(EXPECTED["coda"])
OTHER_NUMBER = "0403170701"


class _Rollback(Exception):
    pass


def _dossier_for(data: bytes) -> Dossier:
    buyer = read_ubl(data).buyer
    number = buyer.enterprise_number if len(buyer.enterprise_number) == 10 else OTHER_NUMBER
    return Dossier.objects.create(name=buyer.name or "Onbekend", enterprise_number=number)


def test_the_corpus_is_large_and_documented():
    assert len(UBL) + len(CODA) >= 40
    sources = (HERE / "SOURCES.md").read_text()
    for name in UBL + CODA:
        assert name in sources, f"{name} has no line in SOURCES.md"
    on_disk = {p.name for p in (HERE / "ubl").iterdir()} | {p.name for p in (HERE / "coda").iterdir()}
    assert on_disk == set(UBL) | set(CODA)


@pytest.mark.parametrize("name", UBL)
def test_each_ubl_file_has_its_outcome(firm_a, name):
    expected = EXPECTED["ubl"][name]
    data = (HERE / "ubl" / name).read_bytes()
    try:
        with transaction.atomic():
            if expected["outcome"] == "refused":
                dossier = Dossier.objects.create(name="Ontvanger", enterprise_number=OTHER_NUMBER)
            else:
                dossier = _dossier_for(data)
            result = import_purchase(dossier, data, name, None)
            document = result.document
            if expected["outcome"] == "refused":
                assert result.outcome == "refused" and document is None
                assert not dossier.documents.exists()
                raise _Rollback
            assert result.outcome == "imported", result.message
            with document.ubl.open("rb") as stored:
                assert stored.read() == data  # kept byte for byte
            fatal = sorted({f.rule for f in document.findings.all() if f.flag != "warning"})
            assert fatal == expected["rules"]
            assert document.is_credit_note == expected["credit_note"]
            assert document.wrong_buyer == (expected["buyer"] == "other")
            assert document.buyer_unidentified == (expected["buyer"] == "unidentified")
            assert document.held_back == (expected["outcome"] == "held")
            raise _Rollback
    except _Rollback:
        pass


@pytest.mark.parametrize("name", CODA)
def test_each_coda_file_has_its_outcome(firm_a, name):
    expected = EXPECTED["coda"][name]
    try:
        with transaction.atomic():
            dossier = Dossier.objects.create(name="Bank", enterprise_number=OTHER_NUMBER)
            result = ingest_coda(dossier, (HERE / "coda" / name).read_bytes(), name)
            assert result.outcome == expected["outcome"], result.message
            if expected["outcome"] == "stored":
                assert result.stored == expected["statements"]
            else:
                assert f"line {expected['line']}" in result.message or str(expected["line"]) in result.message
            raise _Rollback
    except _Rollback:
        pass


def _oracle(oracle_python, shared_dir, script: str, folder: Path) -> str:
    done = subprocess.run(
        [str(oracle_python), str(shared_dir / "oracles" / script), str(folder)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return done.stdout


def test_ubl_rule_ids_agree_with_the_oracle(oracle_python, shared_dir):
    output = _oracle(oracle_python, shared_dir, "check_ubl.py", HERE / "ubl")
    theirs: dict[str, set[str]] = {}
    current = None
    for line in output.splitlines():
        head = re.match(r"(PASS|FAIL)\s+(\S+)", line)
        if head:
            current = Path(head.group(2)).name
            theirs[current] = set()
        elif current and line.strip().startswith("FATAL"):
            theirs[current].add(line.split()[2])
    assert set(theirs) == set(UBL)
    for name in UBL:
        expected = EXPECTED["ubl"][name]
        if expected["outcome"] == "refused":
            continue
        ours = set(expected["rules"])
        if "XSD" in ours:  # we stop at the schema
            assert "XSD" in theirs[name], name
            continue
        if expected["efff"]:  # Peppol findings inform, for e-FFF
            theirs[name] = {rule for rule in theirs[name] if not rule.startswith("PEPPOL")}
        assert ours == theirs[name], name


def test_coda_verdicts_agree_with_the_oracle(oracle_python, shared_dir):
    for name in CODA:
        output = _oracle(oracle_python, shared_dir, "check_coda.py", HERE / "coda" / name)
        passed = re.search(r"^PASS\s", output, re.M) is not None
        assert passed == (EXPECTED["coda"][name]["outcome"] == "stored"), name
