"""Validation of UBL before delivery: the UBL 2.1 schema, then the official CEN EN 16931 and Peppol BIS 3.0
Schematron rules (documents/rules/), compiled here into XSLT 3.0 and run with Saxon-HE.

`validate(data)` returns findings (layer, rule id, flag, message, location); a document with any XSD error or
any `fatal` finding must not be delivered. Compilation happens once per process.
"""

import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from lxml import etree

from core.errors import ErrorCode, PortalError

from .ubl_read import UblError, parsed

RULES = Path(__file__).resolve().parent / "rules"
RULESETS = (("CEN", "CEN-EN16931-UBL.sch"), ("PEPPOL", "PEPPOL-EN16931-UBL.sch"))
SCH = "http://purl.oclc.org/dsdl/schematron"
XSL = "http://www.w3.org/1999/XSL/Transform"
OUT = "urn:portal:validation"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
# Where a finding is: /Invoice[1]/cac:InvoiceLine[2]/... (names as written in the document)
LOCATION = (
    "string-join(for $n in ancestor-or-self::node()[self::* or self::attribute()] return "
    "if ($n instance of attribute()) then concat('@', name($n)) else concat(name($n), '[', "
    "count($n/preceding-sibling::*[node-name(.) = node-name($n)]) + 1, ']'), '/')"
)


@dataclass(frozen=True)
class Finding:
    layer: str  # XSD, CEN or PEPPOL
    rule: str
    flag: str  # fatal or warning
    message: str
    location: str

    @property
    def is_fatal(self) -> bool:
        return self.flag != "warning"


def compile_schematron(rulesets: list[tuple[str, Path]]) -> str:
    """One XSLT 3.0 text for ISO Schematron files with queryBinding xslt2 (their namespaces, `let`s and
    functions must not clash, as with the CEN and Peppol files): every pattern becomes a mode in which the first
    matching rule of the pattern fires (Schematron's rule order), then descends. Each finding says which
    file's layer it comes from. One transform for all files is faster than one per file."""
    schemas = [(layer, etree.parse(str(path)).getroot()) for layer, path in rulesets]
    namespaces = {
        ns.get("prefix", ""): ns.get("uri", "") for _layer, schema in schemas for ns in schema.iter(f"{{{SCH}}}ns")
    }
    stylesheet = etree.Element(
        f"{{{XSL}}}stylesheet",
        nsmap={"xsl": XSL, "out": OUT, **namespaces},
        attrib={"version": "3.0", "exclude-result-prefixes": " ".join(namespaces)},
    )

    def xsl(parent, tag, **attrs):
        return etree.SubElement(parent, f"{{{XSL}}}{tag}", {k.replace("_", "-"): v for k, v in attrs.items()})

    patterns = []
    for layer, schema in schemas:
        for function in schema.findall(f"{{{XSL}}}function"):
            stylesheet.append(function)
        own = schema.findall(f"{{{SCH}}}pattern")
        for let in schema.findall(f"{{{SCH}}}let") + [let for p in own for let in p.findall(f"{{{SCH}}}let")]:
            xsl(stylesheet, "variable", name=let.get("name"), select=let.get("value"))
        patterns += [(layer, pattern) for pattern in own]
    # One walk over the elements; at each element every pattern gets its turn (a mode per pattern, in which
    # the first matching rule fires, or nothing). One traversal instead of one per pattern.
    root = xsl(stylesheet, "template", match="/")
    findings = etree.SubElement(root, f"{{{OUT}}}findings")
    xsl(findings, "apply-templates", select="*", mode="walk")
    walk = xsl(stylesheet, "template", match="*", mode="walk")
    for index, (layer, pattern) in enumerate(patterns):
        mode = f"p{index}"
        xsl(walk, "apply-templates", select=".", mode=mode)
        xsl(stylesheet, "template", match="*", mode=mode, priority="-100")  # no rule matches: nothing
        rules = pattern.findall(f"{{{SCH}}}rule")
        for order, rule in enumerate(rules):
            template = xsl(
                stylesheet, "template", match=rule.get("context"), mode=mode, priority=str(len(rules) - order)
            )
            for let in rule.findall(f"{{{SCH}}}let"):
                xsl(template, "variable", name=let.get("name"), select=let.get("value"))
            for kind in ("assert", "report"):
                for check in rule.findall(f"{{{SCH}}}{kind}"):
                    test = check.get("test")
                    condition = f"not({test})" if kind == "assert" else f"({test})"
                    when = xsl(template, "if", test=condition)
                    finding = etree.SubElement(
                        when, f"{{{OUT}}}finding", id=check.get("id", ""), flag=check.get("flag", "fatal"), layer=layer
                    )
                    xsl(finding, "attribute", name="location", select=LOCATION)
                    finding_text = " ".join("".join(check.itertext()).split())
                    xsl(finding, "text").text = finding_text
    xsl(walk, "apply-templates", select="*", mode="walk")
    return etree.tostring(stylesheet, encoding="unicode")


class _Engine:
    """Saxon and the compiled rules."""

    def __init__(self):
        from saxonche import PySaxonProcessor

        self.processor = PySaxonProcessor(license=False)
        compiler = self.processor.new_xslt30_processor()
        self.rules = compiler.compile_stylesheet(
            stylesheet_text=compile_schematron([(layer, RULES / name) for layer, name in RULESETS])
        )

    def run(self, text: str) -> list[Finding]:
        node = self.processor.parse_xml(xml_text=text)
        output = self.rules.transform_to_string(xdm_node=node)
        return [
            Finding(
                element.get("layer", ""),
                element.get("id", ""),
                element.get("flag", ""),
                (element.text or "").strip(),
                element.get("location", ""),
            )
            for element in etree.fromstring(output.encode()).iter(f"{{{OUT}}}finding")
        ]


# Saxon (a GraalVM native image) crashes the process when several Python threads use it and one of them ends
# (seen with a thread pool and with threaded web servers). So one long-lived thread per process runs every
# Saxon call; a forked child (Celery, gunicorn) makes its own thread and engine.
_runner: tuple[int, ThreadPoolExecutor] | None = None
_engine: _Engine | None = None
_runner_lock = threading.Lock()


def _saxon_thread() -> ThreadPoolExecutor:
    global _runner
    with _runner_lock:
        if _runner is None or _runner[0] != os.getpid():
            _runner = (os.getpid(), ThreadPoolExecutor(max_workers=1, thread_name_prefix="saxon"))
        return _runner[1]


def _run_rules(text: str) -> list[Finding]:
    from saxonche import PySaxonApiError

    global _engine
    if _engine is None:
        _engine = _Engine()
    try:
        return _engine.run(text)
    except PySaxonApiError as error:
        raise UblError(_("The Peppol rules could not be run on this file: %(error)s") % {"error": error}) from None


@cache
def _schemas() -> dict[str, etree.XMLSchema]:
    import peppol

    folder = Path(peppol.__file__).resolve().parent / "schema" / "maindoc"
    return {
        "Invoice": etree.XMLSchema(etree.parse(str(folder / "UBL-Invoice-2.1.xsd"))),
        "CreditNote": etree.XMLSchema(etree.parse(str(folder / "UBL-CreditNote-2.1.xsd"))),
    }


def validate(source) -> list[Finding]:
    """All findings for one UBL document (bytes, or their root from `parse`). Unsafe or malformed XML is
    refused with UblError first."""
    root = parsed(source)
    kind = etree.QName(root).localname
    if kind not in ("Invoice", "CreditNote"):
        raise UblError(_("This XML is not a UBL invoice or credit note."))
    schema = _schemas()[kind]
    if not schema.validate(root):
        return [Finding("XSD", "XSD", "fatal", error.message, f"line {error.line}") for error in schema.error_log]
    # As lxml read it, in whatever encoding the file declares (e-FFF files are often ISO-8859-1).
    text = etree.tostring(root, encoding="unicode")
    findings = _saxon_thread().submit(_run_rules, text).result()
    if is_efff(
        root.findtext(f"{{{CBC}}}CustomizationID") or "",
        profile=root.findtext(f"{{{CBC}}}ProfileID") or "",
        ubl_version=root.findtext(f"{{{CBC}}}UBLVersionID") or "",
    ):
        # The Belgian e-FFF is EN 16931 with its own extension, not Peppol BIS: Sage BOB reads it as it is, so the
        # Peppol rules (which start by asking for the Peppol customisation) inform but do not hold it back.
        findings = [replace(f, flag="warning") if f.layer == "PEPPOL" else f for f in findings]
    return findings


_EFFF = re.compile(r"\b(?:e-?)?fff\b", re.IGNORECASE)  # e-FFF, eFFF, FFF (Exact Online: "FFF.BE ExactOnline")


def is_efff(customization: str, *, profile: str = "", ubl_version: str = "") -> bool:
    """Whether a document is the Belgian e-FFF, from its CustomizationID (urn:...#conformant#urn:UBL.BE:1.0.0.20180214
    for e-FFF 3, an e-fff.be / efff.be URN, or the BII/Peppol 4a-5a extensions ending in `:e-fff:ver3.0`), or, as
    older e-FFF writers do (Exact Online, Billit, Odoo's module), CustomizationID `1.0` (or none) with an e-FFF
    ProfileID (`E-FFF.BE …`, `EFFF.BE …`, `FFF.BE ExactOnline`) or UBLVersionID."""
    lowered = customization.strip().lower()
    if "urn:ubl.be" in lowered or _EFFF.search(lowered):
        return True
    return lowered in ("", "1.0") and any(_EFFF.search(text) for text in (profile, ubl_version))


def is_deliverable(findings: list[Finding]) -> bool:
    return not any(finding.is_fatal for finding in findings)


def require_deliverable(findings: list[Finding]) -> None:
    """For a UBL the portal writes itself: it passes the rules, or nothing is stored and the user is told which
    rules it breaks."""
    fatal = [finding for finding in findings if finding.is_fatal]
    if fatal:
        raise PortalError(
            _("The document does not pass the Peppol rules: %(rules)s")
            % {"rules": "; ".join(f"{f.rule}: {f.message}" for f in fatal[:5])},
            code=ErrorCode.RULES_FAILED,
        )
