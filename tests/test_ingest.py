"""Ingest: decoding, bad input, boilerplate removal, metadata, tickers, blocks and language."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys

import pytest

from conftest import DEMO, ROOT, SEEDS
from mtcheck.errors import InputError, UsageError
from mtcheck.ingest import find_tickers, parse_article, read_article
from mtcheck.langid import detect_language, is_english, language_confidences
from mtcheck.records import Article

FIXTURES = ROOT / "tests" / "fixtures" / "ingest"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seeds not available")

FRENCH = (
    "Le constructeur Valmorel a relevé mercredi sa prévision de marge pour l'année, porté par la demande "
    "pour ses petites voitures électriques en Europe du Sud, a-t-il indiqué dans un communiqué.\n\n"
    "Le groupe vise désormais une marge d'environ 8,5 %, contre 7 % auparavant.\n"
)
ENGLISH = (
    "The carmaker Valmorel raised its margin forecast for the year on Wednesday, helped by demand for its "
    "small electric cars in southern Europe, it said in a statement.\n\n"
    "The group now targets a margin of about 8.5%, up from 7% previously.\n"
)

# What may be left outside both blocks and removals: list and heading markers, whitespace.
MARKER_CHARS = set("•·-–—*+#0123456789.)")


def check_invariants(a: Article) -> None:
    """Offsets are true and every visible character is either kept or listed as removed."""
    covered = bytearray(len(a.text))
    for b in a.blocks:
        assert a.text[b.start : b.end] == b.text and b.text == b.text.strip()
        assert b.kind in ("headline", "paragraph", "bullet")
        covered[b.start : b.end] = b"\x01" * (b.end - b.start)
    for r in a.removed:
        assert a.text[r.start : r.end] == r.text and r.text.strip()
        covered[r.start : r.end] = b"\x01" * (r.end - r.start)
    for t in a.tickers:
        assert t.symbol in a.text[t.start : t.end]
        assert any(b.start <= t.start and t.end <= b.end for b in a.blocks)
    lost = {c for c, cov in zip(a.text, covered) if not cov and not c.isspace()}
    assert lost <= MARKER_CHARS, f"characters neither kept nor removed: {lost}"
    assert [r.start for r in a.removed] == sorted(r.start for r in a.removed)


def kinds(a: Article) -> set[str]:
    return {r.kind for r in a.removed}


def removed_text(a: Article, kind: str) -> str:
    return "\n".join(r.text for r in a.removed if r.kind == kind)


def prose(a: Article) -> str:
    return "\n".join(b.text for b in a.blocks)


def tickers(a: Article) -> dict[str, str | None]:
    return {t.symbol: t.company for t in a.tickers}


# --------------------------------------------------------------------------------------------
# The real seed articles (not in the repository)
# --------------------------------------------------------------------------------------------


def seed(prefix: str) -> Article:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return read_article(path, lang="fr")


@needs_seeds
@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_invariants_and_language(prefix):
    a = seed(prefix)
    check_invariants(a)
    assert a.lang == "fr" and a.format == "text" and a.notices == []
    assert a.meta.headline and a.blocks[0].kind == "headline"
    assert sum(b.kind == "paragraph" for b in a.blocks) >= 5
    assert read_article(next(SEEDS.glob(f"{prefix}_*.txt"))).lang == "fr"  # detected too


@needs_seeds
def test_seed_000_reuters_via_portal():
    a = seed("000")
    m = a.meta
    assert (m.date, m.date_source, m.time, m.source) == (dt.date(2026, 2, 27), "date-line", "07:17", "Reuters")
    assert m.headline.startswith("Le laboratoire d'IA de Jeff Bezos")
    assert {"date-line", "navigation", "byline", "translation-notice", "quote-box", "copyright"} <= kinds(a)
    assert removed_text(a, "navigation") == "Aller au contenu principal"
    box = removed_text(a, "quote-box")
    assert box.startswith("Valeurs associées") and "AMAZON.COM" in box and box.endswith("+0,87%")
    assert removed_text(a, "copyright").startswith("© 2026 Thomson Reuters")
    assert tickers(a) == {"AMZN.O": "Amazon.com", "JPM.N": "JPMorgan"}
    text = prose(a)
    for junk in ("Traduction automatisée", "bit.ly", "Valeurs associées", "NASDAQ", "Thomson", "fournie par"):
        assert junk not in text
    assert a.blocks[1].text.startswith("Le laboratoire d'intelligence")
    assert a.blocks[-1].text.endswith("sur LinkedIn.")


@needs_seeds
def test_seed_001_web_page():
    a = seed("001")
    assert a.meta.date == dt.date(2026, 1, 30) and a.meta.date_source == "byline" and a.meta.time == "12:05"
    assert a.meta.headline.startswith("Amazon serait en négociations")
    assert {"navigation", "reading-time", "byline", "counter", "image-caption", "error-report"} <= kinds(a)
    assert removed_text(a, "image-caption") == "OpenAI Logo"
    assert "Signaler" not in prose(a) and "Business Tech" not in prose(a)
    # sub-headings stay: the English original has them too
    assert any(b.text == "Un tour de table historique pour OpenAI" for b in a.blocks)


@needs_seeds
def test_seed_002_headline_on_the_date_line():
    a = seed("002")
    assert a.meta.date == dt.date(2026, 2, 27) and a.meta.date_source == "date-line"
    assert a.blocks[0].kind == "headline" and a.blocks[0].text.startswith("Le tour de table de $110")
    assert removed_text(a, "date-line") == "date 2026-02-27"
    assert removed_text(a, "credits").startswith("(Reportage Deborah Sophia")
    assert tickers(a) == {"NVDA.O": "Nvidia", "AMZN.O": "Amazon", "MSFT.O": "Microsoft"}
    assert a.blocks[-1].text.endswith("commentaires de Reuters.")


@needs_seeds
def test_seed_003_navigation_and_bullets():
    a = seed("003")
    m = a.meta
    assert (m.date, m.date_source, m.time, m.byline) == (dt.date(2025, 12, 18), "byline", "13:00", "Morgan Fromentin")
    assert m.headline.startswith("Amazon envisage un investissement de 10")
    assert {"navigation", "byline", "image-caption", "newsletter", "copyright"} <= kinds(a)
    nav = removed_text(a, "navigation")
    menus = ("Menu", "Begeek", "PlayStation PS5", "En ce moment", "Tech > Amazon", "Le Récap", "En savoir plus")
    for item in menus + ("Antivirus",):
        assert item in nav
    bullets = [b.text for b in a.blocks if b.kind == "bullet"]
    assert len(bullets) == 3 and all(b.endswith(".") and not b.startswith("•") for b in bullets)
    text = prose(a)
    for junk in ("Navigation", "Xbox", "newsletter", "Tous droits", "Image d'illustration", "Infos Légales"):
        assert junk not in text


@needs_seeds
def test_seed_004_author_bio_and_comment_form():
    a = seed("004")
    assert {"author-bio", "comments"} <= kinds(a)
    assert removed_text(a, "author-bio").startswith("Félix Germain")
    assert a.meta.byline == "Félix Germain" and a.meta.date is None
    text = prose(a)
    assert "Fan du Web" not in text and "Laisser un commentaire" not in text and "adresse e-mail" not in text
    assert a.blocks[-1].text.endswith("4 milliards de dollars.")


# --------------------------------------------------------------------------------------------
# The demo corpus and our own fixtures
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(DEMO.glob("*.txt")), ids=lambda p: p.name)
def test_demo_corpus(path):
    lang = path.name.split(".")[-2]
    a = read_article(path, lang=lang)
    check_invariants(a)
    assert a.lang == lang and a.meta.date_source == "date-line" and a.meta.source == "Reuters"
    assert a.meta.dateline and "(Reuters)" in a.meta.dateline and "credits" in kinds(a)
    assert ("translation-notice" in kinds(a)) == (lang == "fr")
    assert "(Reuters) -" not in prose(a) and "Reporting by" not in prose(a) and "Reportage" not in prose(a)


def test_html_page():
    a = read_article(FIXTURES / "portail.html", lang="fr")
    check_invariants(a)
    m = a.meta
    assert a.format == "html" and a.lang == "fr"
    assert m.headline == "Valmorel Automobiles relève sa prévision de marge après un trimestre solide"
    assert (m.date, m.dateline) == (dt.date(2026, 3, 4), "LYON, 4 mars (Reuters) -")
    assert (m.source, m.byline) == ("Reuters", "Claire Vasseur")  # the byline from the HTML metadata
    assert tickers(a) == {"VLMR.PA": "Valmorel Automobiles", "ORSN.MI": "Orsenne Motors"}
    assert [b.kind for b in a.blocks].count("bullet") == 2
    text = prose(a)
    for junk in ("Accueil", "Partager", "LinkedIn", "Lire aussi", "commentaire", "Tous droits", "Mentions", "<"):
        assert junk not in text
    assert "Des commandes bien remplies" in text  # an <h2> stays as a paragraph


def test_html_in_a_txt_file_is_sniffed(tmp_path):
    page = tmp_path / "article.txt"
    page.write_text(
        "<html><body><div>Menu</div><p>Accueil &gt; Marchés &gt; Actions</p><div>"
        f"<p>{FRENCH.splitlines()[0]}</p><p>Partager</p><p>{FRENCH.splitlines()[2]}</p>"
        "<p>Signaler une erreur</p><p>3 commentaires</p></div></body></html>",
        encoding="utf-8",
    )
    a = read_article(page, lang="fr")
    check_invariants(a)
    assert a.format == "html" and any("looks like HTML" in n for n in a.notices)
    assert {"share", "error-report", "comments"} <= kinds(a)
    assert prose(a).startswith("Le constructeur Valmorel") and "<p>" not in a.text


def test_markdown_article():
    a = read_article(FIXTURES / "depeche.md", lang="fr")
    check_invariants(a)
    m = a.meta
    assert a.format == "markdown"
    assert (m.date, m.date_source, m.byline) == (dt.date(2026, 1, 15), "date-line", "Hélène Marchal")
    assert a.blocks[0].kind == "headline" and a.blocks[0].text == m.headline and not m.headline.startswith("#")
    assert {"front-matter", "byline", "dateline", "link", "image-caption", "share"} <= kinds(a)
    bullets = [b.text for b in a.blocks if b.kind == "bullet"]
    assert bullets[0].startswith("Un contrat") and len(bullets) == 3
    assert any(b.text == "Ce qu'il faut retenir" and b.kind == "paragraph" for b in a.blocks)
    # The link target is listed as removed inside its paragraph; the link text stays.
    link = next(r for r in a.removed if r.kind == "link")
    assert link.text.startswith("(https://example.com/communique")
    assert any(b.start < link.start < b.end for b in a.blocks)
    assert tickers(a) == {"BRVE.PA": "Brevane Énergie"}


def test_windows_1252_file():
    a = read_article(FIXTURES / "maree_cp1252.txt", lang="fr")
    check_invariants(a)
    assert any("Windows-1252" in n for n in a.notices)
    assert a.meta.headline == "Le géant français de l’énergie Maréva relève son dividende"
    assert a.meta.date == dt.date(2026, 2, 11) and a.meta.dateline == "PARIS, 11 février (Reuters) -"
    assert "« L’année a été exceptionnelle »" in prose(a)


def test_english_reuters_article():
    a = read_article(FIXTURES / "reuters_en.txt", lang="en")
    check_invariants(a)
    m = a.meta
    assert a.lang == "en"
    assert (m.date, m.date_source, m.time) == (dt.date(2026, 2, 27), "byline", "07:17")
    assert (m.byline, m.dateline, m.source) == ("Jane Porter and Tom Okri", "OSLO, Feb 27 (Reuters) -", "Reuters")
    assert m.headline == "Halvard Shipping to buy rival Nordline for $1.1 billion"
    assert removed_text(a, "credits").startswith("(Reporting by Jane Porter")
    assert "Our Standards" in removed_text(a, "copyright")
    assert tickers(a) == {"HALV.OL": "Halvard Shipping", "NORD.OL": "Nordline Carriers"}  # and not "U.S"
    assert a.blocks[1].text.startswith("Halvard Shipping HALV.OL said on Friday")


def test_hard_wrapped_lines_are_one_paragraph():
    a = read_article(FIXTURES / "wrapped_en.txt")
    check_invariants(a)
    assert a.lang == "en" and [b.kind for b in a.blocks] == ["headline", "paragraph", "paragraph", "paragraph"]
    assert a.blocks[1].text.startswith("Lindqvist Pharma said") and a.blocks[1].text.endswith("early trading.")
    assert a.meta.dateline == "STOCKHOLM, March 3 (Reuters) -" and a.meta.date is None  # no year anywhere


def test_french_web_page_copy():
    a = read_article(FIXTURES / "site_fr.txt", lang="fr")
    check_invariants(a)
    m = a.meta
    assert m.headline == "Un fondeur taïwanais accélère en Arizona"
    assert (m.date, m.time, m.byline) == (dt.date(2026, 2, 9), "10:15", "Julien Ferrat")
    assert {"navigation", "byline", "reading-time", "share", "author-bio", "comments"} <= kinds(a)
    assert "Économie > Entreprises" in removed_text(a, "navigation")
    assert "Lire aussi" in removed_text(a, "navigation")
    assert removed_text(a, "author-bio").startswith("Mathilde Garnier")
    assert [b.text[:9] for b in a.blocks if b.kind == "bullet"] == ["La capaci", "Le groupe"]
    assert a.blocks[-1].text.startswith("Le groupe n’a pas précisé")


# --------------------------------------------------------------------------------------------
# parse_article details
# --------------------------------------------------------------------------------------------


def test_date_line_followed_by_boilerplate_or_headline():
    a = parse_article(" date 2026-02-27  Aller au contenu principal\nUn titre sur plusieurs mots ici\n\n" + FRENCH)
    check_invariants(a)
    assert a.removed[0].kind == "date-line" and a.removed[0].text == "date 2026-02-27"
    assert a.removed[1].kind == "navigation" and a.meta.headline == "Un titre sur plusieurs mots ici"
    b = parse_article("date 2026-02-27 Valmorel relève sa prévision de marge\n\n" + FRENCH)
    assert b.blocks[0].kind == "headline" and b.blocks[0].text == "Valmorel relève sa prévision de marge"
    assert b.meta.date == dt.date(2026, 2, 27)


def test_dateline_year_comes_from_another_date():
    text = "Titre de la dépêche sur Valmorel\n\nInformation fournie par Reuters 03/01/2026 à 09:00\n\n"
    a = parse_article(text + "PARIS, 30 décembre (Reuters) - " + FRENCH)
    assert a.meta.date == dt.date(2026, 1, 3) and a.meta.date_source == "byline" and a.meta.time == "09:00"
    dateline = "PARIS, 30 décembre (Reuters) - "
    b = parse_article("Titre de la dépêche Valmorel\n\n" + dateline + FRENCH + "\n© 2026 Reuters")
    assert b.meta.dateline == "PARIS, 30 décembre (Reuters) -"
    assert b.meta.date == dt.date(2026, 12, 30) and b.meta.date_source == "dateline"
    c = parse_article("Feb 27 (Reuters) - " + ENGLISH + "\nFebruary 20, 2026\n")
    assert c.meta.dateline == "Feb 27 (Reuters) -" and c.meta.date == dt.date(2026, 2, 20)  # byline date wins


@pytest.mark.parametrize(
    "line, date, time",
    [
        ("30 Jan. 2026 • 12:05", dt.date(2026, 1, 30), "12:05"),
        ("February 27, 2026 7:17 AM GMT", dt.date(2026, 2, 27), "07:17"),
        ("Publié le 4 mars 2026 à 18h45", dt.date(2026, 3, 4), "18:45"),
        ("Mis à jour le 1er juil. 2025", dt.date(2025, 7, 1), None),
        ("By Jane Doe, Reuters", None, None),
        ("Par Anne Morel (AFP)", None, None),
        ("information fournie par AOF 12/05/2025 à 17:40", dt.date(2025, 5, 12), "17:40"),
    ],
)
def test_bylines_and_date_stamps(line, date, time):
    a = parse_article("Un titre de dépêche assez long\n\n" + line + "\n\n" + FRENCH)
    assert a.removed[0].kind == "byline" and a.removed[0].text == line
    assert (a.meta.date, a.meta.time) == (date, time)
    if line.startswith(("By", "Par")):
        assert a.meta.byline in ("Jane Doe", "Anne Morel") and a.meta.source in ("Reuters", "AFP")


PROSE_THAT_LOOKS_LIKE_BOILERPLATE = [
    "Par ailleurs, le groupe a confirmé ses objectifs annuels malgré le ralentissement du marché européen.",
    "By the end of the year, the company expects to hire about 500 people in its new plant in Ohio.",
    "Partager les coûts est devenu une priorité pour les constructeurs, selon une étude publiée mardi.",
    "Menu allégé : la chaîne de restauration a réduit sa carte de 20 % pour contenir la hausse des prix.",
    "Copyright : la Commission européenne a proposé mardi une réforme du droit d'auteur en ligne.",
    "Information fournie par la société, le chiffre d'affaires a progressé de 5 % au premier trimestre.",
    "Image de marque oblige, le groupe a renoncé à ce partenariat controversé après les critiques.",
    "Lire aussi les rapports des analystes ne suffit pas à comprendre la chute du titre, estime un gérant.",
    "Le 27 février, la société a annoncé un plan d'économies de 2 milliards d'euros sur trois ans.",
    "Un nouveau logo",
]


@pytest.mark.parametrize("para", PROSE_THAT_LOOKS_LIKE_BOILERPLATE, ids=lambda p: p[:20])
def test_prose_is_never_removed(para):
    a = parse_article(FRENCH + "\n" + para + "\n\n" + FRENCH)
    check_invariants(a)
    assert any(b.text == para for b in a.blocks), a.removed


def test_bullets_markers_and_short_menus():
    text = ("Accueil\n  • Marchés\n  • Entreprises\n\nValmorel relève sa prévision de marge\n\n" + FRENCH +
            "\nL'essentiel :\n\n- La marge est relevée à 8,5 %.\n- Le titre a gagné 3 %.\n\n" + FRENCH +
            "\n  • Contact\n  • Mentions légales\n")
    a = parse_article(text)
    check_invariants(a)
    bullets = [b.text for b in a.blocks if b.kind == "bullet"]
    assert bullets == ["La marge est relevée à 8,5 %.", "Le titre a gagné 3 %."]
    assert "Marchés" in removed_text(a, "navigation") and "Mentions légales" in removed_text(a, "navigation")


def test_notices_and_credits_inside_a_paragraph():
    notice = "((Automated translation by Reuters, please see the disclaimer https://bit.ly/rtrsauto))"
    text = ENGLISH.rstrip() + " (Reporting by Jane Doe; Editing by John Smith)\n\n" + notice + " " + ENGLISH
    a = parse_article(text, lang="en")
    check_invariants(a)
    assert {"credits", "translation-notice"} <= kinds(a)
    assert "Reporting" not in prose(a) and "bit.ly" not in prose(a)
    assert a.blocks[1].text.endswith("up from 7% previously.")


def test_quote_box_and_source_from_copyright():
    text = (FRENCH + "\nValeurs associées\n\nVALMOREL AUTO\n52,1400 EUR Euronext Paris +3,20%\n"
            "Orsenne Motors SpA\n12,300 EUR MIL -0,40%\n© 2026 Thomson Reuters. Tous droits réservés.\n")
    a = parse_article(text)
    check_invariants(a)
    box = removed_text(a, "quote-box")
    assert box.startswith("Valeurs associées") and box.endswith("-0,40%") and "Orsenne Motors SpA" in box
    assert a.meta.source == "Reuters" and "copyright" in kinds(a)


def test_html_date_and_title_from_metadata():
    paragraphs = "".join(f"<p>{p}</p>" for p in FRENCH.split("\n") if p)
    page = ('<html><head><title>Valmorel relève sa prévision de marge</title>'
            '<meta property="article:published_time" content="2026-05-02T10:00:00Z"></head>'
            f"<body><article>{paragraphs}</article></body></html>")
    a = parse_article(page, fmt="html")
    check_invariants(a)
    assert (a.meta.date, a.meta.date_source) == (dt.date(2026, 5, 2), "html")
    assert a.meta.headline == "Valmorel relève sa prévision de marge" and a.blocks[0].kind == "paragraph"


def test_crlf_text_keeps_offsets():
    a = parse_article(("Titre de la dépêche Valmorel\r\n\r\n" + FRENCH).replace("\n", "\r\n"))
    check_invariants(a)
    assert a.blocks[0].text == "Titre de la dépêche Valmorel" and "\r" not in a.blocks[1].text


# --------------------------------------------------------------------------------------------
# Tickers
# --------------------------------------------------------------------------------------------


def test_tickers_and_their_companies():
    text = (
        "Amazon.com AMZN.O et Nvidia NVDA.O montent, tandis que Vodafone <VOD.L> et Toyota Motor 7203.T reculent. "
        "BNP Paribas BNPP.PA gagne 1 %, Apple Inc (AAPL.O) aussi, le fondateur d'Amazon AMZN.O sourit, "
        "Ford F.N cède, le CAC 40 .FCHI et Germany's DAX .GDAXI progressent."
    )
    got = {(t.symbol, t.company, text[t.start : t.end]) for t in find_tickers(text)}
    assert got == {
        ("AMZN.O", "Amazon.com", "AMZN.O"),
        ("NVDA.O", "Nvidia", "NVDA.O"),
        ("VOD.L", "Vodafone", "<VOD.L>"),
        ("7203.T", "Toyota Motor", "7203.T"),
        ("BNPP.PA", "BNP Paribas", "BNPP.PA"),
        ("AAPL.O", "Apple Inc", "(AAPL.O)"),
        ("AMZN.O", "Amazon", "AMZN.O"),
        ("F.N", "Ford", "F.N"),
        (".FCHI", "CAC 40", ".FCHI"),
        (".GDAXI", "DAX", ".GDAXI"),
    }


def test_not_tickers():
    text = ("The U.S. and the U.N. met. Société Générale S.A. rose 3.5% e.g. on Amazon.com and AMAZON.COM, "
            "see example.NET or file.PDF. A.I. and N.V. too.")
    assert find_tickers(text) == []


# --------------------------------------------------------------------------------------------
# Reading files: decoding and bad input
# --------------------------------------------------------------------------------------------


def raises_one_line(path, match, **kw) -> str:
    with pytest.raises(InputError, match=match) as info:
        read_article(path, **kw)
    assert "\n" not in str(info.value) and str(info.value).strip()
    return str(info.value)


def test_bad_files(tmp_path):
    raises_one_line(tmp_path / "nope.txt", "no such file")
    raises_one_line(tmp_path, "is a directory")
    (tmp_path / "empty.txt").write_bytes(b"")
    raises_one_line(tmp_path / "empty.txt", "empty")
    (tmp_path / "blank.txt").write_text("  \n\t\n\u00a0\n", encoding="utf-8")
    raises_one_line(tmp_path / "blank.txt", "empty")
    (tmp_path / "image.txt").write_bytes(bytes(range(256)) * 40)
    raises_one_line(tmp_path / "image.txt", "binary")
    (tmp_path / "ctrl.txt").write_bytes(b"\x01\x02\x03\x04 abc \x05\x06\x07\x08" * 50)
    raises_one_line(tmp_path / "ctrl.txt", "binary")
    (tmp_path / "doc.txt").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    raises_one_line(tmp_path / "doc.txt", "PDF")
    (tmp_path / "noise.txt").write_bytes(bytes(range(128, 256)) * 40)
    raises_one_line(tmp_path / "noise.txt", "cannot decode")


def test_too_large(tmp_path):
    huge = tmp_path / "huge.txt"
    huge.write_bytes(FRENCH.encode() * (6_000_000 // len(FRENCH.encode()) + 1))
    msg = raises_one_line(huge, "too large")
    assert "5,000,000 bytes = 5.0 MB" in msg and "6.0 MB" in msg
    raises_one_line(FIXTURES / "reuters_en.txt", r"limit is 100 bytes", max_bytes=100)


def test_wrong_language_says_swap(tmp_path):
    fr, en = tmp_path / "fr.txt", tmp_path / "en.txt"
    fr.write_text(ENGLISH * 2, encoding="utf-8")
    en.write_text(FRENCH * 2, encoding="utf-8")
    msg = raises_one_line(fr, "looks like English, not French: swap the arguments", lang="fr")
    assert msg.startswith(str(fr))
    raises_one_line(en, "looks like French, not English", lang="en")
    with pytest.raises(UsageError):
        parse_article(FRENCH, lang="french")
    assert parse_article("Hello there", lang="fr").lang == "fr"  # too short to contradict


def test_encodings(tmp_path):
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + FRENCH.encode())
    a = read_article(bom)
    assert a.text == FRENCH and a.notices == [] and a.lang == "fr"

    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(b"\xff\xfe" + ENGLISH.encode("utf-16-le"))
    b = read_article(utf16)
    assert b.text == ENGLISH and any("UTF-16" in n for n in b.notices)

    latin = tmp_path / "latin.txt"
    latin.write_bytes(FRENCH.encode("latin-1") + b"\x81\n")
    c = read_article(latin)
    assert "Europe du Sud" in c.text and any("Latin-1" in n for n in c.notices)

    broken = tmp_path / "broken.txt"
    broken.write_bytes(FRENCH.encode() + b"\xff\n")
    d = read_article(broken)
    assert "électriques" in d.text and any("U+FFFD" in n for n in d.notices)

    twice = tmp_path / "twice.txt"
    twice.write_bytes(FRENCH.encode("utf-8").decode("cp1252").encode("utf-8"))
    e = read_article(twice)
    assert e.text == FRENCH and any("double-encoded" in n for n in e.notices)


def test_input_files_are_never_modified(tmp_path):
    path = tmp_path / "fr.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ("date 2026-02-27 Titre\r\n\r\n" + FRENCH).encode("utf-8"))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    read_article(path, lang="fr")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


# --------------------------------------------------------------------------------------------
# langid
# --------------------------------------------------------------------------------------------


def test_langid():
    assert detect_language(FRENCH) == "fr" and detect_language(ENGLISH) == "en"
    assert detect_language("Tl;dr") is None and detect_language("") is None
    conf = language_confidences(ENGLISH)
    assert abs(sum(conf.values()) - 1) < 1e-6 and conf["en"] > 0.9
    assert is_english("The company declined to comment on the report.")
    assert is_english("Reuters could not immediately verify the report.")
    for s in ("La société n'a pas souhaité commenter.", "Amazon Web Services (AWS)", "Jeff Bezos",
              "The Wall Street Journal a rapporté l'information.", "OpenAI Frontier, la plateforme d'OpenAI", ""):
        assert not is_english(s), s


def test_langid_builds_lazily():
    code = "import mtcheck.langid as l, mtcheck.ingest; assert l._detector is None"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
