"""Figure extraction and normalisation, French and English (sentences written for these tests)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mtcheck.figures import DateParts, extract_figures, render_figure

NBSP, NNBSP = "\u00a0", "\u202f"


def _one(text: str, lang: str):
    figs = extract_figures(text, lang)
    assert len(figs) == 1, [(f.kind, f.value, f.text) for f in figs]
    return figs[0]


# (lang, text, kind, value, attributes that must match)
CASES = [
    # separators
    ("fr", "Le groupe a dégagé 1,3 milliard d'euros de bénéfice.", "amount", "1.3e9", {"currency": "EUR", "ulp": Decimal("1e8")}),
    ("en", "The group made a profit of 1.3 billion euros.", "amount", "1.3e9", {"currency": "EUR"}),
    ("fr", "L'usine emploie 3 000 personnes.", "count", "3000", {}),
    ("fr", f"L'usine emploie 3{NBSP}000 personnes.", "count", "3000", {}),
    ("fr", f"L'usine emploie 3{NNBSP}000 personnes.", "count", "3000", {}),
    ("fr", "L'usine emploie 3.000 personnes.", "count", "3000", {}),
    ("en", "The plant employs 3,000 people.", "count", "3000", {}),
    ("fr", "La banque compte 3'000 clients en Suisse.", "count", "3000", {}),
    ("en", "It hired 1,250 engineers last year.", "count", "1250", {}),
    ("fr", "Le titre vaut 1,250 euro.", "amount", "1.25", {"currency": "EUR", "alt_values": (Decimal("1250"),)}),
    ("fr", "Le PIB a reculé de 1.3 % sur un an.", "percent", "1.3", {"direction": "fall"}),
    ("fr", "Le titre a cédé \u22121,29 % à Paris.", "percent", "-1.29", {"direction": "fall"}),
    ("fr", "Le titre a pris +0,87 % à Paris.", "percent", "0.87", {"direction": "rise"}),
    # magnitudes and currencies
    ("fr", "OpenAI prépare un tour de table de $110 mlds.", "amount", "110e9", {"currency": "USD"}),
    ("fr", "Le déficit atteint 3 Md$.", "amount", "3e9", {"currency": "USD"}),
    ("fr", "Hydro-Québec investira 4 G$ dans le réseau.", "amount", "4e9", {"currency": "USD"}),
    ("fr", "Le chantier coûtera 2,5 M€.", "amount", "2.5e6", {"currency": "EUR"}),
    ("fr", "Le fonds pèse 12 Mds € au total.", "amount", "12e9", {"currency": "EUR"}),
    ("fr", "Le contrat porte sur 250 mln d'euros.", "amount", "250e6", {"currency": "EUR"}),
    ("fr", "Le budget atteint 7 md d'euros.", "amount", "7e9", {"currency": "EUR"}),
    ("en", "The bank set aside £3.2bn for fines.", "amount", "3.2e9", {"currency": "GBP"}),
    ("en", "The startup raised $5m from angels.", "amount", "5e6", {"currency": "USD"}),
    ("en", "Salaries start at $50k a year.", "amount", "50e3", {"currency": "USD"}),
    ("en", "The plan is worth €45,000 million.", "amount", "45e9", {"currency": "EUR"}),
    ("en", "The bill came to seven thousand million pounds.", "amount", "7e9", {"currency": "GBP"}),
    ("fr", "La facture s'élève à sept milliards de livres sterling.", "amount", "7e9", {"currency": "GBP"}),
    ("fr", "Le marché pèse 3 billions de dollars.", "amount", "3e12", {"currency": "USD"}),
    ("en", "Apple is worth $3 trillion.", "amount", "3e12", {"currency": "USD"}),
    ("en", "The loan totals US$800 million.", "amount", "800e6", {"currency": "USD"}),
    ("fr", "Le prêt totalise 800 millions $US.", "amount", "800e6", {"currency": "USD"}),
    ("fr", "Le prêt totalise 800 millions de dollars américains.", "amount", "800e6", {"currency": "USD"}),
    ("fr", "La dette atteint 40 milliards de dollars canadiens.", "amount", "40e9", {"currency": "CAD"}),
    ("en", "The stock closed at 2,350 yen.", "amount", "2350", {"currency": "JPY"}),
    ("fr", "L'action a clôturé à 2 350 yens.", "amount", "2350", {"currency": "JPY"}),
    ("fr", "Le fonds a levé 15 milliards de yuans.", "amount", "15e9", {"currency": "CNY"}),
    ("fr", "Nestlé a versé 8 milliards de francs suisses.", "amount", "8e9", {"currency": "CHF"}),
    ("en", "Nestle paid out CHF 8 billion.", "amount", "8e9", {"currency": "CHF"}),
    ("en", "The shares rose 12p in London.", "amount", "0.12", {"currency": "GBP"}),
    ("fr", "L'action a gagné 12 pence à Londres.", "amount", "0.12", {"currency": "GBP"}),
    ("en", "A Toyota brief put the cost at ¥90 billion.", "amount", "90e9", {"currency": "JPY"}),
    # spelled out
    ("en", "Three companies bid for the contract.", "count", "3", {"spelled": True}),
    ("fr", "Vingt et un États ont signé le traité.", "count", "21", {"spelled": True}),
    ("fr", "Une douzaine de banques sont concernées.", "count", "12", {"qualifier": "about"}),
    ("en", "A dozen banks are affected.", "count", "12", {}),
    ("en", "Two-thirds of voters backed the plan.", "ratio", str(Decimal(2) / Decimal(3)), {}),
    ("fr", "Les deux tiers des électeurs ont soutenu le plan.", "ratio", str(Decimal(2) / Decimal(3)), {}),
    ("fr", "La moitié des salariés sont en grève.", "ratio", "0.5", {}),
    ("fr", "Une dizaine de personnes ont été blessées.", "count", "10", {"qualifier": "about"}),
    # percent, points, basis points, qualifiers
    ("fr", "Le chômage a baissé de 0,3 point de pourcentage.", "percentage_points", "0.3", {"direction": "fall"}),
    ("en", "Unemployment fell 0.3 percentage point.", "percentage_points", "0.3", {"direction": "fall"}),
    ("fr", "La BCE a relevé ses taux de 25 points de base.", "basis_points", "25", {"direction": "rise"}),
    ("en", "The Fed cut rates by 25 bps.", "basis_points", "25", {"direction": "fall"}),
    ("fr", "Les ventes ont progressé de 4,5 pour cent.", "percent", "4.5", {"direction": "rise"}),
    ("en", "Sales rose 4.5 per cent.", "percent", "4.5", {"direction": "rise"}),
    ("fr", "Le groupe supprimera jusqu'à 2 000 postes.", "count", "2000", {"qualifier": "up_to"}),
    ("fr", "Le groupe supprimera près de 2 000 postes.", "count", "2000", {"qualifier": "nearly"}),
    ("en", "The group will cut at least 2,000 jobs.", "count", "2000", {"qualifier": "at_least"}),
    # dates, periods, times
    ("fr", "La réunion a eu lieu le 27/02/2026.", "date", "20260227", {"date": DateParts(2026, 2, 27)}),
    ("en", "The meeting took place on 2/27/2026.", "date", "20260227", {"date": DateParts(2026, 2, 27)}),
    ("fr", "Le sommet aura lieu mardi 6 mars.", "date", "306", {"date": DateParts(None, 3, 6, 1)}),
    ("en", "The summit will be held on Tuesday, March 6.", "date", "306", {"date": DateParts(None, 3, 6, 1)}),
    ("fr", "Il a quitté son poste en juillet 2021.", "date", "20210700", {"date": DateParts(2021, 7)}),
    ("fr", "Le résultat du troisième trimestre a déçu.", "quarter", "3", {"unit": "quarter"}),
    ("fr", "Le résultat du T3 a déçu.", "quarter", "3", {"unit": "quarter"}),
    ("en", "Q3 results disappointed.", "quarter", "3", {"unit": "quarter"}),
    ("en", "Profit rose in fiscal 2025.", "year", "2025", {"flags": frozenset({"fiscal"})}),
    ("fr", "Le bénéfice a augmenté sur l'exercice 2025.", "year", "2025", {}),
    ("en", "Trading resumes at 10am.", "time", "600", {}),
    ("fr", "La cotation reprend à 10h00.", "time", "600", {}),
    ("en", "The statement came at 6.30 pm.", "time", "1110", {}),
    ("fr", "Le communiqué est tombé à 18h30.", "time", "1110", {}),
    ("en", "Brent was steady at 0815 GMT.", "time", "495", {"tz": "GMT"}),
    ("fr", "Le Brent était stable à 08h15 GMT.", "time", "495", {"tz": "GMT"}),
    # ordinals, centuries, units
    ("en", "It is the fourth largest bank.", "ordinal", "4", {}),
    ("fr", "C'est la 4e banque du pays.", "ordinal", "4", {}),
    ("fr", "C'est la quatrième banque du pays.", "ordinal", "4", {}),
    ("fr", "Le bâtiment date du XXe siècle.", "ordinal", "20", {"unit": "century"}),
    ("en", "The building dates from the 20th century.", "ordinal", "20", {"unit": "century"}),
    ("en", "The storm hit 30 miles inland.", "quantity", "30", {"unit": "mile"}),
    ("fr", "L'incendie a détruit 200 hectares.", "quantity", "200", {"unit": "ha"}),
    ("en", "Temperatures reached 104°F.", "quantity", "104", {"unit": "F"}),
]


@pytest.mark.parametrize("lang,text,kind,value,attrs", CASES, ids=[c[1][:40] for c in CASES])
def test_extract_one_figure(lang, text, kind, value, attrs):
    fig = _one(text, lang)
    assert fig.kind == kind
    assert fig.value == Decimal(value)
    for name, want in attrs.items():
        got = getattr(fig, name)
        if name == "flags":
            assert want <= got
        else:
            assert got == want, (name, got)
    assert text[fig.start : fig.end] == fig.text


NOT_FIGURES = [
    ("fr", "Les actions de Toyota 7203.T et d'Amazon AMZN.O ont monté."),
    ("en", "Shares of Tencent 0700.HK were suspended."),
    ("en", "See https://example.com/report-2026/page3 for details."),
    ("en", "The G7 and the G20 discussed COVID-19 and GPT-4."),
    ("fr", "L'Airbus A320 et le Boeing 737 MAX ont été cloués au sol."),
    ("fr", "Pour plus d'informations, appelez le +33 1 23 45 67 89."),
    ("fr", "Appelez le 01 42 12 34 56 pour réserver."),
    ("en", "Call (212) 555-0100 for the press office."),
    ("fr", "Le CAC 40 et le S&P 500 ont ouvert sans tendance."),
    ("en", "One of the bidders pulled out; the first round is over."),
    ("fr", "L'un des candidats s'est retiré du premier tour."),
    ("en", "The service is available 24/7."),
    ("fr", "La pandémie de Covid-19 a touché l'Europe."),
    ("en", "He is my other half, she said."),
]


@pytest.mark.parametrize("lang,text", NOT_FIGURES, ids=[t[:40] for _, t in NOT_FIGURES])
def test_not_figures(lang, text):
    figs = [f for f in extract_figures(text, lang) if "weak" not in f.flags]
    assert figs == [], [(f.kind, f.value, f.text) for f in figs]


def test_exclude_spans_skip_tickers():
    text = "Le titre 6758 a gagné 3 %."
    figs = extract_figures(text, "fr", exclude=[(9, 13)])
    assert [(f.kind, f.value) for f in figs] == [("percent", Decimal(3))]


def test_currency_inherited_from_previous_amount():
    text = ("Amazon investira d'abord 15 milliards de dollars, suivis de 35 milliards supplémentaires "
            "lorsque certaines conditions seront remplies.")
    figs = extract_figures(text, "fr")
    assert [(f.value, f.currency) for f in figs] == [(Decimal("15e9"), "USD"), (Decimal("35e9"), "USD")]


def test_count_after_magnitude_does_not_inherit_currency():
    figs = extract_figures("Le service a coûté 2 milliards d'euros et compte 3 millions d'abonnés.", "fr")
    assert [(f.kind, f.currency) for f in figs] == [("amount", "EUR"), ("count", None)]


def test_range_takes_the_unit_of_its_second_figure():
    figs = extract_figures("La croissance sera comprise entre 1,2 et 1,5 % en 2026.", "fr")
    assert [(f.kind, f.value) for f in figs[:2]] == [("percent", Decimal("1.2")), ("percent", Decimal("1.5"))]
    figs = extract_figures("The company expects $1-2 billion in savings.", "en")
    assert [(f.kind, f.value, f.currency) for f in figs] == [
        ("amount", Decimal("1e9"), "USD"), ("amount", Decimal("2e9"), "USD")]  # fmt: skip


def test_offsets_are_relative_to_the_text_given():
    text = "Selon l'Insee, l'inflation a atteint 2,4 % en mars."
    pct = next(f for f in extract_figures(text, "fr") if f.kind == "percent")
    assert text[pct.start : pct.end] == "2,4 %"


RENDER = [
    ("en", "The deal is worth $1.3 billion.", "1,3 milliard de dollars"),
    ("en", "The deal is worth $2.75 billion.", "2,75 milliards de dollars"),
    ("en", "The bank holds €45,000 million.", "45 milliards d'euros"),
    ("en", "Inflation was 4.5%.", f"4,5{NBSP}%"),  # CLDR French percent pattern
    ("en", "The plant employs 3,000 people.", f"3{NNBSP}000"),
    ("en", "Rates rose 0.25 percentage point.", "0,25 point de pourcentage"),
    ("en", "Rates rose 25 basis points.", "25 points de base"),
    ("en", "The vote is on Tuesday, March 6.", "mardi 6 mars"),
    ("en", "The vote is on March 1.", "1er mars"),
    ("en", "Trading resumes at 0815 GMT.", "08h15 GMT"),
    ("en", "The group will cut up to 2,000 jobs.", f"jusqu'à 2{NNBSP}000"),
    ("en", "It was founded in the 20th century.", "XXe siècle"),
    ("en", "Profits fell in the third quarter.", "troisième trimestre"),
]


@pytest.mark.parametrize("lang,text,want", RENDER, ids=[r[2] for r in RENDER])
def test_render_french(lang, text, want):
    assert render_figure(_one(text, lang)) == want


@pytest.mark.parametrize("text, value", [
    ("L'ÖVP perd près de neuf pour cent des voix.", "9"),
    ("Le parti perd près de neuf % des voix.", "9"),
    ("Une maison à neuf chambres.", "9"),
    ("Plus de neuf millions d'euros ont été levés.", "9000000"),
])  # fmt: skip
def test_neuf_after_de_or_a_counts_when_something_follows(text, value):
    assert [str(f.value) for f in extract_figures(text, "fr")] == [value]


@pytest.mark.parametrize("text", [
    "Rien de neuf dans ce dossier.", "Quoi de neuf ?", "Le bâtiment a été remis à neuf, puis vendu.",
    "Il y a du neuf depuis la fusion.", "Un immeuble tout neuf sera livré.",
])  # fmt: skip
def test_neuf_meaning_new_is_no_figure(text):
    assert extract_figures(text, "fr") == []


def test_plus_sign_between_number_and_magnitude_means_more_than():
    (en,) = extract_figures("An expert gave a $300+ billion impact on the supply chain.", "en")
    assert (str(en.value), en.currency, en.qualifier) == ("3.00E+11", "USD", "more_than")
    (fr,) = extract_figures("Un impact de plus de 300 milliards de dollars sur la chaîne logistique.", "fr")
    assert fr.value == en.value and fr.qualifier == en.qualifier
    # a sign before a number is no qualifier
    assert [f.qualifier for f in extract_figures("after a +5 lead", "en")] == [None]


def test_military_time_after_a_preposition_of_time():
    (en,) = extract_figures("The hostages arrived around 1530 hours aboard a special plane.", "en")
    (fr,) = extract_figures("Les otages sont arrivés vers 15 heures 30 à bord d'un avion spécial.", "fr")
    assert (en.kind, en.value) == (fr.kind, fr.value) == ("time", 930)
    # a number of hours stays a quantity
    assert [f.kind for f in extract_figures("He did 1500 hours of community service.", "en")] == ["quantity"]
    assert [f.kind for f in extract_figures("After 1500 hours of work, it was done.", "en")] == ["quantity"]


def test_day_month_before_a_clock_time():
    en = extract_figures("As at 15 March 8:00 a.m., 15 other countries had reported cases.", "en")
    assert [(f.kind, f.text) for f in en][:2] == [("date", "15 March"), ("time", "8:00 a.m.")]
    assert [f.text for f in extract_figures("On March 8 at 9:00 the market opened.", "en")][:1] == ["March 8"]
