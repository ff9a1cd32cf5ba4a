"""Chinese date expressions (今天, 上个月, 3月5日到10号 …) turned into inclusive date ranges."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta

DateRange = tuple[date, date]

NUM = r"\d{1,4}|[零〇一二两三四五六七八九十]{1,3}"
DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
YEAR = r"(?:(?P<year>\d{4})年|(?P<rel_year>今年|去年))?"
DAY_SUFFIX = r"[日号號]"
RANGE_SEP = r"\s*(?:到|至|~|～|-|—)\s*"

FULL_RANGE = re.compile(
    rf"{YEAR}(?P<m1>{NUM})月(?P<d1>{NUM}){DAY_SUFFIX}?{RANGE_SEP}"
    rf"(?:(?P<year2>\d{{4}})年)?(?:(?P<m2>{NUM})月)?(?P<d2>{NUM}){DAY_SUFFIX}?"
)
SINGLE_DAY = re.compile(rf"{YEAR}(?P<m1>{NUM})月(?P<d1>{NUM}){DAY_SUFFIX}")
WHOLE_MONTH = re.compile(rf"{YEAR}(?P<m1>{NUM})月(?!\d)")
# A single day must not be one end of a range (周一到周五, 10号到15号).
NOT_RANGE_END = r"(?<![到至~～\-—])"
NOT_RANGE_START = rf"(?!{RANGE_SEP})"
WEEKDAY = re.compile(
    rf"{NOT_RANGE_END}(?P<week>上上|上|这|本)?个?(?:周|星期|礼拜)(?P<day>[一二三四五六日天1-7]){NOT_RANGE_START}"
)
MONTH_DAY = re.compile(
    rf"(?:(?P<month>上上个?月|上个?月|这个?月|本月)|(?<![\d月]){NOT_RANGE_END})(?P<d1>{NUM}){DAY_SUFFIX}{NOT_RANGE_START}"
)
# Monday is 0, as in date.weekday(); 天 and 日 are both Sunday.
WEEKDAYS = {**{day: n for n, day in enumerate("一二三四五六日")}, "天": 6, **{str(n + 1): n for n in range(7)}}
RECENT_DAYS = re.compile(rf"(?:最近|近)(?P<n>{NUM})天")
RECENT_WEEKS = re.compile(rf"(?:最近|近)(?P<n>{NUM})?个?(?:周|星期|礼拜)")
RECENT_MONTHS = re.compile(rf"(?:最近|近)(?P<n>{NUM}|半)?个?月")
RECENT_YEARS = re.compile(rf"(?:最近|近)(?P<n>{NUM}|半)?年")


def chinese_number(text: str) -> int:
    """Arabic or Chinese numerals up to 99 (三, 十二, 二十一)."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return DIGITS.get(tens, 1) * 10 + (DIGITS[ones] if ones else 0)
    return DIGITS[text]


def _month_bounds(year: int, month: int) -> DateRange:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _shift_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _explicit_year(match: re.Match[str], today: date) -> int | None:
    if match.group("year"):
        return int(match.group("year"))
    if match.group("rel_year"):
        return today.year if match.group("rel_year") == "今年" else today.year - 1
    return None


def _full_range(match: re.Match[str], today: date) -> DateRange:
    year = _explicit_year(match, today)
    start = date(year or today.year, chinese_number(match.group("m1")), chinese_number(match.group("d1")))
    if year is None and start > today:
        start = start.replace(year=start.year - 1)
    end_month = chinese_number(match.group("m2")) if match.group("m2") else start.month
    end_year = int(match.group("year2")) if match.group("year2") else start.year
    end = date(end_year, end_month, chinese_number(match.group("d2")))
    if not match.group("year2") and end < start:
        end = end.replace(year=end.year + 1)
    return start, end


def _single_day(match: re.Match[str], today: date) -> DateRange:
    year = _explicit_year(match, today)
    day = date(year or today.year, chinese_number(match.group("m1")), chinese_number(match.group("d1")))
    if year is None and day > today:
        day = day.replace(year=day.year - 1)
    return day, day


def _whole_month(match: re.Match[str], today: date) -> DateRange:
    year = _explicit_year(match, today)
    month = chinese_number(match.group("m1"))
    start, end = _month_bounds(year or today.year, month)
    if year is None and start > today:
        start, end = _month_bounds(today.year - 1, month)
    return start, end


def _weekday(match: re.Match[str], today: date) -> DateRange:
    """上周三 / 这周二 / 周五 (bare: the latest one up to today)."""
    monday = today - timedelta(days=today.weekday())
    weeks_back = {"上上": 2, "上": 1}.get(match.group("week") or "", 0)
    day = monday + timedelta(days=WEEKDAYS[match.group("day")] - 7 * weeks_back)
    if match.group("week") is None and day > today:
        day -= timedelta(days=7)
    return day, day


def _month_day(match: re.Match[str], today: date) -> DateRange:
    """上个月15号 / 本月3号 / 15号 (bare: the latest one up to today)."""
    named = match.group("month") or ""
    months_back = 2 if named.startswith("上上") else 1 if named.startswith("上") else 0
    first = _shift_months(today.replace(day=1), -months_back)
    day = first.replace(day=chinese_number(match.group("d1")))
    if match.group("month") is None and day > today:
        previous = _shift_months(first, -1)
        day = previous.replace(day=day.day)
    return day, day


def _recent_days(match: re.Match[str], today: date) -> DateRange:
    return today - timedelta(days=chinese_number(match.group("n")) - 1), today


def _recent_weeks(match: re.Match[str], today: date) -> DateRange:
    weeks = chinese_number(match.group("n")) if match.group("n") else 1
    return today - timedelta(days=7 * weeks - 1), today


def _recent_months(match: re.Match[str], today: date) -> DateRange:
    amount = match.group("n")
    months = 6 if amount == "半" else chinese_number(amount) if amount else 1
    return _shift_months(today, -months) + timedelta(days=1), today


def _recent_years(match: re.Match[str], today: date) -> DateRange:
    amount = match.group("n")
    months = 6 if amount == "半" else 12 * (chinese_number(amount) if amount else 1)
    return _shift_months(today, -months) + timedelta(days=1), today


def _keyword_range(text: str, today: date) -> DateRange | None:
    monday = today - timedelta(days=today.weekday())
    last_month_end = today.replace(day=1) - timedelta(days=1)
    keywords: list[tuple[tuple[str, ...], DateRange]] = [
        (("前天",), (today - timedelta(days=2),) * 2),
        (("昨天", "昨日"), (today - timedelta(days=1),) * 2),
        (("今天", "今日"), (today, today)),
        (("上周", "上个星期", "上星期", "上礼拜"), (monday - timedelta(days=7), monday - timedelta(days=1))),
        (("本周", "这周", "这个星期", "这星期", "这礼拜"), (monday, today)),
        (("上个月", "上月"), _month_bounds(last_month_end.year, last_month_end.month)),
        (("本月", "这个月", "这月", "当月"), (today.replace(day=1), today)),
        (("去年",), (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))),
        (("今年", "本年"), (date(today.year, 1, 1), today)),
    ]
    for words, found in keywords:
        if any(word in text for word in words):
            return found
    return None


PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str], date], DateRange]]] = [
    (FULL_RANGE, _full_range),
    (SINGLE_DAY, _single_day),
    (WHOLE_MONTH, _whole_month),
    (RECENT_DAYS, _recent_days),
    (RECENT_WEEKS, _recent_weeks),
    (RECENT_MONTHS, _recent_months),
    (RECENT_YEARS, _recent_years),
    (WEEKDAY, _weekday),
    (MONTH_DAY, _month_day),
]


def parse_date_range(text: str, today: date) -> DateRange | None:
    """The inclusive (start, end) range `text` refers to, relative to `today`; None if unparseable."""
    compact = text.replace(" ", "")
    for pattern, build in PATTERNS:
        match = pattern.search(compact)
        if match:
            try:
                start, end = build(match, today)
            except (KeyError, ValueError):
                return None
            return (start, end) if start <= end else None
    return _keyword_range(compact, today)
