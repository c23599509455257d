"""Document numbers: parse what people type into a structured number, and back.

Pure functions only. A Party number is serial, kind code and issuer code:
"148-QĐ/TW". A State number carries a year and is written the other way round:
"30/2020/NĐ-CP". Partial numbers ("35-CT", "212", "Quy định 148") parse too, with the
missing parts left as None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from citekit import regexes
from citekit.folding import fold, fold_query, nfc
from citekit.spellings import (
    ISSUER_SPELLING,
    KIND_BY_WORD,
    PARTY_CODE_SPELLING,
    PARTY_ISSUER_CODES,
    STATE_CODE_SPELLING,
)
from citekit.vocabulary import Family, Kind


class Form(str, Enum):
    """How complete a parsed number is, and which system it belongs to."""

    PARTY = "party"  # serial, kind code and issuer code: 148-QĐ/TW
    PARTIAL = "partial"  # some parts missing: 35-CT, 212, Quy định 148
    STATE = "state"  # State documents: 30/2020/NĐ-CP, 123/QĐ-UBND


@dataclass(frozen=True, slots=True)
class DocNumber:
    """A parsed document number; parts a query left out are None."""

    serial: int
    code: str | None = None
    issuer: str | None = None
    kind: Kind | None = None
    year: int | None = None
    form: Form = Form.PARTY

    @property
    def canonical(self) -> str | None:
        """The number as the catalogue spells it, or None for a partial number."""
        if self.form is Form.PARTY:
            return f"{self.serial:02d}-{self.code}/{self.issuer}"
        if self.form is Form.STATE:  # four digits, as parsed: "/0020" must not become "/20"
            year = f"/{self.year:04d}" if self.year is not None else ""
            parts = "-".join(part for part in (self.code, self.issuer) if part)
            return f"{self.serial:02d}{year}/{parts}"
        return None

    @property
    def family(self) -> Family | None:
        """Party or State; None for a partial number, which does not say."""
        if self.form is Form.PARTY:
            return Family.PARTY
        return Family.STATE if self.form is Form.STATE else None

    @property
    def central(self) -> bool:
        """Whether a central Party body issued it: its issuer code ends in TW."""
        return self.form is Form.PARTY and (self.issuer or "").upper().endswith("TW")

    @property
    def codes(self) -> tuple[str, ...] | None:
        """The kind codes this number may carry: its own, or those its kind word allows."""
        if self.code:
            return (self.code,)
        return self.kind.codes if self.kind else None


def _issuer(folded: str) -> str:
    return ISSUER_SPELLING.get(folded, folded.upper())


def state_issuer(folded: str) -> str:
    """A State number's issuer part, each piece canonical: "bnv-btc" -> "BNV-BTC"."""
    return "-".join(_issuer(part) for part in folded.split("-"))


def is_party_issuer(folded: str) -> bool:
    """Whether a folded issuer code is a Party body's: central ("tw", "btctw") or local ("tu")."""
    return folded.endswith("tw") or folded in PARTY_ISSUER_CODES


def _from_full(match: re.Match[str], kind: Kind | None, typed: str) -> DocNumber | None:
    """A full number from its folded match; `typed` is the query as written (NFC), whose
    end holds the issuer code with its Đ, which folding lost: "12-TB/CQTTBCĐ"."""
    serial = int(match["serial"])
    code, issuer = match["code"], match["issuer"]
    seps = match.groupdict().get("sep1"), match.groupdict().get("sep2")
    party_order = seps in (("-", "/"), (None, None))  # "12-TB/CQTTBCĐ", "145qdtw"
    written = typed[-len(issuer) :]
    if fold(written) != issuer:  # "148 qd tw " and the like: the end is not the code
        written = issuer
    if code in PARTY_CODE_SPELLING and (party_order or is_party_issuer(issuer)):
        spelled = ISSUER_SPELLING.get(issuer, written.upper())
        return DocNumber(serial, PARTY_CODE_SPELLING[code], spelled, kind)
    if not is_party_issuer(issuer):
        spelled = STATE_CODE_SPELLING.get(code, code.upper())
        return DocNumber(serial, spelled, state_issuer(issuer), kind, form=Form.STATE)
    return None


def parse_number(text: str) -> DocNumber | None:
    """Parse a typed document number; None when `text` is not one.

    >>> parse_number("148 qd tw").canonical
    '148-QĐ/TW'
    >>> parse_number("Quy định 148")
    DocNumber(serial=148, code=None, issuer=None, kind=<Kind.QUY_DINH: 'Quy định'>, \
year=None, form=<Form.PARTIAL: 'partial'>)
    """
    folded = regexes.QUERY_LEAD.sub("", fold_query(text))
    kind = None
    lead = regexes.QUERY_KIND.match(folded)
    if lead:
        kind = KIND_BY_WORD[" ".join(lead["kind"].split())]
        folded = folded[lead.end() :]
        folded = regexes.QUERY_LEAD.sub("", folded)
    folded = folded.strip()
    if match := regexes.STATE_YEAR.fullmatch(folded):
        code = STATE_CODE_SPELLING.get(match["code"], match["code"].upper())
        issuer = match["issuer"]
        if issuer is None:  # a law: "57/2014/qh13" has its issuer where a kind code goes
            code, issuer = None, state_issuer(match["code"])
        else:
            issuer = state_issuer(issuer)
        return DocNumber(
            int(match["serial"]),
            code,
            issuer,
            kind,
            int(match["year"]),
            Form.STATE,
        )
    if match := regexes.QUERY_FULL.fullmatch(folded) or regexes.QUERY_COMPACT.fullmatch(folded):
        return _from_full(match, kind, nfc(text).strip())
    match = regexes.QUERY_SERIAL_CODE.fullmatch(folded) or regexes.QUERY_CODE_SERIAL.fullmatch(
        folded
    )
    if match:
        code = PARTY_CODE_SPELLING.get(match["code"])
        if code is None:
            return None
        return DocNumber(int(match["serial"]), code, None, kind, form=Form.PARTIAL)
    if match := regexes.QUERY_SERIAL.fullmatch(folded):
        return DocNumber(int(match["serial"]), None, None, kind, form=Form.PARTIAL)
    return None


def leading_serial(text: str) -> int | None:
    """The serial of a number that starts a longer query, if one is marked as a number.

    >>> leading_serial("Quy định số 149-QĐ/TW về chuyên gia cao cấp")
    149
    >>> leading_serial("2022 - 2026 tổng biên chế") is None
    True
    """
    match = regexes.LEADING_NUMBER.match(fold_query(text))
    if match is None or not (match["so"] or match["kind"] or match["code"]):
        return None
    return int(match["serial"])


def normalize_number(text: str) -> str | None:
    """The canonical spelling of a full number typed any way, or None."""
    parsed = parse_number(text)
    return parsed.canonical if parsed else None
