"""Working days on the official calendar and Civil Code period arithmetic, at their edges."""
from datetime import date

import pytest

from corpus.errors import CalendarCoverageError
from corpus.workdays import (add_working_days, civil_code_period_end, covered_years,
                             is_adjusted_working_day, is_working_day, rest_day_name, shift,
                             working_days_between)


def test_national_day_2025_week_and_its_adjusted_working_weekends():
    # 2025: 1–8 October off; Sunday 28 September and Saturday 11 October worked.
    assert all(not is_working_day(date(2025, 10, d)) for d in range(1, 9))
    assert is_adjusted_working_day(date(2025, 9, 28))
    assert is_adjusted_working_day(date(2025, 10, 11))
    assert rest_day_name(date(2025, 10, 3)) == "国庆节"
    assert add_working_days(date(2025, 9, 26), 1) == date(2025, 9, 28)
    assert add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert add_working_days(date(2025, 9, 29), 3) == date(2025, 10, 10)


def test_spring_festival_2025_and_counting_backwards():
    # 2025: 28 January – 4 February off; Sunday 26 January and Saturday 8 February worked.
    assert is_working_day(date(2025, 1, 26))
    assert rest_day_name(date(2025, 1, 29)) == "春节"
    assert add_working_days(date(2025, 1, 27), 1) == date(2025, 2, 5)
    assert add_working_days(date(2025, 2, 5), -1) == date(2025, 1, 27)
    assert working_days_between(date(2025, 1, 27), date(2025, 2, 8)) == 4  # 5, 6, 7, 8 Feb


def test_ordinary_weekend_is_a_rest_day_without_a_holiday_name():
    assert rest_day_name(date(2025, 3, 15)) == "休息日"
    assert rest_day_name(date(2025, 3, 14)) is None


def test_period_ending_on_a_holiday_moves_to_the_day_after_it():
    # Civil Code art. 203: 3 days from 28 Sep 2024 end on 1 Oct (National Day) -> 8 Oct.
    end, rolled_from = civil_code_period_end(date(2024, 9, 28), 3, "calendar_days")
    assert (end, rolled_from) == (date(2024, 10, 8), date(2024, 10, 1))
    # A period ending on an adjusted working Sunday is not moved.
    assert civil_code_period_end(date(2024, 9, 22), 7, "calendar_days") == (date(2024, 9, 29), None)


@pytest.mark.parametrize("start,value,unit,expected", [
    (date(2025, 1, 31), 1, "months", date(2025, 2, 28)),   # no 31 February: last day of month
    (date(2024, 1, 31), 1, "months", date(2024, 2, 29)),   # leap year
    (date(2024, 2, 29), 2, "years", date(2026, 2, 28)),    # 29 February has no corresponding day
    (date(2024, 2, 29), 4, "years", date(2028, 2, 29)),
    (date(2025, 12, 31), 2, "months", date(2026, 2, 28)),
    (date(2026, 3, 31), -1, "months", date(2026, 2, 28)),  # counting back clamps too
    (date(2025, 12, 25), 10, "calendar_days", date(2026, 1, 4)),
])
def test_month_and_year_arithmetic_follows_the_corresponding_day(start, value, unit, expected):
    assert shift(start, value, unit) == expected


def test_a_year_the_calendar_does_not_cover_is_a_clear_error():
    first, last = covered_years()
    assert first <= 2025 <= last
    with pytest.raises(CalendarCoverageError, match=f"{last + 1}年的法定节假日安排"):
        is_working_day(date(last + 1, 3, 2))
    with pytest.raises(CalendarCoverageError):
        add_working_days(date(last, 12, 30), 5)
