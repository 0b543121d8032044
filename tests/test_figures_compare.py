"""The "figure" check, run through a hand-built CheckContext (sentences written for these tests)."""

from __future__ import annotations

import re

import pytest

from mtcheck.checks import CheckContext
from mtcheck.checks.figures import check_figures
from mtcheck.config import Config
from mtcheck.figures import compare_figures, extract_figures
from conftest import build_article
from mtcheck.records import AlignedPair, Article, Sentence, Severity, Ticker

_TICKER = re.compile(r"\b(?:[A-Z]{1,5}|\d{4})\.(?:O|N|T|PA|L|HK)\b")


def _article(sentences: list[str], lang: str) -> tuple[Article, list[Sentence]]:
    return build_article(sentences, lang, tickers=lambda text: [
        Ticker(m.group(0), m.start(), m.end()) for m in _TICKER.finditer(text)])  # fmt: skip


def make_ctx(en: list[str], fr: list[str]) -> CheckContext:
    """English and French sentences aligned 1-1 in order."""
    en_art, en_s = _article(en, "en")
    fr_art, fr_s = _article(fr, "fr")
    pairs = [AlignedPair(i, [i], [i], en[i], fr[i]) for i in range(len(en))]
    return CheckContext(fr=fr_art, en=en_art, fr_sentences=fr_s, en_sentences=en_s, pairs=pairs, config=Config())


def run(en: str | list[str], fr: str | list[str]):
    en = [en] if isinstance(en, str) else en
    fr = [fr] if isinstance(fr, str) else fr
    return list(check_figures(make_ctx(en, fr)))


# ---------------------------------------------------------------------------------------------------------------
# True negatives: the same figures written the French way.

CLEAN = [
    ("Shares rose 1.3% to $45.20.", "L'action a progressé de 1,3 % à 45,20 dollars."),
    ("The plant will employ about 3,000 people.", "L'usine emploiera environ 3\u00a0000 personnes."),
    ("The plant will employ about 3,000 people.", "L'usine emploiera environ 3\u202f000 personnes."),
    ("The deal is worth $1.26 billion.", "L'accord est évalué à environ 1,3 milliard de dollars."),
    ("The deal is worth $1.25 billion.", "L'accord est évalué à 1,25 milliard de dollars."),
    ("OpenAI is raising $110 billion.", "OpenAI lève $110 mlds."),
    ("The ECB plan is worth €45,000 million.", "Le plan de la BCE s'élève à 45 milliards d'euros."),
    ("The bill reached seven thousand million pounds.", "La facture a atteint sept milliards de livres sterling."),
    ("The deficit reached $3 billion.", "Le déficit a atteint 3 Md$."),
    ("Three banks and a dozen insurers signed the charter.",
     "Trois banques et une douzaine d'assureurs ont signé la charte."),
    ("About a third of the staff will leave.", "Environ 33 % du personnel partira."),
    ("Two-thirds of the votes went to the mayor.", "Les deux tiers des voix sont allés au maire."),
    ("Unemployment fell 0.3 percentage point to 7.1%.",
     "Le chômage a reculé de 0,3 point de pourcentage à 7,1 %."),
    ("The Fed cut rates by 25 basis points.", "La Fed a abaissé ses taux de 25 points de base."),
    ("The Fed cut rates by 25 basis points.", "La Fed a abaissé ses taux de 0,25 point de pourcentage."),
    ("The ministers met on Tuesday, March 6.", "Les ministres se sont réunis mardi 6 mars."),
    ("Trading resumed at 10am.", "Les échanges ont repris à 10h00."),
    ("The statement was released at 6.30 pm.", "Le communiqué a été publié à 18h30."),
    ("Brent was steady at 0815 GMT.", "Le Brent était stable à 08h15 GMT."),
    ("Revenue rose in the third quarter of 2025.", "Le chiffre d'affaires a progressé au troisième trimestre 2025."),
    ("Q3 revenue rose.", "Le chiffre d'affaires du T3 a progressé."),
    ("It is the fourth largest lender.", "C'est le 4e prêteur du pays."),
    ("It is the fourth largest lender.", "C'est le quatrième prêteur du pays."),
    ("The church dates from the 20th century.", "L'église date du XXe siècle."),
    ("The fire spread over 5 miles.", "L'incendie s'est propagé sur 8 km."),
    ("The board met on 2/27/2026.", "Le conseil s'est réuni le 27/02/2026."),
    ("Toyota 7203.T shares rose 2% in Tokyo.", "L'action Toyota 7203.T a gagné 2 % à Tokyo."),
    ("Nvidia NVDA.O and the G7 discussed COVID-19 rules.", "Nvidia NVDA.O et le G7 ont discuté des règles liées au COVID-19."),
    ("The bank posted a profit of 1.3 billion euros.", "La banque a dégagé un bénéfice de 1.3 milliard d'euros."),
]


@pytest.mark.parametrize("en,fr", CLEAN, ids=[c[1][:45] for c in CLEAN])
def test_clean_pairs_have_no_finding(en, fr):
    findings = [f for f in run(en, fr) if f.severity is not Severity.INFO]
    assert findings == [], [f.message for f in findings]


CLEAN_ARTICLE_EN = [
    "Nvidia NVDA.O said on Wednesday its fourth-quarter revenue rose 78% to $39.3 billion, beating estimates "
    "of $38.05 billion.",
    "The chipmaker expects first-quarter sales of about $43 billion, plus or minus 2%, it said at 4:20 p.m. ET.",
    "The company employs more than 36,000 people in 36 countries, up from 29,600 a year earlier.",
    "Its gross margin narrowed by 3 percentage points to 73.5%, while the Fed held rates for the third time "
    "since 2024.",
    "The board approved a $50 billion buyback, payable on April 2 to shareholders of record on March 12.",
    "Japan's Toyota 7203.T cut its annual profit forecast by 9.5% to 3.8 trillion yen ($25.6 billion).",
    "The ECB cut its deposit rate by 25 basis points to 2.5% on Thursday, its sixth cut since June.",
    "Temperatures hit 104 degrees Fahrenheit (40°C) in Phoenix.",
]
CLEAN_ARTICLE_FR = [
    "Nvidia NVDA.O a annoncé mercredi que son chiffre d'affaires du quatrième trimestre avait progressé de 78 % "
    "à 39,3 milliards de dollars, dépassant les estimations de 38,05 milliards de dollars.",
    "Le fabricant de puces prévoit des ventes d'environ 43 milliards de dollars au premier trimestre, à plus ou "
    "moins 2 %, a-t-il indiqué à 16h20 heure de New York.",
    "L'entreprise emploie plus de 36 000 personnes dans 36 pays, contre 29 600 un an plus tôt.",
    "Sa marge brute s'est réduite de 3 points de pourcentage à 73,5 %, tandis que la Fed a maintenu ses taux "
    "pour la troisième fois depuis 2024.",
    "Le conseil a approuvé un rachat d'actions de 50 milliards de dollars, payable le 2 avril aux actionnaires "
    "inscrits le 12 mars.",
    "Le japonais Toyota 7203.T a abaissé sa prévision de bénéfice annuel de 9,5 % à 3 800 milliards de yens "
    "(25,6 milliards de dollars).",
    "La BCE a abaissé son taux de dépôt de 25 points de base à 2,5 % jeudi, sa sixième baisse depuis juin.",
    "Les températures ont atteint 104 degrés Fahrenheit (40 °C) à Phoenix.",
]


def test_clean_article_full_of_figures_has_zero_findings():
    findings = run(CLEAN_ARTICLE_EN, CLEAN_ARTICLE_FR)
    assert [f for f in findings if f.severity is not Severity.INFO] == [], [f.message for f in findings]


# ---------------------------------------------------------------------------------------------------------------
# True positives: (English, French, severity, message start, expected)

WRONG = [
    ("The deal is worth $1.3 billion.", "L'accord vaut 1,3 million de dollars.",
     Severity.ERROR, "Magnitude slip", "1,3 milliard de dollars"),
    ("The deal is worth $1.3 billion.", "L'accord vaut 1,3 billion de dollars.",
     Severity.ERROR, "False friend", "1,3 milliard de dollars"),
    ("Apple is worth $3 trillion.", "Apple vaut 3 milliards de dollars.",
     Severity.ERROR, "False friend", "3\u202f000 milliards de dollars"),
    ("The deal is worth $1.3 billion.", "L'accord vaut 1,3 milliard d'euros.",
     Severity.ERROR, "Wrong currency", "1,3 milliard de dollars"),
    ("The deal is worth £2 billion.", "L'accord vaut 2 milliards de dollars.",
     Severity.ERROR, "Wrong currency", "2 milliards de livres sterling"),
    ("The plant employs 3,400 people.", "L'usine emploie 3 500 personnes.",
     Severity.ERROR, "Wrong figure", "3\u202f400"),
    ("Sales rose 4.5%.", "Les ventes ont progressé de 5,4 %.", Severity.ERROR, "Wrong figure", None),
    ("It hired 1,250 engineers.", "Elle a embauché 1,250 ingénieurs.", Severity.ERROR, "Separator", "1\u202f250"),
    ("Inflation rose 0.3 percentage point to 2.4%.", "L'inflation a augmenté de 0,3 % à 2,4 %.",
     Severity.ERROR, "Percent vs points", "0,3 point de pourcentage"),
    ("Exports rose 2%.", "Les exportations ont augmenté de 2 points.", Severity.ERROR, "Percent vs points", None),
    ("The vote is on Tuesday.", "Le vote aura lieu mercredi.", Severity.ERROR, "Wrong weekday", "mardi"),
    ("The vote is on March 6.", "Le vote aura lieu le 6 avril.", Severity.ERROR, "Wrong month", "6 mars"),
    ("Profit fell in 2024.", "Le bénéfice a baissé en 2025.", Severity.ERROR, "Wrong year", "2024"),
    ("Profit fell in the third quarter.", "Le bénéfice a baissé au quatrième trimestre.",
     Severity.ERROR, "Wrong quarter", "troisième trimestre"),
    ("Trading resumed at 10am.", "Les échanges ont repris à 11h00.", Severity.ERROR, "Wrong time", "10h00"),
    ("The company will cut up to 3,000 jobs.", "L'entreprise supprimera plus de 3 000 emplois.",
     Severity.WARNING, "Changed qualifier", "jusqu'à 3\u202f000"),
    ("The company will cut more than 3,000 jobs.", "L'entreprise supprimera 3 000 emplois.",
     Severity.WARNING, "Dropped qualifier", "plus de 3\u202f000"),
    ("Three firms bid for the contract.", "Quatre entreprises ont soumissionné.", Severity.ERROR, "Wrong figure", "3"),
    ("It raised $2 billion and hired 500 staff.", "Elle a levé 2 milliards de dollars.",
     Severity.ERROR, "Dropped figure", "500"),
    ("It raised $2 billion.", "Elle a levé 2 milliards de dollars et embauché 500 salariés.",
     Severity.ERROR, "Added figure", None),
    ("The ministers met on Friday to approve $2 billion in aid.",
     "Les ministres se sont réunis pour approuver 2 milliards de dollars d'aide.",
     Severity.WARNING, "Dropped date", "vendredi"),
    ("The fire spread over 5 miles.", "L'incendie s'est propagé sur 5 km.", Severity.ERROR, "Unit changed", None),
    ("Shares are up 12% this year.", "L'action est en baisse de 12 % cette année.", Severity.WARNING, "Direction", None),
    ("The dividend is 15 cents.", "Le dividende est de 15 euros.", Severity.ERROR, "Magnitude slip", None),
]


@pytest.mark.parametrize("en,fr,severity,start,expected", WRONG, ids=[w[3] + ": " + w[1][:30] for w in WRONG])
def test_wrong_figures_are_reported(en, fr, severity, start, expected):
    findings = [f for f in run(en, fr) if f.severity is not Severity.INFO]
    assert len(findings) == 1, [f.message for f in findings]
    f = findings[0]
    assert f.check == "figure"
    assert f.severity is severity
    assert f.message.startswith(start), f.message
    if expected is not None:
        assert f.expected == expected
    if f.fr_span is not None:
        assert f.found == f.fr_span.text


def test_finding_spans_point_into_the_articles():
    ctx = make_ctx(["Sales reached $3 billion.", "The deal is worth $1.3 billion."],
                   ["Les ventes ont atteint 3 milliards de dollars.", "L'accord vaut 1,3 million de dollars."])
    (f,) = list(check_figures(ctx))
    assert f.pair == 1
    assert ctx.fr.text[f.fr_span.start : f.fr_span.end] == f.fr_span.text == "1,3 million de dollars"
    assert ctx.en.text[f.en_span.start : f.en_span.end] == f.en_span.text == "$1.3 billion"
    assert f.message == "Magnitude slip: billion was translated as million: the amount is 1,000 times too small."


def test_translator_conversion_is_left_to_the_conversion_check():
    findings = run("OpenAI announced a $110 billion funding round.",
                   "OpenAI a annoncé une levée de fonds de 110 milliards de dollars (93,21 milliards d'euros).")
    assert findings == []


def test_dropped_conversion_is_a_warning():
    findings = run("Amazon will invest 1.2 billion euros ($1.3 billion) in France.",
                   "Amazon investira 1,2 milliard d'euros en France.")
    assert [(f.severity, f.message.split(":")[0]) for f in findings] == [(Severity.WARNING, "Dropped conversion")]


def test_figure_moved_to_the_next_sentence_is_not_dropped():
    findings = run(["Revenue rose to $5 billion. Analysts had expected less.", "It was a record."],
                   ["Le chiffre d'affaires a progressé.", "Il a atteint 5 milliards de dollars, un record."])
    assert [f for f in findings if f.severity is not Severity.INFO] == []


def test_unit_conversion_is_information():
    findings = run("The storm moved 100 miles inland.", "La tempête a progressé de 160 km dans les terres.")
    assert [(f.severity, f.message.split(":")[0]) for f in findings] == [(Severity.INFO, "Unit conversion")]


def test_check_skips_when_there_is_no_english():
    ctx = make_ctx(["x"], ["Le déficit atteint 3 milliards d'euros."])
    ctx.en = None
    assert list(check_figures(ctx)) == []


def test_compare_figures_api():
    en = extract_figures("Sales rose 4.5% to $3.2 billion.", "en")
    fr = extract_figures("Les ventes ont augmenté de 4,5 % à 3,2 milliards de dollars.", "fr")
    comps = compare_figures(en, fr)
    assert [(c.subtype, c.severity) for c in comps] == [("same", None), ("same", None)]
