"""The display time zone and "today" in it, in one place.

Everything is stored in UTC; local calendar days (due dates, review dates, weeks and months of
the dashboard, patrol shifts) are cut in ALIANZA_DISPLAY_TIME_ZONE (America/Phoenix by default:
Arizona and Sonora keep no daylight saving). `display_today()` is the same in a request, a
command run from cron or a test, whatever time zone happens to be active.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.utils import timezone


def display_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.ALIANZA_DISPLAY_TIME_ZONE)


def display_today() -> dt.date:
    return timezone.localdate(timezone=display_zone())
