"""Normalised selectors, so that the same phone, plate, vehicle, firearm or account is one
entity however it was written. Each function returns the canonical key or raises ValueError
with a reason a person can act on."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

_VIN_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def fold(text: str) -> str:
    """Case- and accent-insensitive form: 'Peñasco ' and 'PENASCO' fold alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", stripped).strip().casefold()


def phone_e164(raw: str, *, default_region: str = "MX") -> str:
    try:
        number = phonenumbers.parse(raw, default_region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"not a phone number: {raw!r}") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"not a valid phone number: {raw!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def plate(raw: str, *, state: str) -> str:
    """Plates are unique only within their issuing state: 'SON:VKP1234', 'AZ:ABC1234'."""
    number = re.sub(r"[^0-9A-Z]", "", fold(raw).upper())
    state = re.sub(r"[^A-Z]", "", state.upper())
    if not number or not state:
        raise ValueError("a plate needs its number and issuing state")
    return f"{state}:{number}"


def vin(raw: str) -> str:
    """A 17-character VIN with a valid check digit (position 9)."""
    value = re.sub(r"[\s-]", "", raw.upper())
    if len(value) != 17 or any(c in "IOQ" for c in value) or not value.isalnum():
        raise ValueError(f"a VIN has 17 letters and digits, without I, O or Q: {raw!r}")
    total = sum(_VIN_VALUES[c] * w for c, w in zip(value, _VIN_WEIGHTS, strict=True))
    check = "X" if total % 11 == 10 else str(total % 11)
    if value[8] != check:
        raise ValueError(f"VIN check digit is {value[8]}, expected {check}: {raw!r}")
    return value


def firearm_serial(raw: str, *, make: str = "") -> str:
    serial = re.sub(r"[^0-9A-Z]", "", fold(raw).upper())
    if not serial:
        raise ValueError("a firearm serial number is required")
    return f"{fold(make).upper()}:{serial}" if make else serial


def clabe(raw: str) -> str:
    """A Mexican CLABE (18 digits, the last a check digit on weights 3, 7, 1)."""
    digits = re.sub(r"\D", "", raw)
    if len(digits) != 18:
        raise ValueError(f"a CLABE has 18 digits: {raw!r}")
    weights = (3, 7, 1) * 6
    total = sum(int(d) * w % 10 for d, w in zip(digits[:17], weights, strict=False))
    if (10 - total % 10) % 10 != int(digits[17]):
        raise ValueError(f"CLABE check digit does not match: {raw!r}")
    return digits


def name_key(raw: str) -> str:
    key = fold(raw)
    if not key:
        raise ValueError("a name is required")
    return key
