"""Reading Belgian CODA 2.x bank statement files (Febelfin, 128-character records): bytes in, dataclasses out.

Pure: no ORM, no request, no settings. A file that does not hold consistent CODA raises `CodaError` with the
record's line number and a message id that the caller translates (`gettext_noop` marks them for makemessages).
Each statement keeps its own slice of the original bytes (header record 0 up to and including trailer record 9),
which is what gets stored and delivered.

Why not `febelfin-coda` (Tryton, BSD): it checks the trailer with `assert` (gone under `python -O`), reports no
line numbers, reads from a path or text stream only and gives no per-statement bytes.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


def gettext_noop(message: str) -> str:
    """Marks a message for makemessages without needing Django settings; the caller translates."""
    return message


RECORD_LENGTH = 128
ZERO = Decimal("0.000")
# Movement types (record 2.1 position 54): 0-3 are movements counted in the totals, 5-9 details of one.
COUNTED_TYPES = frozenset("0123")
DETAIL_TYPES = frozenset("56789")


class CodaError(Exception):
    """Why a file is not acceptable. `message` is an English msgid with %-style `params`; `line` is the 1-based
    line number of the offending record (None for the file as a whole)."""

    def __init__(self, message: str, line: int | None = None, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message, self.line, self.params = message, line, params


@dataclass
class Movement:
    sequence: int
    detail: int
    bank_reference: str
    amount: Decimal  # negative for a debit
    value_date: date | None
    entry_date: date | None
    transaction_code: str
    communication: str = ""  # free text, or the 12 digits of a structured communication
    structured: bool = False
    counterparty_name: str = ""
    counterparty_account: str = ""
    counterparty_bic: str = ""
    line: int = 0
    details: int = 0  # detail movements (types 5-9) that belong to this one

    @property
    def communication_display(self) -> str:
        return format_structured(self.communication) if self.structured else self.communication


@dataclass
class Statement:
    line: int  # line of the header record
    creation_date: date
    bank_id: str
    bic: str
    duplicate: bool  # the bank marked the file "D" (a copy it sent before)
    account_structure: str
    account: str  # compact IBAN for structures 0, 2 and 3; the bank's own number for 1 (foreign, not IBAN)
    currency: str
    holder_name: str
    description: str
    number: int  # statement number (record 8, else record 1)
    coda_sequence: int
    old_balance: Decimal
    old_balance_date: date
    new_balance: Decimal = ZERO
    new_balance_date: date | None = None
    total_debit: Decimal = ZERO
    total_credit: Decimal = ZERO
    records: int = 0
    movements: list[Movement] = field(default_factory=list)
    free_text: list[str] = field(default_factory=list)
    data: bytes = b""

    @property
    def year(self) -> int:
        # A statement without a new balance record (8) keeps its old balance and date (see _close).
        return (self.new_balance_date or self.old_balance_date).year


def format_structured(digits: str) -> str:
    """'123456789002' → '+++123/4567/89002+++' (anything else unchanged)."""
    if len(digits) == 12 and digits.isdigit():
        return f"+++{digits[:3]}/{digits[3:7]}/{digits[7:]}+++"
    return digits


def belgian_iban(bban: str) -> str:
    """The IBAN of a 12-digit Belgian account number (ISO 13616 check digits)."""
    check = 98 - int(bban + "111400") % 97  # "BE00" moved to the end, B=11, E=14
    return f"BE{check:02d}{bban}"


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return raw.decode("latin-1")


def _number(text: str, line: int, what: str) -> int:
    if not text.isdigit():
        raise CodaError(gettext_noop("%(field)s is not a number: “%(value)s”."), line, field=what, value=text)
    return int(text)


def _amount(sign: str, digits: str, line: int, what: str) -> Decimal:
    if sign not in "01" or not digits.isdigit():
        raise CodaError(gettext_noop("%(field)s is not an amount: “%(value)s”."), line, field=what, value=sign + digits)
    value = Decimal(digits).scaleb(-3)
    return -value if sign == "1" else value


def _optional_date(text: str, line: int, what: str) -> date | None:
    """A date that a bank may leave as zeros or blanks."""
    return None if text.strip("0 ") == "" else _date(text, line, what)


def _date(text: str, line: int, what: str) -> date:
    try:
        return date(2000 + int(text[4:6]), int(text[2:4]), int(text[:2]))
    except ValueError:
        raise CodaError(
            gettext_noop("%(field)s is not a date (DDMMYY): “%(value)s”."), line, field=what, value=text
        ) from None


def _account(record: str, line: int) -> tuple[str, str, str]:
    """(structure, account, currency) from the account zone of record 1 (positions 2 and 6-42)."""
    structure = record[1]
    zone = record[5:42]
    if structure == "0":
        bban = zone[:12]
        if not bban.isdigit():
            raise CodaError(gettext_noop("The Belgian account number “%(value)s” is not 12 digits."), line, value=bban)
        return structure, belgian_iban(bban), zone[13:16]
    if structure in ("1", "2", "3"):
        width = 16 if structure == "2" else 34
        return structure, zone[:width].replace(" ", "").upper(), zone[34:37]
    raise CodaError(gettext_noop("Unknown account structure “%(value)s”."), line, value=structure)


def read_coda(data: bytes) -> list[Statement]:
    """All statements of a CODA 2.x file, checked. Refuses (CodaError) a file with a record that is not 128
    characters, records out of order, a version other than 2, a trailer whose record count or debit/credit
    totals disagree with the movements, an account that differs between records 1 and 8, or a statement whose
    old balance plus its movements is not its new balance."""
    if not data.strip():
        raise CodaError(gettext_noop("The file is empty."))
    lines = data.splitlines(keepends=True)
    # Trailing blank lines and a DOS end-of-file mark are tolerated; nothing else after the last trailer.
    while lines and not lines[-1].strip(b"\r\n\x1a "):
        lines.pop()
    reading = _Reading()
    offset = 0
    for number, raw in enumerate(lines, start=1):
        line_start, offset = offset, offset + len(raw)
        record = _record(raw, number)
        reading.check_expected(record[0], number)
        if record[0] == "9":
            reading.trailer(record, number, data[reading.start_offset : offset])
        else:
            reading.take(record, number, line_start)
    if reading.current is not None or reading.expect != "0":
        raise CodaError(gettext_noop("The file ends before the trailer record (9)."), len(lines))
    return reading.statements


def _record(raw: bytes, number: int) -> str:
    """One line as a 128-character record (its line end removed)."""
    record = _decode(raw.rstrip(b"\r\n"))
    if len(record) != RECORD_LENGTH:
        raise CodaError(
            gettext_noop("The record is %(length)s characters long; CODA records have 128."),
            number,
            length=len(record),
        )
    return record


@dataclass
class _Reading:
    """Where reading a file stands: the statements read, the one being read, and which records may come next."""

    statements: list[Statement] = field(default_factory=list)
    current: Statement | None = None
    movement: Movement | None = None  # the last movement record (2.1), which records 2.2 and 2.3 continue
    expect: str = "0"
    start_offset: int = 0  # where the current statement's header record starts in the file
    header: str = ""
    header_line: int = 0
    account_zone: str = ""  # record 1's account, which record 8 must repeat

    def check_expected(self, kind: str, number: int) -> None:
        if kind in self.expect:
            return
        if self.current is None and number == 1:
            raise CodaError(
                gettext_noop("This is not a CODA file: it does not start with a header record (0)."), number
            )
        raise CodaError(gettext_noop("Record type “%(kind)s” is not expected here."), number, kind=kind)

    def statement(self) -> Statement:
        # check_expected lets records 2, 3, 4, 8 and 9 through only after a record 1.
        assert self.current is not None
        return self.current

    def take(self, record: str, number: int, line_start: int) -> None:
        """Records 0 to 8; the trailer (9) closes the statement in `trailer`."""
        kind = record[0]
        if kind == "0":
            self._header(record, number, line_start)
        elif kind == "1":
            self._old_balance(record, number)
        elif kind == "2":
            self.statement().records += 1
            self.movement = _movement_record(record, number, self.statement(), self.movement)
            self.expect = "23489"
        elif kind == "3":
            if record[1] not in "123":
                raise CodaError(gettext_noop("Record type “%(kind)s” is not expected here."), number, kind=record[:2])
            self.statement().records += 1
            self.expect = "23489"
        elif kind == "8":
            self._new_balance(record, number)
        elif kind == "4":
            self.statement().free_text.append(record[32:112].rstrip())
        else:
            raise CodaError(gettext_noop("Record type “%(kind)s” is not expected here."), number, kind=kind)

    def _header(self, record: str, number: int, line_start: int) -> None:
        if record[127] != "2":
            raise CodaError(
                gettext_noop("CODA version %(version)s is not supported (only version 2)."),
                number,
                version=record[127],
            )
        self.start_offset, self.header, self.header_line = line_start, record, number
        self.expect = "1"

    def _old_balance(self, record: str, number: int) -> None:
        header, header_line = self.header, self.header_line
        structure, account, currency = _account(record, number)
        self.current = Statement(
            line=header_line,
            creation_date=_date(header[5:11], header_line, "creation date"),
            bank_id=header[11:14],
            bic=header[60:71].strip(),
            duplicate=header[16] == "D",
            account_structure=structure,
            account=account,
            currency=currency,
            holder_name=record[64:90].strip(),
            description=record[90:125].strip(),
            number=_number(record[2:5], number, "statement number"),
            coda_sequence=_number(record[125:128], number, "CODA sequence number"),
            old_balance=_amount(record[42], record[43:58], number, "old balance"),
            old_balance_date=_date(record[58:64], number, "old balance date"),
            records=1,
        )
        self.account_zone = record[5:42]
        self.movement = None
        self.expect = "23489"

    def _new_balance(self, record: str, number: int) -> None:
        if record[4:41] != self.account_zone:
            raise CodaError(
                gettext_noop("The account in the new balance record (8) differs from the old balance record (1)."),
                number,
            )
        statement = self.statement()
        statement.records += 1
        statement.number = _number(record[1:4], number, "statement number")
        statement.new_balance = _amount(record[41], record[42:57], number, "new balance")
        statement.new_balance_date = _date(record[57:63], number, "new balance date")
        self.expect = "49"

    def trailer(self, record: str, number: int, data: bytes) -> None:
        """Record 9: the statement is checked against its trailer and keeps its bytes (records 0 to 9)."""
        statement = self.statement()
        _close(statement, record, number, debit_credit(statement))
        statement.data = data
        self.statements.append(statement)
        self.current, self.movement, self.expect = None, None, "0"


def debit_credit(statement: Statement) -> tuple[Decimal, Decimal]:
    debit = credit = ZERO
    for m in statement.movements:
        if m.amount < 0:
            debit -= m.amount
        else:
            credit += m.amount
    return debit, credit


def _movement_record(record: str, number: int, statement: Statement, movement: Movement | None) -> Movement:
    article = record[1]
    sequence = _number(record[2:6], number, "sequence number")
    detail = _number(record[6:10], number, "detail number")
    if article == "1":
        code = record[53:61]
        structured = record[61] == "1" and record[62:65] in ("101", "102")
        new = Movement(
            sequence=sequence,
            detail=detail,
            bank_reference=record[10:31].strip(),
            amount=_amount(record[31], record[32:47], number, "amount"),
            value_date=_optional_date(record[47:53], number, "value date"),
            entry_date=_optional_date(record[115:121], number, "entry date"),
            transaction_code=code,
            communication=record[65:77] if structured else record[62:115].rstrip(),
            structured=structured,
            line=number,
        )
        if code[:1] in COUNTED_TYPES:
            statement.movements.append(new)
        elif code[:1] in DETAIL_TYPES:
            if not statement.movements or statement.movements[-1].sequence != sequence:
                raise CodaError(gettext_noop("A detail movement has no movement it belongs to."), number)
            statement.movements[-1].details += 1
        else:
            raise CodaError(gettext_noop("Unknown movement type “%(value)s”."), number, value=code[:1])
        return new
    if article not in "23":
        raise CodaError(gettext_noop("Record type “%(kind)s” is not expected here."), number, kind=record[:2])
    if movement is None or (movement.sequence, movement.detail) != (sequence, detail):
        raise CodaError(
            gettext_noop("Record %(kind)s does not follow its movement record (2.1)."), number, kind=record[:2]
        )
    if article == "2":
        if not movement.structured:
            movement.communication += record[10:63].rstrip()
        movement.counterparty_bic = record[98:109].strip()
    else:
        movement.counterparty_account = record[10:44].strip()
        movement.counterparty_name = record[47:82].strip()
        if not movement.structured:
            movement.communication += record[82:125].rstrip()
    return movement


def _close(statement: Statement, record: str, number: int, totals: tuple[Decimal, Decimal]) -> None:
    """Trailer checks: record count (records 1, 2.x, 3.x and 8), debit and credit totals, balances."""
    if statement.new_balance_date is None:  # no record 8 (a statement without movements)
        statement.new_balance, statement.new_balance_date = statement.old_balance, statement.old_balance_date
    debit, credit = totals
    statement.total_debit = _amount("0", record[22:37], number, "total debit")
    statement.total_credit = _amount("0", record[37:52], number, "total credit")
    if statement.total_debit != debit:
        raise CodaError(
            gettext_noop("The trailer's total debit %(stated)s differs from the movements' %(found)s."),
            number,
            stated=statement.total_debit,
            found=debit,
        )
    if statement.total_credit != credit:
        raise CodaError(
            gettext_noop("The trailer's total credit %(stated)s differs from the movements' %(found)s."),
            number,
            stated=statement.total_credit,
            found=credit,
        )
    if statement.old_balance + credit - debit != statement.new_balance:
        raise CodaError(
            gettext_noop("Old balance %(old)s plus the movements %(sum)s is not the new balance %(new)s."),
            number,
            old=statement.old_balance,
            sum=credit - debit,
            new=statement.new_balance,
        )
    count = _number(record[16:22], number, "number of records")
    if count != statement.records:
        raise CodaError(
            gettext_noop("The trailer counts %(stated)s records, the statement has %(found)s."),
            number,
            stated=count,
            found=statement.records,
        )
