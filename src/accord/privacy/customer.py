"""The customer's own name, e-mail addresses and phone numbers as a deny list for one customer.

A name is found whole (``Anna Smith``, ``SMITH, Anna``) in any case, and each part of it alone
as a whole word, possessives included (``Anna's`` -> ``[NAME]'s``). A part that is also an
everyday word or two letters long (``Will``, ``May``, ``Rose``, ``Baker``, ``Al``) is found alone
only when written with a capital, or in any case right after an introduction or before a
sign-off (``this is will``, ``thanks, will``): "will you refund me" keeps its "will". A phone
number is found in any of the ways its digits are written: ``07700 900123``,
``+44 (0)7700-900-123``, ``0044 7700900123``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["CustomerRecord", "customer_patterns", "kind_of"]

# Names that are also common English words (or would be read as one at a sentence start).
COMMON_WORDS = frozenset(
    str.split(
        """
    will may mark bill rose grace hope faith joy sunny don pat art guy ray sue dawn summer june
    april august bob rob jack frank grant jean gene drew chase hunter lane page rich sterling
    skip max carol chip jay lee rusty sandy penny ruby amber crystal iris ivy holly heather
    olive violet daisy lily jasmine autumn christian king young white black brown green gray
    grey cook baker wood long hill bell ward price rice field best little love day street hall
    wall cross park parks hunt fox wolf bird swan lamb rose stone steel gold silver page miles
    may noble moody early small short sharp strong strange wise good goodman hardy gay bond
    banks booth burns church cole dean dale ford glass golden hale hart holmes house hurst
    jordan judge knight law lord mason major marsh mills moon moss nash north page parish pike
    poole pope porter reed rich rivers rock rowe sage salt sands sky snow south spring spark
    stark sweet tanner temple thorn tower tucker turner vale vine walker wells west wild winter
    woods wren young may art basil bud buck carter cliff colt cooper dash duke earl ernest
    fisher flint forest glen heath herb kit lance lark marsh norm pearl phoenix reed robin
    rocky rod sandy shepherd sonny stormy taylor tom victor vince
    """
    )
)
_INTRO = (
    r"i'?m|i\s+am|this\s+is|it'?s|my\s+name\s+is|my\s+name'?s|name:|regards,?|thanks,?|"
    r"thank\s+you,?|cheers,?|best,?|sincerely,?|yours,?|from|love,?|signed,?|"
    r"mr\.?|mrs\.?|ms\.?|miss|mx\.?|dr\.?"
)
_SEP = r"[\s().\-/]*"  # what people put between the digits of a phone number


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    """What the customer's record says about them; every field may be empty."""

    name: str | None = None
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()

    @classmethod
    def of(cls, name: str | None = None, *contacts: str | None) -> CustomerRecord:
        """A record from a name and contacts of either kind (an "@" makes it an e-mail)."""
        found = [c.strip() for c in contacts if c and c.strip()]
        return cls(
            name=(name or "").strip() or None,
            emails=tuple(c for c in found if "@" in c),
            phones=tuple(c for c in found if "@" not in c),
        )

    @classmethod
    def guess(cls, *values: object) -> CustomerRecord:
        """A record from values of unknown kind (the columns of an export): each is an e-mail,
        a phone number or a part of the name by its look (see `kind_of`)."""
        found = [str(v).strip() for v in values if v is not None and str(v).strip()]
        names = [v for v in found if kind_of(v) == "CUSTOMER_NAME"]
        return cls.of(" ".join(names), *(v for v in found if kind_of(v) != "CUSTOMER_NAME"))

    def __bool__(self) -> bool:
        return bool(self.name or self.emails or self.phones)


def kind_of(value: str) -> str:
    """CUSTOMER_EMAIL with an "@", CUSTOMER_PHONE for 6+ digits and no letters, else a name."""
    if "@" in value:
        return "CUSTOMER_EMAIL"
    if sum(c.isdigit() for c in value) >= 6 and not any(c.isalpha() for c in value):
        return "CUSTOMER_PHONE"
    return "CUSTOMER_NAME"


def customer_patterns(record: CustomerRecord) -> list[tuple[str, re.Pattern[str]]]:
    """(entity, pattern) pairs finding the customer's own details; the value is group ``v``."""
    patterns = [("CUSTOMER_NAME", p) for p in _name_patterns(record.name or "")]
    patterns += [("CUSTOMER_EMAIL", p) for p in map(_email_pattern, record.emails) if p]
    patterns += [("CUSTOMER_PHONE", p) for p in map(_phone_pattern, record.phones) if p]
    return patterns


def _parts(name: str) -> list[str]:
    whole = re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", name)
    halves = [h for w in whole if "-" in w for h in w.split("-")]  # "Mary-Jane" -> "Mary" too
    return list(dict.fromkeys([*whole, *halves]))


def _ambiguous(part: str) -> bool:
    return len(part) <= 2 or part.lower() in COMMON_WORDS


def _name_patterns(name: str) -> list[re.Pattern[str]]:
    whole = re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", name)
    if not whole:
        return []
    out = []
    if len(whole) > 1:
        full = r"[\s.,]+(?:\w\.?\s+)?".join(map(re.escape, whole))  # a middle initial may sit in
        last_first = rf"{re.escape(whole[-1])},?\s+{re.escape(whole[0])}"
        out.append(re.compile(rf"(?<!\w)(?P<v>{full}|{last_first})(?!\w)", re.IGNORECASE))
    clear = [p for p in _parts(name) if not _ambiguous(p)]
    if clear:
        words = "|".join(map(re.escape, sorted(clear, key=len, reverse=True)))
        out.append(re.compile(rf"(?<![\w@.+-])(?P<v>{words})(?![\w@-])", re.IGNORECASE))
    for part in (p for p in _parts(name) if _ambiguous(p) and len(p) > 1):
        cased = {part[0].upper() + part[1:].lower(), part.upper(), part}
        forms = "|".join(map(re.escape, sorted(cased)))
        word = re.escape(part)
        out.append(re.compile(rf"(?<![\w@.+-])(?P<v>{forms})(?![\w@-])"))
        out.append(re.compile(rf"(?i:\b(?:{_INTRO})\s+)(?P<v>(?i:{word}))\b"))
        out.append(re.compile(rf"(?<![\w@.+-])(?P<v>(?i:{word}))(?=['’]s\b)"))  # possessive
        # Alone on the last line, as a sign-off: "...\n- will"
        out.append(re.compile(rf"(?m:^[ \t]*[-–—~]?[ \t]*(?P<v>(?i:{word}))[ \t.!]*\Z)"))
    return out


def _email_pattern(email: str) -> re.Pattern[str] | None:
    email = email.strip()
    if "@" not in email:
        return None
    return re.compile(rf"(?<![\w.+-])(?P<v>{re.escape(email)})(?![\w-])", re.IGNORECASE)


def _phone_pattern(phone: str) -> re.Pattern[str] | None:
    """Every way the number's digits are written, with or without the country code or the
    trunk prefix; a number that cannot be parsed is matched by its digits alone."""
    import phonenumbers  # here: importing it costs a tenth of a second

    prefix, digits = "", re.sub(r"\D", "", phone)
    for region in ("GB", "US"):
        try:
            number = phonenumbers.parse(phone, region)
        except phonenumbers.NumberParseException:
            continue
        national = phonenumbers.national_significant_number(number)
        region_of = phonenumbers.region_code_for_country_code(number.country_code or 0)
        meta = phonenumbers.PhoneMetadata.metadata_for_region(region_of)
        trunk = (meta.national_prefix if meta else None) or ""
        code = str(number.country_code)
        trunk_part = rf"|{re.escape(trunk)}{_SEP}" if trunk else ""
        prefix = rf"(?:(?:\+|00|011){_SEP}{code}{_SEP}(?:\(0\){_SEP})?{trunk_part})?"
        digits = national
        break
    if len(digits) < 6:
        return None
    body = _SEP.join(digits)
    return re.compile(rf"(?<![\d+])(?P<v>{prefix}{body})(?!\d)")
