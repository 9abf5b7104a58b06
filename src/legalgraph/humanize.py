"""Typed values in words for people, in English and Russian (issue 16: plain language).

Pure functions, no I/O: ``P15D`` -> "15 days" / «15 дней", ``P168D`` -> "24 weeks", ``2023-04`` ->
"April 2023" / «апрель 2023», ``2023-04-05`` -> "5 April 2023" / «5 апреля 2023 г.», ``true`` -> "yes" / «да».
:func:`humanize` dispatches any rdflib term by its datatype. Machine outputs (JSON, CSV, RDF) keep the typed
values; these words are for pages, tables and messages.

Every function takes ``lang`` ("en" or "ru"; "ru-RU" counts as Russian, anything else as English) and never
raises: a lexical form it does not understand (invalid, negative, out of range, or not a string) comes back
as the raw text, unchanged.

Russian nouns agree with their number (1 день, 2 дня, 5 дней, 11 дней, 21 день; 1,5 дня) and take the
genitive after «до» and «с» ("up to" and "since"): «до 30 дней», «до 1 года», «с апреля 2023 г.».
"""

from __future__ import annotations

import calendar
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

__all__ = [
    "MONTHS_EN", "MONTHS_RU", "MONTHS_RU_GENITIVE", "UNITS", "boolean", "count", "date", "datetime", "duration",
    "gyear", "gyearmonth", "humanize", "in_words", "number", "plural_ru", "since", "up_to",
]

# ------------------------------------------------------------------ language and plurals


def _lang(lang: object) -> str:
    return "ru" if isinstance(lang, str) and lang.strip().lower().split("-")[0] == "ru" else "en"


def plural_ru(n: int | Decimal, one: str, few: str, many: str) -> str:
    """The Russian form for a count: 1, 21, 101 -> ``one``; 2-4, 22-24 -> ``few``; 0, 5-20, 25-30 ->
    ``many``; a fraction -> ``few`` (1,5 дня)."""
    if isinstance(n, Decimal) and n != n.to_integral_value():
        return few
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


#: unit -> (English singular, plural), (Russian nominative: one, few, many), (Russian genitive: one, other)
UNITS: dict[str, tuple[tuple[str, str], tuple[str, str, str], tuple[str, str]]] = {
    "year": (("year", "years"), ("год", "года", "лет"), ("года", "лет")),
    "month": (("month", "months"), ("месяц", "месяца", "месяцев"), ("месяца", "месяцев")),
    "week": (("week", "weeks"), ("неделя", "недели", "недель"), ("недели", "недель")),
    "day": (("day", "days"), ("день", "дня", "дней"), ("дня", "дней")),
    "hour": (("hour", "hours"), ("час", "часа", "часов"), ("часа", "часов")),
    "minute": (("minute", "minutes"), ("минута", "минуты", "минут"), ("минуты", "минут")),
    "second": (("second", "seconds"), ("секунда", "секунды", "секунд"), ("секунды", "секунд")),
    "session": (("session", "sessions"), ("занятие", "занятия", "занятий"), ("занятия", "занятий")),
}


#: Plain decimal notation only (no exponent, no underscores, ASCII digits).
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)


def number(value: object, lang: str = "en") -> str:
    """An integer or decimal for reading: English groups thousands with commas ("10,000"), Russian groups
    numbers of five digits or more with no-break spaces («10 000») and writes a decimal comma («1,5»)."""
    text = value if isinstance(value, str) else str(value) if isinstance(value, int | Decimal | float) else None
    if text is None or isinstance(value, bool):
        return _raw(value)
    if not _NUMBER.fullmatch(text.strip()):
        return text
    try:
        d = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return text
    if not d.is_finite() or abs(d) >= Decimal(10) ** 30:
        return text
    ru = _lang(lang) == "ru"
    sign = "-" if d < 0 else ""
    d = abs(d)
    if d == d.to_integral_value():
        whole, frac = int(d), ""
    else:
        whole_s, _, frac = format(d.normalize(), "f").partition(".")
        whole = int(whole_s)
    if ru:
        digits = f"{whole:,}".replace(",", "\u00a0") if whole >= 10_000 else str(whole)
        return sign + digits + ("," + frac if frac else "")
    return sign + f"{whole:,}" + ("." + frac if frac else "")


def count(n: int | Decimal | str, unit: str, lang: str = "en", *, genitive: bool = False) -> str:
    """``n`` units in words: count(3, "day") -> "3 days", count(21, "day", "ru") -> «21 день»,
    count(2, "week", "ru", genitive=True) -> «2 недель» (after «до»). Unknown units: "n unit"."""
    try:
        if isinstance(n, bool) or (not isinstance(n, int | Decimal) and not _NUMBER.fullmatch(str(n).strip())):
            raise InvalidOperation
        value = n if isinstance(n, Decimal) else Decimal(str(n).strip())
        if not value.is_finite() or abs(value) >= Decimal(10) ** 30:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        return f"{n} {unit}"
    forms = UNITS.get(unit)
    shown = number(value, lang)
    if forms is None:
        return f"{shown} {unit}"
    en, ru_nom, ru_gen = forms
    if _lang(lang) == "ru":
        if genitive:
            word = ru_gen[0] if _is_gen_one(value) else ru_gen[1]
            return f"{shown} {word}"
        return f"{shown} {plural_ru(value, *ru_nom)}"
    return f"{shown} {en[0] if value == 1 else en[1]}"


def _is_gen_one(n: Decimal) -> bool:
    """After «до», numbers ending in 1 (not 11) and fractions take the genitive singular: до 1 года,
    до 21 дня, до 1,5 года; others the genitive plural: до 2 лет, до 30 дней."""
    if n != n.to_integral_value():
        return True
    i = abs(int(n))
    return i % 10 == 1 and i % 100 != 11


def _raw(value: object) -> str:
    try:
        return str(value) if value is not None else ""
    except Exception:
        return ""


# ------------------------------------------------------------------ durations

_DURATION = re.compile(
    r"^P(?!$)(?:(?P<Y>\d+)Y)?(?:(?P<M>\d+)M)?(?:(?P<W>\d+)W)?(?:(?P<D>\d+)D)?"
    r"(?:T(?!$)(?:(?P<H>\d+)H)?(?:(?P<MI>\d+)M)?(?:(?P<S>\d+(?:\.\d+)?)S)?)?$", re.ASCII)
_DURATION_UNITS = (("Y", "year"), ("M", "month"), ("W", "week"), ("D", "day"), ("H", "hour"), ("MI", "minute"),
                   ("S", "second"))


def _duration_parts(value: str) -> list[tuple[Decimal, str]] | None:
    m = _DURATION.match(value.strip())
    if not m:
        return None
    parts = {k: Decimal(v) for k, v in m.groupdict().items() if v is not None}
    if any(len(str(v)) > 15 for v in parts.values()):
        return None
    if set(parts) == {"D"} and parts["D"] > 0 and parts["D"] % 7 == 0:  # P168D -> 24 weeks
        parts = {"W": parts["D"] / 7}
    return [(parts[k], unit) for k, unit in _DURATION_UNITS if k in parts]


def duration(value: object, lang: str = "en", *, maximum: bool = False) -> str:
    """An ``xsd:duration`` in words: "P15D" -> "15 days", "P1M" -> "1 month", "P168D" (whole weeks) ->
    "24 weeks", "P1Y6M" -> "1 year 6 months", "PT2H" -> "2 hours"; Russian «15 дней», «1 год 6 месяцев».
    ``maximum=True`` gives an upper bound: "up to 1 year", «до 1 года». Negative or malformed: raw text."""
    if not isinstance(value, str):
        return _raw(value)
    parts = _duration_parts(value)
    if parts is None:
        return value
    ru = _lang(lang) == "ru"
    words = " ".join(count(n, unit, lang, genitive=maximum and ru) for n, unit in parts)
    if maximum:
        return f"до {words}" if ru else f"up to {words}"
    return words


#: an xsd:duration written inside a sentence ("lasts P1M, shorter than P6M")
_DURATION_IN_TEXT = re.compile(r"(?<![\w/#:.-])P(?=\d|T\d)(?:\d+(?:\.\d+)?[YMWDHS]|T)+(?![\w/-])", re.ASCII)


def in_words(text: object, lang: str = "en") -> str:
    """A sentence for people with the durations it quotes in words: "the programme lasts P1M, shorter than
    P6M" -> "the programme lasts 1 month, shorter than 6 months" (validation and benchmark messages, which
    SHACL fills with lexical forms). Anything that is not a well-formed duration stays as it is."""
    if not isinstance(text, str):
        return _raw(text)
    return _DURATION_IN_TEXT.sub(lambda m: duration(m.group(0), lang), text)


def up_to(value: object, lang: str = "en") -> str:
    """An upper bound: ``duration(value, lang, maximum=True)``."""
    return duration(value, lang, maximum=True)


# ------------------------------------------------------------------ dates

_TZ = r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
_GYEAR = re.compile(rf"^(?P<y>\d{{4}}){_TZ}$", re.ASCII)
_GYEARMONTH = re.compile(rf"^(?P<y>\d{{4}})-(?P<m>\d\d){_TZ}$", re.ASCII)
_DATE = re.compile(rf"^(?P<y>\d{{4}})-(?P<m>\d\d)-(?P<d>\d\d){_TZ}$", re.ASCII)
_DATETIME = re.compile(rf"^(?P<y>\d{{4}})-(?P<m>\d\d)-(?P<d>\d\d)T(?P<H>\d\d):(?P<M>\d\d):\d\d(?:\.\d+)?{_TZ}$",
                       re.ASCII)

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")
MONTHS_RU = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
             "ноябрь", "декабрь")
MONTHS_RU_GENITIVE = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                      "октября", "ноября", "декабря")


def _ym(value: object) -> tuple[int, int] | None:
    m = _GYEARMONTH.match(value.strip()) if isinstance(value, str) else None
    if not m or not 1 <= int(m["m"]) <= 12:
        return None
    return int(m["y"]), int(m["m"])


def _ymd(value: object) -> tuple[int, int, int] | None:
    m = _DATE.match(value.strip()) if isinstance(value, str) else None
    if not m:
        return None
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    if not 1 <= mo <= 12 or not 1 <= d <= calendar.monthrange(max(y, 1), mo)[1] or y == 0:
        return None
    return y, mo, d


def gyear(value: object, lang: str = "en") -> str:
    """An ``xsd:gYear``: "2023" (a time zone is dropped). Malformed: raw text."""
    m = _GYEAR.match(value.strip()) if isinstance(value, str) else None
    return m["y"] if m and m["y"] != "0000" else _raw(value)


def gyearmonth(value: object, lang: str = "en") -> str:
    """An ``xsd:gYearMonth``: "2023-04" -> "April 2023", «апрель 2023». Malformed: raw text."""
    ym = _ym(value)
    if ym is None or ym[0] == 0:
        return _raw(value)
    y, mo = ym
    return f"{MONTHS_RU[mo - 1]} {y}" if _lang(lang) == "ru" else f"{MONTHS_EN[mo - 1]} {y}"


def date(value: object, lang: str = "en") -> str:
    """An ``xsd:date``: "2023-04-05" -> "5 April 2023", «5 апреля 2023 г.». Malformed or impossible
    (2023-02-30): raw text."""
    ymd = _ymd(value)
    if ymd is None:
        return _raw(value)
    y, mo, d = ymd
    return f"{d} {MONTHS_RU_GENITIVE[mo - 1]} {y} г." if _lang(lang) == "ru" else f"{d} {MONTHS_EN[mo - 1]} {y}"


def datetime(value: object, lang: str = "en") -> str:
    """An ``xsd:dateTime``: the date in words and the time: "5 April 2023, 14:30", «5 апреля 2023 г., 14:30»."""
    m = _DATETIME.match(value.strip()) if isinstance(value, str) else None
    if not m or int(m["H"]) > 23 or int(m["M"]) > 59:
        return _raw(value)
    day = f"{m['y']}-{m['m']}-{m['d']}"
    return f"{date(day, lang)}, {m['H']}:{m['M']}" if _ymd(day) else _raw(value)


def since(value: object, lang: str = "en") -> str:
    """The start of something: "since April 2023" (gYearMonth), "since 2023" (gYear), "since 5 April 2023"
    (date); Russian «с апреля 2023 г.», «с 2023 г.», «с 5 апреля 2023 г.». Malformed: raw text."""
    ru = _lang(lang) == "ru"
    if (ym := _ym(value)) and ym[0]:
        y, mo = ym
        return f"с {MONTHS_RU_GENITIVE[mo - 1]} {y} г." if ru else f"since {MONTHS_EN[mo - 1]} {y}"
    if _ymd(value):
        return f"с {date(value, lang)}" if ru else f"since {date(value, lang)}"
    if isinstance(value, str) and _GYEAR.match(value.strip()) and (year := gyear(value, lang)) != "0000":
        return f"с {year} г." if ru else f"since {year}"
    return _raw(value)


# ------------------------------------------------------------------ other values

def boolean(value: object, lang: str = "en") -> str:
    """An ``xsd:boolean``: "true"/"1" -> "yes" («да»), "false"/"0" -> "no" («нет»). Anything else: raw."""
    if isinstance(value, bool):
        v = value
    elif isinstance(value, str) and value.strip() in ("true", "1", "false", "0"):
        v = value.strip() in ("true", "1")
    else:
        return _raw(value)
    if _lang(lang) == "ru":
        return "да" if v else "нет"
    return "yes" if v else "no"


_INTEGER_TYPES = {XSD[t] for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                   "positiveInteger", "nonPositiveInteger", "negativeInteger", "unsignedLong",
                                   "unsignedInt", "unsignedShort", "unsignedByte")}
_DECIMAL_TYPES = {XSD.decimal, XSD.double, XSD.float}
_DURATION_TYPES = {XSD.duration, XSD.dayTimeDuration, XSD.yearMonthDuration}


def humanize(term: Any, lang: str = "en") -> str:
    """Any value in words, dispatched by its datatype: durations, gYear, gYearMonth, date, dateTime,
    boolean, integers and decimals; strings as they are; an IRI as its text; None as "". Never raises."""
    try:
        if term is None:
            return ""
        if isinstance(term, Literal):
            lexical = str(term)
            dt = term.datatype
            if dt is None or dt in (XSD.string, RDF.langString):
                return lexical
            if dt in _DURATION_TYPES:
                return duration(lexical, lang)
            if dt == XSD.gYear:
                return gyear(lexical, lang)
            if dt == XSD.gYearMonth:
                return gyearmonth(lexical, lang)
            if dt == XSD.date:
                return date(lexical, lang)
            if dt == XSD.dateTime:
                return datetime(lexical, lang)
            if dt == XSD.boolean:
                return boolean(lexical, lang)
            if dt in _INTEGER_TYPES:
                return number(lexical, lang) if re.fullmatch(r"\s*[+-]?\d+\s*", lexical, re.ASCII) else lexical
            if dt in _DECIMAL_TYPES:
                plain = re.fullmatch(r"\s*[+-]?(\d+\.?\d*|\.\d+)\s*", lexical, re.ASCII)
                return number(lexical, lang) if plain else lexical
            return lexical
        if isinstance(term, bool):
            return boolean(term, lang)
        if isinstance(term, int | Decimal):
            return number(term, lang)
        if isinstance(term, URIRef):
            return str(term)
        return _raw(term)
    except Exception:  # a last guard: words for people must never break a page
        return _raw(term)
