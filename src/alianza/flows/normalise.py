"""Units and currencies to common measures (pure functions; the services store the results)."""

from __future__ import annotations

import bisect
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import KG_PER_UNIT, ExchangeRate


def drug_quantity_normalise(*, quantity: Decimal, unit: str) -> tuple[Decimal, int]:
    """(weight in kg, pills). Pills are counted, never converted to a weight."""
    if quantity < 0:
        raise ValidationError({"quantity": _("A quantity cannot be negative.")})
    if unit == "pills":
        if quantity != quantity.to_integral_value():
            raise ValidationError({"quantity": _("Pills are counted in whole numbers.")})
        return Decimal("0"), int(quantity)
    if unit not in KG_PER_UNIT:
        raise ValidationError({"unit": _("Unknown unit %(unit)s.") % {"unit": unit}})
    kg = (quantity * KG_PER_UNIT[unit]).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    return kg, 0


def usd_equivalent(
    *, amount: Decimal, currency: str, on: dt.date
) -> tuple[Decimal, dt.date | None]:
    """The amount in USD at the latest rate on or before `on`, and that rate's date."""
    if currency == "USD":
        return amount, None
    rate = ExchangeRate.objects.filter(currency=currency, date__lte=on).order_by("-date").first()
    if rate is None:
        raise ValidationError(
            {
                "currency": _("No %(currency)s exchange rate on or before %(date)s.")
                % {"currency": currency, "date": on.isoformat()}
            }
        )
    usd = (amount * rate.usd_per_unit).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return usd, rate.date


class RateTable:
    """:func:`usd_equivalent` for many conversions: each currency's rates are read once."""

    def __init__(self) -> None:
        self._rates: dict[str, tuple[list[dt.date], list[Decimal]]] = {}

    def usd(self, *, amount: Decimal, currency: str, on: dt.date) -> tuple[Decimal, dt.date | None]:
        if currency == "USD":
            return amount, None
        if currency not in self._rates:
            rows = (
                ExchangeRate.objects.filter(currency=currency)
                .order_by("date")
                .values_list("date", "usd_per_unit")
            )
            self._rates[currency] = ([d for d, _ in rows], [r for _, r in rows])
        dates, rates = self._rates[currency]
        i = bisect.bisect_right(dates, on) - 1
        if i < 0:
            raise ValidationError(
                {
                    "currency": _("No %(currency)s exchange rate on or before %(date)s.")
                    % {"currency": currency, "date": on.isoformat()}
                }
            )
        usd = (amount * rates[i]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return usd, dates[i]
