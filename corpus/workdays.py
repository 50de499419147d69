"""Working days on the official Chinese calendar, and periods counted as the Civil Code counts them.

The calendar data (statutory holidays and adjusted working weekends, as announced each year by the
State Council's General Office) comes from the maintained `chinese_calendar` package. A date in a
year that package does not cover is an error, never a guess: the next year's schedule is announced
only late in the year before.

Civil Code (民法典) 第二百零一条至第二百零四条:
- 第二百零一条: a period counted in days, months or years starts the day after the event;
- 第二百零二条: a period in months or years ends on the corresponding day of the last month,
  or on the last day of that month if it has no corresponding day;
- 第二百零三条: if the last day is a statutory rest day, the period ends on the day after it.
"""
from __future__ import annotations

import functools

from datetime import date, timedelta

import chinese_calendar
from dateutil.relativedelta import relativedelta

from .errors import CalendarCoverageError

_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


@functools.lru_cache(maxsize=1)
def covered_years() -> tuple[int, int]:
    """First and last year the official calendar data covers (fixed for the installed data)."""
    years = [d.year for d in chinese_calendar.holidays]
    return min(years), max(years)


def _check_covered(day: date) -> None:
    first, last = covered_years()
    if not first <= day.year <= last:
        raise CalendarCoverageError(
            f"{day.year}年的法定节假日安排不在日历数据范围内（chinese_calendar 覆盖 {first}—{last} 年），"
            f"无法判断 {day.isoformat()} 是否为工作日；请在国务院办公厅公布该年安排并升级日历数据后再计算。")


def is_working_day(day: date) -> bool:
    """True on weekdays that are not statutory holidays, and on adjusted working weekends."""
    _check_covered(day)
    return chinese_calendar.is_workday(day)


def is_rest_day(day: date) -> bool:
    return not is_working_day(day)


def rest_day_name(day: date) -> str | None:
    """'国庆节', '春节' … for a statutory holiday, '休息日' for an ordinary weekend, None on working days."""
    if is_working_day(day):
        return None
    _, name = chinese_calendar.get_holiday_detail(day)
    return _HOLIDAY_NAMES.get(name, name) if name else "休息日"


def is_adjusted_working_day(day: date) -> bool:
    """A Saturday or Sunday made a working day to bridge a holiday (调休上班)."""
    return day.weekday() >= 5 and is_working_day(day)


def add_working_days(start: date, count: int) -> date:
    """The `count`-th working day after `start` (before it when negative); `start` itself is not counted."""
    step = timedelta(days=1 if count >= 0 else -1)
    day, remaining = start, abs(count)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count


def next_working_day(day: date) -> date:
    """`day` itself if it is a working day, otherwise the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def shift(start: date, value: int, unit: str) -> date:
    """Calendar arithmetic for the Civil Code's units; months and years clamp to the month's end."""
    if unit == "calendar_days":
        return start + timedelta(days=value)
    if unit == "months":
        return start + relativedelta(months=value)
    if unit == "years":
        return start + relativedelta(years=value)
    raise ValueError(f"unsupported calendar unit {unit}")


def civil_code_period_end(start: date, value: int, unit: str) -> tuple[date, date | None]:
    """Last day of a period of `value` units running from the event on `start`.

    Returns (last day, the unrolled day it was moved from, or None). The starting day is not
    counted; a last day falling on a statutory rest day moves to the next working day.
    """
    end = shift(start, value, unit)
    rolled = next_working_day(end)
    return rolled, (end if rolled != end else None)
