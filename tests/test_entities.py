"""Entity extraction, gazetteer matching and the ``entity`` check on hand-written wire sentences."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from mtcheck.checks import CheckContext
from mtcheck.checks.entities import check_entity
from mtcheck.config import Config
from mtcheck.entities import RIC_RE, extract_entities, load_gazetteer
from mtcheck.records import AlignedPair, Article, Block, Finding, Sentence, Severity, Ticker

ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- helpers


def _article(sentences: list[str], lang: str, tickers: bool, companies: dict[str, str]) -> tuple[Article, list[Sentence]]:
    text, sents = "", []
    for i, s in enumerate(sentences):
        if text:
            text += " "
        sents.append(Sentence(i, s, len(text), len(text) + len(s)))
        text += s
    recs = []
    if tickers:
        for m in RIC_RE.finditer(text):
            recs.append(Ticker(m.group(), m.start(), m.end(), companies.get(m.group())))
    art = Article(text=text, lang=lang, blocks=[Block(0, len(text), text)], tickers=recs)
    return art, sents


def make_ctx(
    beads: list[tuple[list[str], list[str]]], *, tickers: bool = True, companies: dict[str, str] | None = None
) -> CheckContext:
    """A context whose alignment is exactly ``beads`` (English sentences, French sentences)."""
    en_all: list[str] = []
    fr_all: list[str] = []
    idx = []
    for en, fr in beads:
        idx.append((list(range(len(en_all), len(en_all) + len(en))), list(range(len(fr_all), len(fr_all) + len(fr)))))
        en_all += en
        fr_all += fr
    en_art, en_s = _article(en_all, "en", tickers, companies or {})
    fr_art, fr_s = _article(fr_all, "fr", tickers, {})
    pairs = [
        AlignedPair(k, ei, fi, " ".join(en_s[i].text for i in ei), " ".join(fr_s[i].text for i in fi))
        for k, (ei, fi) in enumerate(idx)
    ]
    return CheckContext(fr=fr_art, en=en_art, fr_sentences=fr_s, en_sentences=en_s, pairs=pairs, config=Config())


def run(beads: list[tuple[list[str], list[str]]], **kw) -> list[Finding]:
    return list(check_entity(make_ctx(beads, **kw)))


def one(beads: list[tuple[list[str], list[str]]], **kw) -> Finding:
    found = run(beads, **kw)
    assert len(found) == 1, [(f.severity, f.expected, f.found, f.message) for f in found]
    return found[0]


# --------------------------------------------------------------------------- true positives


def test_changed_person_is_an_error_with_spans():
    ctx = make_ctx(
        [
            (
                ["Amazon.com Inc said on Wednesday that Chief Executive Andy Jassy would testify before the Senate."],
                ["Amazon.com a annoncé mercredi que son directeur général Jeff Bezos témoignerait devant le Sénat."],
            )
        ]
    )
    [f] = check_entity(ctx)
    assert f.check == "entity" and f.severity is Severity.ERROR and f.pair == 0
    assert (f.expected, f.found) == ("Andy Jassy", "Jeff Bezos")
    assert ctx.en.text[f.en_span.start : f.en_span.end] == "Andy Jassy" == f.en_span.text
    assert ctx.fr.text[f.fr_span.start : f.fr_span.end] == "Jeff Bezos" == f.fr_span.text
    assert f.message.endswith(".") and "Andy Jassy" in f.message


def test_changed_name_in_second_sentence_has_article_offsets():
    ctx = make_ctx(
        [
            (["Shares of Airbus rose 2% in Paris on Thursday."], ["L'action Airbus a gagné 2% jeudi à Paris."]),
            (
                ["Airbus Chief Executive Guillaume Faury said deliveries would pick up in the second half."],
                ["Le PDG d'Airbus, Christian Scherer, a déclaré que les livraisons accéléreraient au second semestre."],
            ),
        ]
    )
    [f] = check_entity(ctx)
    assert f.pair == 1 and f.severity is Severity.ERROR
    assert ctx.en.text[f.en_span.start : f.en_span.end] == "Guillaume Faury"
    assert ctx.fr.text[f.fr_span.start : f.fr_span.end] == "Christian Scherer"


def test_missing_place_is_a_warning_with_french_form():
    f = one(
        [
            (
                ["The bank will open new trading floors in Frankfurt and London next year, it said."],
                ["La banque ouvrira de nouvelles salles de marché à Francfort l'an prochain, a-t-elle indiqué."],
            )
        ]
    )
    assert f.severity is Severity.WARNING and f.expected == "Londres" and f.found is None
    assert f.en_span.text == "London"
    assert f.fr_span is not None  # points at the French sentence, for the report


def test_added_name_nowhere_in_english_is_a_warning():
    f = one(
        [
            (
                ["The euro fell 0.4% against the dollar after the data, traders said."],
                ["L'euro a cédé 0,4% face au dollar après ces chiffres, selon les courtiers de Goldman Sachs."],
            )
        ]
    )
    assert f.severity is Severity.WARNING and f.found == "Goldman Sachs" and f.expected is None
    assert f.fr_span.text == "Goldman Sachs"


def test_changed_acronym_and_changed_place():
    found = run(
        [
            (
                ["The IMF cut its growth forecast for Brazil, citing weaker commodity prices."],
                ["La BCE a abaissé sa prévision de croissance pour le Brésil, invoquant la baisse des matières premières."],
            ),
            (
                ["Talks resumed in Geneva on Monday."],
                ["Les discussions ont repris lundi à Vienne."],
            ),
        ]
    )
    got = {(f.pair, f.severity, f.expected, f.found) for f in found}
    assert (0, Severity.ERROR, "Fonds monétaire international", "BCE") in got
    assert (1, Severity.ERROR, "Genève", "Vienne") in got
    assert len(found) == 2


def test_ticker_attached_to_wrong_company():
    f = one(
        [
            (
                ["Shares of Nvidia NVDA.O rose 3% on the Nasdaq, while Microsoft MSFT.O slipped 1%."],
                ["L'action Nvidia MSFT.O a gagné 3% sur le Nasdaq, tandis que Microsoft MSFT.O a cédé 1%."],
            )
        ]
    )
    assert f.severity is Severity.ERROR
    assert (f.expected, f.found) == ("Nvidia NVDA.O", "Nvidia MSFT.O")
    assert f.fr_span.text == "MSFT.O"


def test_ticker_of_another_company_elsewhere_in_the_article():
    found = run(
        [
            (["Microsoft MSFT.O reported higher cloud revenue."], ["Microsoft MSFT.O a publié un chiffre d'affaires en hausse dans le cloud."]),
            (["Nvidia also gained 2% in early trading."], ["Nvidia MSFT.O a également pris 2% en début de séance."]),
        ]
    )
    [f] = found
    assert f.pair == 1 and f.severity is Severity.ERROR
    assert (f.expected, f.found) == ("Microsoft MSFT.O", "Nvidia MSFT.O")


def test_changed_ticker_and_missing_ticker():
    found = run(
        [
            (["Toyota Motor 7203.T shares fell 2%."], ["L'action Toyota Motor 7267.T a reculé de 2%."]),
            (["Sony 6758.T was flat."], ["Sony est resté stable."]),
        ]
    )
    got = {(f.pair, f.severity, f.expected, f.found) for f in found}
    assert (1, Severity.WARNING, "6758.T", None) in got
    assert any(f.pair == 0 and f.severity is Severity.ERROR and f.found in ("7267.T", "Toyota Motor 7267.T") for f in found)


def test_ticker_records_from_ingest_carry_the_company():
    # Ingest may attach the company itself; the record wins over what precedes the code.
    found = run(
        [(["The group AMZN.O said sales rose."], ["Le groupe Nvidia AMZN.O a déclaré que ses ventes avaient augmenté."])],
        companies={"AMZN.O": "Amazon"},
    )
    assert any(f.severity is Severity.ERROR and f.found == "Nvidia AMZN.O" for f in found)


# --------------------------------------------------------------------------- true negatives


def test_gazetteer_translations_are_accepted():
    assert not run(
        [
            (
                ["The Federal Reserve and the European Central Bank held rates, while the Bank of England cut."],
                ["La Réserve fédérale et la BCE ont maintenu leurs taux, tandis que la Banque d'Angleterre les a réduits."],
            ),
            (
                ["The Treasury and the White House declined to comment on the talks in Beijing."],
                ["Le Trésor et la Maison Blanche n'ont pas souhaité commenter les discussions de Pékin."],
            ),
            (
                ["The Finance Ministry in Brussels said the EU and the IMF backed the plan."],
                ["Le ministère des Finances à Bruxelles a indiqué que l'UE et le FMI soutenaient le plan."],
            ),
            (
                ["OPEC and the World Bank expect demand from Germany and the United States to slow."],
                ["L'OPEP et la Banque mondiale s'attendent à un ralentissement de la demande en Allemagne et aux Etats-Unis."],
            ),
        ]
    )


def test_country_adjectives_and_metonyms():
    assert not run(
        [
            (
                ["U.S. and German bond yields fell after the Chinese data, while British stocks rose."],
                ["Les rendements obligataires américains et allemands ont reculé après les chiffres chinois, la Bourse britannique a progressé."],
            ),
            (
                ["Washington has urged Berlin to spend more on defence."],
                ["Les Etats-Unis ont exhorté l'Allemagne à dépenser davantage pour la défense."],
            ),
        ]
    )


def test_sentence_initial_common_words_and_french_common_nouns():
    assert not run(
        [
            (
                ["Analysts polled by Reuters had expected a smaller deficit."],
                ["Interrogés par Reuters, les analystes attendaient un déficit plus faible."],
            ),
            (
                ["Stocks in Paris ended lower, with the state-owned utility down 3%."],
                ["Selon les opérateurs, la Bourse de Paris a fini en baisse, l'énergéticien contrôlé par l'Etat cédant 3%."],
            ),
            (
                ["Investors now expect two rate cuts this year."],
                ["Les investisseurs tablent désormais sur deux baisses de taux cette année."],
            ),
        ]
    )


def test_titles_possessives_and_surnames_on_later_mentions():
    assert not run(
        [
            (
                ["Federal Reserve Chair Jerome Powell said on Tuesday that inflation was easing."],
                ["Le président de la Fed, Jerome Powell, a déclaré mardi que l'inflation ralentissait."],
            ),
            (
                ["Powell added that Amazon's hiring plans were a sign of strength."],
                ["M. Powell a ajouté que les projets d'embauche d'Amazon étaient un signe de vigueur."],
            ),
            (
                ["Amazon CEO Andy Jassy did not respond to a request for comment."],
                ["Le PDG d'Amazon, M. Jassy, n'a pas répondu à une demande de commentaire."],
            ),
        ]
    )


def test_name_in_another_sentence_of_the_same_bead():
    # A 2-2 bead whose French sentences split the content differently.
    assert not run(
        [
            (
                [
                    "Siemens Energy said on Monday it had won a large order.",
                    "The contract was signed with RWE in Essen.",
                ],
                [
                    "Siemens Energy a décroché une commande importante auprès de RWE.",
                    "Le contrat a été signé lundi à Essen, a indiqué le groupe.",
                ],
            )
        ]
    )


def test_alignment_drift_to_neighbouring_bead():
    assert not run(
        [
            (["Unilever said on Thursday it would sell its tea business."], ["Unilever a annoncé jeudi la cession de son activité thé à CVC Capital Partners."]),
            (["The buyer is CVC Capital Partners, the company added."], ["L'opération devrait être finalisée l'an prochain, a précisé le groupe."]),
        ]
    )


def test_transliteration_and_weekdays_months():
    assert not run(
        [
            (
                ["Ukrainian President Volodymyr Zelenskiy will travel to Washington in March, his office said on Friday."],
                ["Le président ukrainien Volodymyr Zelensky se rendra à Washington en mars, a annoncé vendredi son cabinet."],
            )
        ]
    )


def test_title_case_headline_and_acronyms_kept():
    assert not run(
        [
            (
                ["Amazon Shares Jump After Strong Cloud Results"],
                ["L'action Amazon bondit après de solides résultats dans le cloud"],
            ),
            (
                ["AWS, Amazon's cloud unit, signed a deal with GSK."],
                ["AWS, la division cloud d'Amazon, a signé un accord avec GSK."],
            ),
        ]
    )


def test_consistent_tickers_are_silent():
    assert not run(
        [
            (
                ["Amazon.com Inc AMZN.O and Toyota Motor Corp 7203.T announced a partnership."],
                ["Amazon.com AMZN.O et Toyota Motor 7203.T ont annoncé un partenariat."],
            ),
            (["Shares of Nvidia <NVDA.O> were unchanged."], ["L'action Nvidia <NVDA.O> était inchangée."]),
        ]
    )


def test_one_sided_beads_are_skipped():
    assert not run([(["Editing by Jane Doe"], []), ([], ["Traduit par Jean Dupont"])])


def test_no_english_article_gives_nothing():
    ctx = make_ctx([(["Amazon said so."], ["Amazon l'a dit."])])
    ctx.en = None
    assert list(check_entity(ctx)) == []


# --------------------------------------------------------------------------- extraction


def _texts(text: str, lang: str, **kw) -> list[tuple[str, str]]:
    return [(e.text, e.kind) for e in extract_entities(text, lang, **kw)]


def test_extraction_names_acronyms_particles_and_stop_words():
    got = _texts("On Monday in March, GSK and the Banque de France met Charles de Gaulle Airport officials.", "en")
    assert ("GSK", "acronym") in got
    assert ("Banque de France", "org") in got
    assert any(t == "Charles de Gaulle Airport" for t, _ in got)
    assert not any(t in ("Monday", "March", "On") for t, _ in got)
    fr = _texts("Selon Mme Lagarde, le groupe d'Amazon et la Commission européenne ont discuté mardi.", "fr")
    assert ("Lagarde", "name") in fr and ("Amazon", "name") in fr and ("Commission européenne", "org") in fr
    assert not any(t in ("Selon", "Mme", "mardi") for t, _ in fr)


def test_extraction_particles_products_and_accents():
    got = _texts("European Commission President Ursula von der Leyen praised Apple's new iPhone and L'Oreal.", "en")
    assert ("Ursula von der Leyen", "name") in got and ("iPhone", "name") in got and ("Apple", "name") in got
    assert not run(
        [
            (
                ["Ursula von der Leyen met executives from L'Oreal and Nestle in Zurich."],
                ["Ursula von der Leyen a rencontré des dirigeants de L'Oréal et de Nestlé à Zurich."],
            )
        ]
    )


def test_extraction_tickers_inside_sentence_only_and_regex_fallback():
    text = "Nvidia NVDA.O and Tencent 0700.HK rose; the U.S. index was flat."
    ents = extract_entities(text, "en", tickers=[Ticker("NVDA.O", 7, 13), Ticker("FAR.O", 500, 505)])
    ticks = [(e.text, e.company) for e in ents if e.kind == "ticker"]
    assert ticks == [("NVDA.O", "Nvidia"), ("0700.HK", "Tencent")]
    assert [m.group() for m in RIC_RE.finditer("U.S. and U.K. stocks, MSFT.O, <T.N> and 7203.T")] == ["MSFT.O", "T.N", "7203.T"]


def test_sentence_initial_word_is_weak_unless_known():
    [e] = extract_entities("Jassy said the plan was on track.", "en")
    assert e.weak and not e.reportable
    [e] = extract_entities("Jassy said the plan was on track.", "en", known={"jassy"})
    assert not e.weak and e.reportable


def test_gazetteer_has_cldr_countries_capitals_and_demonyms():
    gaz = load_gazetteer()
    assert "Allemagne" in gaz.variants(gaz.lookup("Germany", "en"), "fr")
    assert "Berlin" in gaz.variants(gaz.lookup("Berlin", "en"), "fr")
    assert "Pékin" in gaz.variants(gaz.lookup("Beijing", "en"), "fr")
    assert "américaines" in gaz.variants(gaz.lookup("American", "en"), "fr")
    assert gaz.lookup("turkey", "en") == frozenset()  # capitals required
    assert gaz.lookup("US", "en") and not gaz.lookup("us", "en")
    for month in ("March", "Friday"):
        assert not gaz.lookup(month, "en")


def test_gazetteer_tsv_is_up_to_date_with_build_script():
    spec = importlib.util.spec_from_file_location("build_gazetteer", ROOT / "scripts" / "build_gazetteer.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    text = (ROOT / "mtcheck" / "data" / "gazetteer.tsv").read_text(encoding="utf-8")
    assert mod.rebuild(text) == text
    for line in text.splitlines():
        if line and not line.startswith("#"):
            assert 3 <= len(line.split("\t")) <= 4, line


def test_check_is_registered_and_documented():
    from mtcheck.checks import REGISTRY

    assert REGISTRY["entity"] is check_entity
    assert check_entity.__doc__ and re.search(r"changed|dropped", check_entity.__doc__)
