"""The Russian interface (issue 16): the catalogue, the language choice, translated pages, untouched twins.

Browser checks (the switch, axe-core and 390 px on Russian pages) are in tests/test_browser_phones.py.
"""

from __future__ import annotations

import re
import subprocess
import threading

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from legalgraph import i18n
from legalgraph.api import create_app
from legalgraph.services import catalogue
from legalgraph.settings import Settings

RU = {"accept-language": "ru-RU,ru;q=0.9,en;q=0.5", "accept": "text/html"}
EN = {"accept-language": "en-GB,en;q=0.9", "accept": "text/html"}
NOTE = "Сведения из доклада приводятся на английском языке, как в докладе."
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _section(html: str, ident: str) -> str:
    m = re.search(rf'<section id="{ident}">(.*?)</section>', html, re.S)
    assert m, f"no section {ident}"
    return _text(m.group(1))


# ------------------------------------------------------------------ the catalogue

@pytest.fixture(scope="module")
def po():
    with i18n.po_path("ru").open("rb") as f:
        return read_po(f, locale="ru", domain=i18n.DOMAIN)


def test_every_marked_message_has_a_russian_translation_with_the_same_placeholders(po):
    extracted = i18n.extract()
    ids = [m.id for m in extracted if m.id]
    assert len(ids) > 200  # templates and Python both reach the extractor
    assert "Facts from the report are given in English, as the report gives them." in ids  # base.html
    assert "an order lasts %(length)s" in ids  # services/brief.py
    assert ("%(num)d recommendation", "%(num)d recommendations") in ids  # ngettext in services/compare.py
    problems = []
    for m in extracted:
        if not m.id:
            continue
        found = po.get(m.id)
        strings = (found.string if isinstance(found.string, tuple) else (found.string,)) if found else ("",)
        if not all(strings):
            problems.append(f"no translation: {m.id!r}")
            continue
        singular = m.id[0] if isinstance(m.id, tuple) else m.id
        wanted = set(PLACEHOLDER.findall(singular))
        for s in strings:
            if set(PLACEHOLDER.findall(s)) != wanted:
                problems.append(f"placeholders differ: {singular!r} -> {s!r}")
        if isinstance(m.id, tuple) and len(strings) != 3:
            problems.append(f"Russian needs three plural forms: {singular!r}")
    assert problems == []


def test_the_catalogue_holds_no_message_the_code_no_longer_uses(po):
    used = {m.id for m in i18n.extract() if m.id}
    assert sorted(str(m.id) for m in po if m.id and m.id not in used) == []


def test_russian_plural_forms_come_from_the_catalogue():
    with i18n.using("ru"):
        forms = [i18n.ngettext("%(num)d recommendation", "%(num)d recommendations", n) % {"num": n}
                 for n in (1, 3, 5, 11, 21, 22)]
    assert forms == ["1 рекомендация", "3 рекомендации", "5 рекомендаций", "11 рекомендаций", "21 рекомендация",
                     "22 рекомендации"]


def test_every_canned_query_has_a_russian_title_and_column_titles():
    lib = catalogue.library()
    assert len(lib) == 28
    for q in lib.values():
        assert q.title_in("ru") != q.title and re.search("[а-я]", q.title_in("ru")), q.name
        assert set(q.columns_in["ru"]) == set(q.columns), q.name
    po_query = lib["protection-orders"]
    assert po_query.title_in("ru") == "Охранные ордера по странам"
    assert po_query.title_of("initial", "ru") == "Срок первоначального ордера"
    assert po_query.title_of("initial") == "Initial order lasts"


def test_a_language_line_the_parser_cannot_read_is_refused(tmp_path):
    bad = tmp_path / "q.rq"
    bad.write_text("# title: T\n# column: a = A\n# column@ru: b = Б\nSELECT ?a WHERE {}\n", encoding="utf-8")
    with pytest.raises(catalogue.QueryError, match=r"cannot read column@ru 'b = Б'"):
        catalogue.parse(bad)
    bad.write_text("# title: T\n# description@ru: Д\nSELECT ?a WHERE {}\n", encoding="utf-8")
    with pytest.raises(catalogue.QueryError, match="only title and column lines may name a language"):
        catalogue.parse(bad)


# ------------------------------------------------------------------ choosing the language

@pytest.mark.parametrize(("asked", "cookie", "header", "chosen"), [
    (None, None, None, "en"),
    (None, None, "ru", "ru"),
    (None, None, "ru-RU,ru;q=0.9", "ru"),
    (None, None, "en;q=0.3, ru;q=0.8", "ru"),
    (None, None, "ru;q=0.2, en", "en"),
    (None, None, "fr-FR, de;q=0.9", "en"),  # nothing we have: English
    (None, None, "fr, ru;q=0.5", "ru"),
    (None, None, "*", "en"),
    (None, None, "ru;q=0, en;q=0.1", "en"),  # q=0 means "not this one"
    (None, None, "ru;q=abc, x" * 200, "en"),  # malformed and long: read within bounds, never an error
    (None, "ru", "en", "ru"),  # the cookie beats the header
    ("en", "ru", "ru", "en"),  # ?lang= beats both
    ("xx", "ru", "en", "ru"),  # an unknown ?lang= is ignored
])
def test_choose(asked, cookie, header, chosen):
    assert i18n.choose(i18n.supported(asked), cookie, header) == chosen


def test_the_language_of_one_thread_never_reaches_another():
    seen: dict[str, list[str]] = {"ru": [], "en": []}
    barrier = threading.Barrier(2)

    def work(lang: str) -> None:
        with i18n.using(lang):
            barrier.wait()
            for _ in range(200):
                seen[lang].append(i18n.gettext("Compare"))

    threads = [threading.Thread(target=work, args=(lang,)) for lang in ("ru", "en")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(seen["ru"]) == {"Сравнение"} and set(seen["en"]) == {"Compare"}
    assert i18n.current() == "en"


# ------------------------------------------------------------------ pages

@pytest.fixture(scope="module")
def client(shipped_store):
    app = create_app(Settings(query_timeout=10, workers=0), shipped_store)
    with TestClient(app) as c:
        yield c


def test_accept_language_ru_gives_a_russian_page(client):
    r = client.get("/", headers=RU)
    assert r.status_code == 200
    assert '<html lang="ru">' in r.text
    assert r.headers["vary"] == "Accept-Language, Cookie"
    assert "set-cookie" not in r.headers  # only an explicit choice is remembered
    for word in ("Сравнение", "Справки", "Обзор", "Запросы", "Проверка", "Таджикистан", "Кыргызстан",
                 "Сколько действуют охранные ордера?"):
        assert word in r.text, word
    assert r.text.count(NOTE) == 1
    assert '<a class="lang-switch" href="?lang=en" lang="en" hreflang="en" data-lang="en">English</a>' in r.text


def test_english_is_the_default_and_has_no_note(client):
    r = client.get("/", headers={"accept": "text/html"})
    assert '<html lang="en">' in r.text and ">Compare<" in r.text and "Tajikistan" in r.text
    assert NOTE not in r.text and "Facts from the report are given in English" not in r.text
    assert 'href="?lang=ru"' in r.text and ">Русский<" in r.text


@pytest.mark.parametrize("path", ["//evil.example/x", "/%2F/evil.example/x", "///evil.example/x"])
def test_the_language_switch_of_a_404_never_links_to_another_site(client, path):
    """A 404 page at //evil.example/x linked its language switch to //evil.example/x?lang=ru, another host."""
    r = client.get(path, headers={"accept": "text/html"})
    assert r.status_code == 404
    links = re.findall(r'class="lang-switch" href="([^"]*)"', r.text)
    assert links == ["?lang=ru"]


def test_unknown_languages_fall_back_to_english(client):
    r = client.get("/compare", headers={"accept-language": "fr-FR,de;q=0.8", "accept": "text/html"})
    assert '<html lang="en">' in r.text and "The five countries side by side" in r.text


def test_q_values_are_honoured(client):
    assert '<html lang="ru">' in client.get("/", headers={"accept-language": "en;q=0.4, ru;q=0.7"}).text
    assert '<html lang="en">' in client.get("/", headers={"accept-language": "ru;q=0.4, en;q=0.7"}).text


def test_lang_parameter_overrides_and_the_cookie_remembers_it(shipped_store):
    app = create_app(Settings(query_timeout=10, workers=0), shipped_store)
    with TestClient(app) as c:
        r = c.get("/browse?cls=Organisation&lang=en", headers=RU)
        assert '<html lang="en">' in r.text
        assert r.headers["set-cookie"] == "lang=en; Path=/; Max-Age=31536000; SameSite=Lax"
        # the switch keeps the page (a link relative to it) and the query
        assert 'href="?cls=Organisation&amp;lang=ru"' in r.text
        assert '<html lang="en">' in c.get("/compare", headers=RU).text  # the cookie beats Accept-Language
        r = c.get("/compare?lang=ru", headers=EN)
        assert '<html lang="ru">' in r.text and "lang=ru;" in r.headers["set-cookie"]
        assert '<html lang="ru">' in c.get("/queries", headers=EN).text


def test_country_names_and_vocabulary_labels_in_russian(client, graph):
    mandatory = URIRef("https://w3id.org/legalgraph/vocab/modality/mandatory")
    label = next(str(lit) for lit in graph.objects(mandatory, SKOS.prefLabel)
                 if isinstance(lit, Literal) and lit.language == "ru")
    assert label == "обязательная"
    page = client.get("/id/programme/tj-consultation-rooms-mandatory", headers=RU).text
    assert f'<a href="/vocab/modality/mandatory">{label}</a>' in page
    assert '<a href="/id/country/tajikistan">Таджикистан</a>' in page
    browse = client.get("/browse", headers=RU).text
    assert ">Таджикистан</a>" in browse and ">Туркменистан</a>" in browse and ">Tajikistan<" not in browse


def test_the_tajik_brief_in_russian(client):
    r = client.get("/brief/tajikistan", headers=RU)
    assert r.status_code == 200 and '<html lang="ru">' in r.text
    protection = _section(r.text, "protection")
    assert "Ордер действует 15 дней, с продлением — до 30 дней в общей сложности." in protection
    programmes = _section(r.text, "programmes")
    assert "Продолжительность: до 30 дней." in programmes and "Участие: обязательная." in programmes
    assert '<td class="status">не соответствует</td>' in r.text
    assert "<h1>Таджикистан: справка по стране</h1>" in r.text
    assert r.text.count(NOTE) == 1
    # the report's words stay English and say so
    assert '<ol class="recommendations" lang="en">' in r.text
    english = client.get("/brief/tajikistan", headers=EN).text
    assert "An order lasts 15 days, extendable up to 30 days in all." in _section(english, "protection")


def test_a_russian_pdf_brief(client, tmp_path):
    r = client.get("/brief/tajikistan.pdf?lang=ru")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert r.headers["vary"] == "Accept-Language, Cookie"
    (tmp_path / "ru.pdf").write_bytes(r.content)
    text = subprocess.run(["pdftotext", str(tmp_path / "ru.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    text = re.sub(r"\s+", " ", text)
    assert "Ордер действует 15 дней, с продлением — до 30 дней в общей сложности." in text
    assert "Таджикистан: справка по стране" in text and NOTE in text
    assert "стр. 1 из " in text  # the page numbers of the Russian print styles


def test_query_page_titles_in_russian(client):
    r = client.get("/queries/protection-orders?country=tajikistan", headers=RU)
    assert "<h1>Охранные ордера по странам</h1>" in r.text
    assert '<th title="initial">Срок первоначального ордера</th>' in r.text
    assert "<td>15 дней</td>" in r.text and "<td>да</td>" in r.text
    assert "1 строка" in r.text


def test_an_error_page_in_russian(client):
    r = client.get("/no-such-page", headers=RU)
    assert r.status_code == 404 and "<h1>Не найдено</h1>" in r.text and "страницы /no-such-page нет" in r.text
    machine = client.get("/no-such-page", headers={"accept-language": "ru", "accept": "application/json"})
    assert machine.json()["message"] == "no page at /no-such-page"


def test_a_cached_page_is_never_served_in_the_other_language(client):
    """Entity pages and /compare keep their answers per store version: the key includes the language."""
    for path, en, ru in [("/id/programme/tj-consultation-rooms-mandatory", ">mandatory</a>", ">обязательная</a>"),
                         ("/compare", "The five countries side by side", "Пять стран в сравнении"),
                         ("/compare", "15 days → 30 days (extension obliges a programme)",
                          "15 дней → 30 дней (продление обязывает пройти программу)")]:
        first = client.get(path, headers=EN).text
        second = client.get(path, headers=RU).text
        third = client.get(path, headers=EN).text
        assert en in first and en not in second and ru in second and ru not in third and en in third, path


@pytest.mark.parametrize("path", ["/compare?format=json", "/brief/tajikistan.json", "/brief?countries=tajikistan&format=json",
                                  "/queries/protection-orders.json", "/browse?format=json", "/?format=json",
                                  "/search?q=police&format=json", "/id/country/tajikistan.ttl"])
def test_machine_twins_do_not_change_with_the_language(client, path):
    en = client.get(path, headers={"accept-language": "en"})
    ru = client.get(path, headers={"accept-language": "ru"})
    assert en.status_code == 200 and en.content == ru.content
    assert "vary" not in ru.headers or "Accept-Language" not in ru.headers["vary"]
