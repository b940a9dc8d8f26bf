"""Fake personal data in the formats people write it, for :mod:`accord.privacy.corpus`."""

from __future__ import annotations

import random
import string

import phonenumbers


def _w(words: str) -> list[str]:
    return words.split()


FIRST = _w(
    "Anna Oliver Priya Mohammed Siobhan Chloe Daniel Aisha Tomasz Lucy Will May Grace Rose Mark "
    "Al Jo Ed Bill Hope Sunny Jack Frank Penny Ivy Zoe Liam Noah Ava Mia Ethan Isla Kwame Mei "
    "Raj Sofia Ines Luca Nikolai Hannah"
)
LAST = _w(
    "Smith Jones Patel Nowak O'Brien Okafor Fernandes Kowalski Baker Brown Green White Wood "
    "Young King Hill Price Li Wu Ng Khan Murphy MacDonald Schmidt Rossi Dubois Tanaka "
    "Hernandez Whitfield Ashworth Castellanos Lindqvist"
)
DOMAINS = _w(
    "gmail.com outlook.com yahoo.co.uk mail.example.co.uk btinternet.com icloud.com "
    "proton.me eu.corp-mail.example.org student.uni.ac.uk fastmail.fm"
)
STREETS = _w("Baker High Church Station Victoria Oak Maple Elm Queen's Mill Park Chapel Kings")
SUFFIXES = _w("Street St Road Rd Avenue Ave Lane Drive Close Way Court Crescent Terrace")
CITIES = _w("London Manchester Leeds Bristol Glasgow Cardiff Boston Chicago Denver Austin")
STATES = _w("NY CA TX IL MA WA CO GA")
MONTHS = _w("January February March April May June July August September October November December")
CARDS = _w(  # issuers' published test numbers
    "4111111111111111 4012888888881881 4242424242424242 4000056655665556 5555555555554444 "
    "5105105105105100 2223003122003222 5200828282828210 378282246310005 371449635398431"
)
IBAN_SHAPES = {  # country: BBAN as (kind, length) pieces; a = letters, n = digits, c = either
    "GB": "a4n14",
    "DE": "n18",
    "FR": "n10c11n2",
    "ES": "n20",
    "NL": "a4n10",
    "IT": "a1n10c12",
    "IE": "a4n14",
    "BE": "n12",
}


def digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _luhn_complete(rng: random.Random, prefix: str, length: int) -> str:
    body = prefix + digits(rng, length - len(prefix) - 1)
    total = 0
    for i, char in enumerate(reversed(body)):
        n = int(char) * (1 if i % 2 else 2)
        total += n - 9 if n > 9 else n
    return body + str((10 - total % 10) % 10)


def card(rng: random.Random) -> str:
    number = rng.choice(CARDS) if rng.random() < 0.5 else _random_card(rng)
    style = rng.choice(["spaced", "dashed", "compact", "spaced"])
    if style == "compact":
        return number
    sep = " " if style == "spaced" else "-"
    if len(number) == 15:  # Amex: 4-6-5
        return sep.join([number[:4], number[4:10], number[10:]])
    return sep.join(number[i : i + 4] for i in range(0, len(number), 4))


def _random_card(rng: random.Random) -> str:
    prefix, length = rng.choice([("4", 16), ("51", 16), ("55", 16), ("2221", 16), ("37", 15)])
    return _luhn_complete(rng, prefix, length)


def iban(rng: random.Random) -> str:
    country = rng.choice(list(IBAN_SHAPES))
    bban, shape = "", IBAN_SHAPES[country]
    pieces = [(shape[i], int(n)) for i, n in _shape_pieces(shape)]
    for kind, length in pieces:
        pool = {"a": string.ascii_uppercase, "n": string.digits}.get(
            kind, string.ascii_uppercase + string.digits
        )
        bban += "".join(rng.choice(pool) for _ in range(length))
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    code = f"{country}{98 - int(numeric) % 97:02d}{bban}"
    style = rng.random()
    if style < 0.5:
        return " ".join(code[i : i + 4] for i in range(0, len(code), 4))
    return code.lower() if style > 0.9 else code


def _shape_pieces(shape: str) -> list[tuple[int, str]]:
    out, i = [], 0
    while i < len(shape):
        j = i + 1
        while j < len(shape) and shape[j].isdigit():
            j += 1
        out.append((i, shape[i + 1 : j]))
        i = j
    return out


def phone(rng: random.Random) -> str:
    """A number from a range in use (libphonenumber's metadata), as a real number is."""
    while True:
        text = _phone(rng)
        region = "US" if text.startswith(("(", "1-")) or text[3:4] in "-." else "GB"
        if phonenumbers.is_valid_number(phonenumbers.parse(text, region)):
            return text


def _phone(rng: random.Random) -> str:
    kind = rng.choice(["uk_mobile", "uk_mobile", "uk_land", "us", "us", "intl"])
    if kind == "uk_mobile":
        national = f"7{rng.choice('134589')}{digits(rng, 2)}{digits(rng, 6)}"
        return uk_phone(rng, national[:4], national[4:])
    if kind == "uk_land":
        area, local = rng.choice([("20", "3" + digits(rng, 7)), ("161", "2" + digits(rng, 6))])
        return uk_phone(rng, area, local)
    if kind == "us":
        area = rng.choice(["212", "415", "312", "617", "206", "303", "512", "404"])
        exch, line = f"{rng.randint(2, 9)}{digits(rng, 2)}", digits(rng, 4)
        return rng.choice(
            [
                f"({area}) {exch}-{line}",
                f"{area}-{exch}-{line}",
                f"{area}.{exch}.{line}",
                f"+1 {area} {exch} {line}",
                f"1-{area}-{exch}-{line}",
                f"+1 ({area}) {exch}-{line}",
            ]
        )
    return rng.choice(
        [
            f"+33 6 {digits(rng, 2)} {digits(rng, 2)} {digits(rng, 2)} {digits(rng, 2)}",
            f"+49 30 {digits(rng, 8)}",
            f"+353 87 {digits(rng, 3)} {digits(rng, 4)}",
            f"+61 4{digits(rng, 2)} {digits(rng, 3)} {digits(rng, 3)}",
            f"+91 9{digits(rng, 4)} {digits(rng, 5)}",
        ]
    )


def uk_phone(rng: random.Random, head: str, tail: str) -> str:
    mid = len(tail) // 2
    return rng.choice(
        [
            f"0{head} {tail}",
            f"0{head}{tail}",
            f"+44 {head} {tail}",
            f"+44 (0){head} {tail}",
            f"0044 {head} {tail[:mid]} {tail[mid:]}",
            f"+44{head}{tail}",
            f"0{head}-{tail[:mid]}-{tail[mid:]}",
            f"(0{head}) {tail}",
        ]
    )


def email(rng: random.Random, first: str, last: str) -> str:
    local = rng.choice(
        [
            f"{first}.{last}",
            f"{first[0]}{last}{rng.randint(1, 99)}",
            f"{first}+{rng.choice(['orders', 'shop', 'news'])}",
            f"{last}_{first}",
        ]
    )
    local = local.lower().replace("'", "")
    return f"{local}@{rng.choice(DOMAINS)}"


def ip(rng: random.Random) -> str:
    if rng.random() < 0.6:
        first = rng.choice([rng.randint(1, 223), 10, 192, 172])
        return ".".join(str(x) for x in [first, *(rng.randint(0, 255) for _ in range(3))])
    groups = [f"{rng.randint(0, 0xFFFF):x}" for _ in range(8)]
    if rng.random() < 0.5:
        return ":".join(groups)
    return f"2001:db8:{groups[2]}::{groups[6]}:{groups[7]}"


def ssn(rng: random.Random) -> str:
    area = rng.choice([n for n in range(1, 900) if n != 666])
    group, serial = rng.randint(1, 99), rng.randint(1, 9999)
    sep = rng.choice(["-", "-", " "])
    return f"{area:03d}{sep}{group:02d}{sep}{serial:04d}"


def nhs(rng: random.Random) -> str:
    while True:
        body = digits(rng, 9)
        check = 11 - sum(int(d) * (10 - i) for i, d in enumerate(body)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            break
    number = body + str(check)
    sep = rng.choice([" ", "", "-", " "])
    return f"{number[:3]}{sep}{number[3:6]}{sep}{number[6:]}"


def postcode(rng: random.Random) -> str:
    outward = rng.choice(["SW1A", "M1", "B33", "CR2", "LS6", "EC1A", "W1A", "G12", "CF10", "BS8"])
    inward = f"{rng.randint(0, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFHJLNPTU')}"
    code = f"{outward} {inward}" if rng.random() < 0.85 else f"{outward}{inward}"
    return code.lower() if rng.random() < 0.15 else code


def street(rng: random.Random) -> str:
    line = f"{rng.randint(1, 250)}{rng.choice(['', '', '', 'B'])} {rng.choice(STREETS)} "
    line += rng.choice(SUFFIXES)
    if rng.random() < 0.15:
        line = f"Flat {rng.randint(1, 12)}, {line}"
    # People do write "12 high street"; the redactor does not find it (it would take "3 hours
    # on the road" too), and this keeps that miss in the figures.
    return line.lower() if rng.random() < 0.05 else line


def a_date(rng: random.Random, year: int) -> str:
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    return rng.choice(
        [
            f"{day:02d}/{month:02d}/{year}",
            f"{day}/{month}/{year}",
            f"{year}-{month:02d}-{day:02d}",
            f"{day} {MONTHS[month - 1]} {year}",
            f"{MONTHS[month - 1]} {day}, {year}",
            f"{day:02d}.{month:02d}.{year}",
        ]
    )


def secret(rng: random.Random) -> tuple[str, str]:
    """(label and separator, value) of a password, code, key or token."""
    chars = string.ascii_letters + string.digits
    return rng.choice(
        [
            ("my password: ", "".join(rng.choice(chars) for _ in range(10)) + "!"),
            ("pwd=", "".join(rng.choice(chars) for _ in range(8))),
            ("the one-time code: ", digits(rng, 6)),
            ("the code is ", digits(rng, 6)),
            ("verification code: ", digits(rng, 6)),
            ("API key: ", "sk_live_" + "".join(rng.choice(chars) for _ in range(24))),
            ("token ", "ghp_" + "".join(rng.choice(chars) for _ in range(36))),
            ("PIN=", digits(rng, 4)),
        ]
    )
