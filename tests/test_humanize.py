"""Plain language (legalgraph.humanize): typed values in English and Russian words, exact strings, and that
nothing raises."""

from __future__ import annotations

import warnings
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Literal, Namespace, URIRef

from legalgraph.humanize import (
    boolean,
    count,
    date,
    datetime,
    duration,
    gyear,
    gyearmonth,
    humanize,
    number,
    plural_ru,
    since,
    up_to,
)

# Plain namespaces: rdflib's closed XSD namespace warns when pytest inspects module globals.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
RDF_LANGSTRING = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")

with warnings.catch_warnings():  # rdflib warns that it cannot read the value; the lexical form is kept
    warnings.simplefilter("ignore")
    MAYBE = Literal("maybe", datatype=XSD.boolean, normalize=False)

# ------------------------------------------------------------------ durations


@pytest.mark.parametrize(("value", "en", "ru"), [
    ("P15D", "15 days", "15 дней"),
    ("P1D", "1 day", "1 день"),
    ("P3D", "3 days", "3 дня"),
    ("P30D", "30 days", "30 дней"),
    ("P1M", "1 month", "1 месяц"),
    ("P3M", "3 months", "3 месяца"),
    ("P6M", "6 months", "6 месяцев"),
    ("P18M", "18 months", "18 месяцев"),
    ("P1Y", "1 year", "1 год"),
    ("P2Y", "2 years", "2 года"),
    ("P5Y", "5 years", "5 лет"),
    ("P168D", "24 weeks", "24 недели"),  # whole weeks read as weeks
    ("P28D", "4 weeks", "4 недели"),
    ("P7D", "1 week", "1 неделя"),
    ("P35D", "5 weeks", "5 недель"),
    ("P2W", "2 weeks", "2 недели"),
    ("P1Y6M", "1 year 6 months", "1 год 6 месяцев"),
    ("P1M15D", "1 month 15 days", "1 месяц 15 дней"),
    ("P0D", "0 days", "0 дней"),
    ("PT2H30M", "2 hours 30 minutes", "2 часа 30 минут"),
    ("PT1H", "1 hour", "1 час"),
    ("PT1.5S", "1.5 seconds", "1,5 секунды"),
    (" P15D ", "15 days", "15 дней"),
])
def test_durations(value, en, ru):
    assert duration(value) == en
    assert duration(value, "en") == en
    assert duration(value, "ru") == ru
    assert duration(value, "ru-RU") == ru
    assert duration(value, "kk") == en  # any other language: English


@pytest.mark.parametrize(("value", "en", "ru"), [
    ("P1Y", "up to 1 year", "до 1 года"),
    ("P30D", "up to 30 days", "до 30 дней"),
    ("P1M", "up to 1 month", "до 1 месяца"),
    ("P6M", "up to 6 months", "до 6 месяцев"),
    ("P2Y", "up to 2 years", "до 2 лет"),
    ("P168D", "up to 24 weeks", "до 24 недель"),
    ("P21D", "up to 3 weeks", "до 3 недель"),
    ("P1D", "up to 1 day", "до 1 дня"),
    ("P21M", "up to 21 months", "до 21 месяца"),
    ("P1Y6M", "up to 1 year 6 months", "до 1 года 6 месяцев"),
])
def test_maximum_durations(value, en, ru):
    assert duration(value, maximum=True) == up_to(value) == en
    assert duration(value, "ru", maximum=True) == up_to(value, "ru") == ru


@pytest.mark.parametrize("value", ["P", "PT", "P1DT", "-P1D", "p1d", "P1M2", "15 days", "", "PT-1H", "P1.5D",
                                   "P99999999999999999D", "P1Y1Y", "\ud800", "P1D\x00"])
def test_malformed_durations_come_back_raw(value):
    assert duration(value) == value
    assert duration(value, "ru", maximum=True) == value


# ------------------------------------------------------------------ Russian plurals

@pytest.mark.parametrize(("n", "day", "month", "week", "year"), [
    (1, "1 день", "1 месяц", "1 неделя", "1 год"),
    (2, "2 дня", "2 месяца", "2 недели", "2 года"),
    (4, "4 дня", "4 месяца", "4 недели", "4 года"),
    (5, "5 дней", "5 месяцев", "5 недель", "5 лет"),
    (11, "11 дней", "11 месяцев", "11 недель", "11 лет"),
    (12, "12 дней", "12 месяцев", "12 недель", "12 лет"),
    (14, "14 дней", "14 месяцев", "14 недель", "14 лет"),
    (21, "21 день", "21 месяц", "21 неделя", "21 год"),
    (22, "22 дня", "22 месяца", "22 недели", "22 года"),
    (25, "25 дней", "25 месяцев", "25 недель", "25 лет"),
    (0, "0 дней", "0 месяцев", "0 недель", "0 лет"),
    (101, "101 день", "101 месяц", "101 неделя", "101 год"),
    (111, "111 дней", "111 месяцев", "111 недель", "111 лет"),
])
def test_russian_plural_forms(n, day, month, week, year):
    assert count(n, "day", "ru") == day
    assert count(n, "month", "ru") == month
    assert count(n, "week", "ru") == week
    assert count(n, "year", "ru") == year


def test_plural_rule_and_counts():
    assert [plural_ru(n, "a", "b", "c") for n in (1, 2, 5, 11, 21, 102, 112, 1001)] == ["a", "b", "c", "c", "a", "b", "c", "a"]
    assert plural_ru(Decimal("1.5"), "a", "b", "c") == "b"
    assert count(1, "day") == "1 day" and count(2, "day") == "2 days" and count(0, "day") == "0 days"
    assert count(30, "session") == "30 sessions" and count(30, "session", "ru") == "30 занятий"
    assert count(1, "session", "ru") == "1 занятие" and count(3, "session", "ru") == "3 занятия"
    assert count(40, "hour") == "40 hours" and count(40, "hour", "ru") == "40 часов"
    assert count(21, "day", "ru", genitive=True) == "21 дня"
    assert count(5, "widget") == "5 widget"
    assert count("many", "day") == "many day"


# ------------------------------------------------------------------ dates

def test_years_months_dates():
    assert gyear("2023") == "2023" and gyear("2023", "ru") == "2023" and gyear("2023Z") == "2023"
    assert gyearmonth("2023-04") == "April 2023"
    assert gyearmonth("2023-04", "ru") == "апрель 2023"
    assert gyearmonth("2019-08", "ru") == "август 2019"
    assert date("2023-04-05") == "5 April 2023"
    assert date("2023-04-05", "ru") == "5 апреля 2023 г."
    assert date("2019-08-01", "ru") == "1 августа 2019 г."
    assert date("2024-02-29") == "29 February 2024"
    assert date("2023-05-31+05:00", "ru") == "31 мая 2023 г."
    assert datetime("2023-04-05T14:30:00Z") == "5 April 2023, 14:30"
    assert datetime("2023-04-05T14:30:00", "ru") == "5 апреля 2023 г., 14:30"


def test_since():
    assert since("2023-04") == "since April 2023"
    assert since("2023-04", "ru") == "с апреля 2023 г."
    assert since("2023") == "since 2023"
    assert since("2023", "ru") == "с 2023 г."
    assert since("2023-04-05") == "since 5 April 2023"
    assert since("2023-04-05", "ru") == "с 5 апреля 2023 г."


@pytest.mark.parametrize("value", ["2023-13", "2023-00", "2023-02-30", "2023-04-31", "0000", "0000-01", "23",
                                   "20234", "-0044", "2023-4", "April 2023", "", "2023-04-05T25:00:00"])
def test_malformed_dates_come_back_raw(value):
    for f in (gyear, gyearmonth, date, since, datetime):
        assert f(value, "ru") == value, f.__name__


# ------------------------------------------------------------------ booleans and numbers

def test_booleans():
    assert boolean("true") == "yes" and boolean("false") == "no"
    assert boolean("1") == "yes" and boolean("0") == "no"
    assert boolean("true", "ru") == "да" and boolean("false", "ru") == "нет"
    assert boolean(True) == "yes" and boolean(False, "ru") == "нет"
    assert boolean("TRUE") == "TRUE" and boolean("yes") == "yes"


def test_numbers():
    assert number("40") == "40" and number(40, "ru") == "40"
    assert number("1234") == "1,234" and number("1234", "ru") == "1234"
    assert number("10000") == "10,000" and number("10000", "ru") == "10\u00a0000"
    assert number("1.50") == "1.5" and number("1.5", "ru") == "1,5"
    assert number("-12345.25", "ru") == "-12\u00a0345,25"
    assert number("+7") == "7"
    for raw in ("abc", "NaN", "1e400", "", "1,000", "1_000", "௧௫", "1e3", "Infinity"):
        assert number(raw) == raw


# ------------------------------------------------------------------ humanize: any term

@pytest.mark.parametrize(("term", "en", "ru"), [
    (Literal("P15D", datatype=XSD.duration), "15 days", "15 дней"),
    (Literal("P6M", datatype=XSD.yearMonthDuration), "6 months", "6 месяцев"),
    (Literal("P168D", datatype=XSD.dayTimeDuration), "24 weeks", "24 недели"),
    (Literal("2023", datatype=XSD.gYear), "2023", "2023"),
    (Literal("2023-04", datatype=XSD.gYearMonth), "April 2023", "апрель 2023"),
    (Literal("2023-04-05", datatype=XSD.date), "5 April 2023", "5 апреля 2023 г."),
    (Literal("2023-04-05T09:05:00", datatype=XSD.dateTime), "5 April 2023, 09:05", "5 апреля 2023 г., 09:05"),
    (Literal(True), "yes", "да"),
    (Literal("false", datatype=XSD.boolean), "no", "нет"),
    (Literal(40), "40", "40"),
    (Literal("12000", datatype=XSD.nonNegativeInteger), "12,000", "12\u00a0000"),
    (Literal("2.50", datatype=XSD.decimal), "2.5", "2,5"),
    (Literal("text"), "text", "text"),
    (Literal("текст", lang="ru"), "текст", "текст"),
    (Literal("x", datatype=URIRef("http://example.org/dt")), "x", "x"),
    # ill-typed lexical forms come back raw (normalize=False: rdflib would otherwise rewrite some of them)
    (Literal("15 days", datatype=XSD.duration, normalize=False), "15 days", "15 days"),
    (Literal("soon", datatype=XSD.gYear, normalize=False), "soon", "soon"),
    (MAYBE, "maybe", "maybe"),
    (Literal("4O", datatype=XSD.integer, normalize=False), "4O", "4O"),
    (Literal("1e3", datatype=XSD.double, normalize=False), "1e3", "1e3"),
    (Literal("௧௫", datatype=XSD.integer, normalize=False), "௧௫", "௧௫"),  # Tamil digits are not XSD digits
    (Literal("P௧௫D", datatype=XSD.duration, normalize=False), "P௧௫D", "P௧௫D"),
    (Literal("1_000", datatype=XSD.integer, normalize=False), "1_000", "1_000"),
    (URIRef("https://w3id.org/legalgraph/id/org/kg-police"), "https://w3id.org/legalgraph/id/org/kg-police",
     "https://w3id.org/legalgraph/id/org/kg-police"),
    (None, "", ""),
    (7, "7", "7"),
    (True, "yes", "да"),
])
def test_humanize_dispatches_by_datatype(term, en, ru):
    assert humanize(term) == en
    assert humanize(term, "ru") == ru


def test_humanize_odd_things():
    assert humanize(BNode("b1")) == "b1"
    assert humanize(Literal("x", datatype=RDF_LANGSTRING)) == "x"
    assert humanize(object(), "ru").startswith("<object object")


# ------------------------------------------------------------------ nothing raises

FUNCTIONS = (duration, up_to, gyear, gyearmonth, date, datetime, since, boolean, number)
DATATYPES = [XSD.duration, XSD.dayTimeDuration, XSD.yearMonthDuration, XSD.gYear, XSD.gYearMonth, XSD.date,
             XSD.dateTime, XSD.boolean, XSD.integer, XSD.nonNegativeInteger, XSD.decimal, XSD.double, XSD.string,
             None]


@settings(max_examples=300, deadline=None)
@given(st.text(), st.sampled_from(["en", "ru", "ru-RU", "", "xx", None]))
def test_any_string_never_raises(text, lang):
    for f in FUNCTIONS:
        out = f(text, lang)
        assert isinstance(out, str)
    assert isinstance(count(text, text, lang), str)


@pytest.mark.filterwarnings("ignore:Parsing weird boolean")
@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.from_regex(r"-?P(\d{1,20}[YMWD]){0,4}(T(\d{1,20}(\.\d{1,5})?[HMS]){0,3})?",
                                          fullmatch=True),
                 st.from_regex(r"-?\d{1,6}(-\d{1,3}(-\d{1,3})?)?(Z|[+-]\d\d:\d\d)?", fullmatch=True)),
       st.sampled_from(DATATYPES), st.sampled_from(["en", "ru"]))
def test_any_literal_never_raises(text, datatype, lang):
    try:
        term = Literal(text, datatype=datatype, normalize=False) if datatype else Literal(text)
    except Exception:  # rdflib itself refuses a few lexical forms; nothing of ours to test then
        return
    assert isinstance(humanize(term, lang), str)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**9))
def test_every_count_has_the_right_russian_form(n):
    last, last2 = n % 10, n % 100
    expected = "день" if last == 1 and last2 != 11 else "дня" if 2 <= last <= 4 and not 12 <= last2 <= 14 else "дней"
    assert count(n, "day", "ru").endswith(" " + expected)
    assert duration(f"P{n}Y", "ru").split(" ", 1)[0].replace("\u00a0", "") == str(n)
