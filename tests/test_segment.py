"""Sentence segmentation of French and English wire copy: splits, non-splits, offsets, blocks."""

from __future__ import annotations

import random

import pytest

from mtcheck.records import Article, Block, Sentence, Ticker
from mtcheck.segment import segment, split_spans

NBSP = "\u00a0"
NNBSP = "\u202f"


def _split(text: str, lang: str) -> list[str]:
    """The sentences of ``text`` as strings, checking the span invariants on the way."""
    spans = split_spans(text, lang)
    _check_invariants(text, spans)
    return [text[a:b] for a, b in spans]


def _check_invariants(text: str, spans: list[tuple[int, int]]) -> None:
    """Spans are ordered, trimmed, non-empty and together hold every non-space character once."""
    last = 0
    covered = [False] * len(text)
    for a, b in spans:
        assert last <= a < b <= len(text), (a, b, spans)
        assert not text[a].isspace() and not text[b - 1].isspace(), text[a:b]
        for i in range(a, b):
            covered[i] = True
        last = b
    lost = [c for c, cov in zip(text, covered) if not cov and not c.isspace()]
    assert not lost, lost


# --- French -----------------------------------------------------------------------------------

FRENCH = [
    pytest.param(
        "M. Powell a déclaré mardi que la Fed resterait vigilante. Les rendements ont reculé.",
        ["M. Powell a déclaré mardi que la Fed resterait vigilante.", "Les rendements ont reculé."],
        id="fr-title-M",
    ),
    pytest.param(
        "MM. Powell et Bailey se sont entretenus jeudi. Mme Lagarde n'était pas présente.",
        ["MM. Powell et Bailey se sont entretenus jeudi.", "Mme Lagarde n'était pas présente."],
        id="fr-title-MM-Mme",
    ),
    pytest.param(
        "Le ministre a reçu M. Le Maire et Mlle Dupont à Bercy.",
        ["Le ministre a reçu M. Le Maire et Mlle Dupont à Bercy."],
        id="fr-M-before-starter-word",
    ),
    pytest.param(
        "Le PIB a progressé de 1,3 % au T3. La BCE maintient pourtant ses taux directeurs.",
        ["Le PIB a progressé de 1,3 % au T3.", "La BCE maintient pourtant ses taux directeurs."],
        id="fr-decimal-comma",
    ),
    pytest.param(
        f"Le groupe va supprimer 3{NBSP}000 postes, soit 2,5{NNBSP}% de ses effectifs. Les syndicats protestent.",
        [f"Le groupe va supprimer 3{NBSP}000 postes, soit 2,5{NNBSP}% de ses effectifs.", "Les syndicats protestent."],
        id="fr-thousands-nbsp",
    ),
    pytest.param(
        "Le chiffre d'affaires atteint 4.512 millions d'euros selon Dr. Martin. Il dépasse le consensus.",
        ["Le chiffre d'affaires atteint 4.512 millions d'euros selon Dr. Martin.", "Il dépasse le consensus."],
        id="fr-dotted-thousands-Dr",
    ),
    pytest.param(
        "Les résultats seront publiés le 3 janv. à Paris. Le titre a bondi de 4 %.",
        ["Les résultats seront publiés le 3 janv. à Paris.", "Le titre a bondi de 4 %."],
        id="fr-month-janv",
    ),
    pytest.param(
        "L'assemblée s'est tenue le 12 déc. Les actionnaires ont approuvé le dividende.",
        ["L'assemblée s'est tenue le 12 déc.", "Les actionnaires ont approuvé le dividende."],
        id="fr-month-dec-at-end",
    ),
    pytest.param(
        "Les ventes de févr. et d'avr. ont déçu, a indiqué la Cie. Le titre a cédé 2 %.",
        ["Les ventes de févr. et d'avr. ont déçu, a indiqué la Cie.", "Le titre a cédé 2 %."],
        id="fr-months-and-Cie",
    ),
    pytest.param(
        "Vivendi S.A. a annoncé lundi la cession de sa filiale. Vivendi S.A. Le groupe confirme.",
        ["Vivendi S.A. a annoncé lundi la cession de sa filiale.", "Vivendi S.A.", "Le groupe confirme."],
        id="fr-SA",
    ),
    pytest.param(
        "La ville a été fondée vers 52 av. J.-C. Les Romains l'ont ensuite fortifiée.",
        ["La ville a été fondée vers 52 av. J.-C.", "Les Romains l'ont ensuite fortifiée."],
        id="fr-av-JC",
    ),
    pytest.param(
        "Le rapport (voir p. 12) détaille env. 300 mesures, cf. annexe. Il sera publié lundi.",
        ["Le rapport (voir p. 12) détaille env. 300 mesures, cf. annexe.", "Il sera publié lundi."],
        id="fr-p-env-cf",
    ),
    pytest.param(
        f"« Ce serait l'un des plus gros rachats de l'année.{NBSP}» Il a ajouté que tout était bouclé.",
        [f"« Ce serait l'un des plus gros rachats de l'année.{NBSP}»", "Il a ajouté que tout était bouclé."],
        id="fr-guillemets-end-inside",
    ),
    pytest.param(
        f"«{NBSP}C'est énorme. Nous sommes prêts{NBSP}», a-t-il déclaré. Le titre a grimpé.",
        [f"«{NBSP}C'est énorme. Nous sommes prêts{NBSP}», a-t-il déclaré.", "Le titre a grimpé."],
        id="fr-quote-then-attribution",
    ),
    pytest.param(
        f"«{NBSP}Nous n'avons pas le choix. Il faut agir{NBSP}» a déclaré la ministre mardi.",
        [f"«{NBSP}Nous n'avons pas le choix. Il faut agir{NBSP}» a déclaré la ministre mardi."],
        id="fr-quote-then-attribution-no-comma",
    ),
    pytest.param(
        f"«{NBSP}C'est une erreur. Nous ferons appel.{NBSP}» La société conteste la décision.",
        [f"«{NBSP}C'est une erreur.", f"Nous ferons appel.{NBSP}»", "La société conteste la décision."],
        id="fr-quote-two-sentences-no-attribution",
    ),
    pytest.param(
        f"«{NBSP}Jamais{NBSP}!{NBSP}», a lancé le syndicaliste devant l'usine.",
        [f"«{NBSP}Jamais{NBSP}!{NBSP}», a lancé le syndicaliste devant l'usine."],
        id="fr-exclamation-inside-quote-then-comma",
    ),
    pytest.param(
        f"La Fed va-t-elle baisser ses taux{NBSP}? Les marchés en doutent désormais.",
        [f"La Fed va-t-elle baisser ses taux{NBSP}?", "Les marchés en doutent désormais."],
        id="fr-question-nbsp",
    ),
    pytest.param(
        "Une récession ? Pas pour l'instant, estime l'économiste.",
        ["Une récession ?", "Pas pour l'instant, estime l'économiste."],
        id="fr-question-space",
    ),
    pytest.param(
        "Pourquoi maintenant ? a demandé un analyste lors de la conférence.",
        ["Pourquoi maintenant ? a demandé un analyste lors de la conférence."],
        id="fr-question-then-lowercase",
    ),
    pytest.param(
        "Le titre a chuté… puis s'est repris. Les investisseurs restent prudents…",
        ["Le titre a chuté… puis s'est repris.", "Les investisseurs restent prudents…"],
        id="fr-ellipsis-lowercase",
    ),
    pytest.param(
        "Les ventes ont reculé... Le groupe a néanmoins relevé sa prévision.",
        ["Les ventes ont reculé...", "Le groupe a néanmoins relevé sa prévision."],
        id="fr-ellipsis-uppercase",
    ),
    pytest.param(
        f"«{NBSP}Nous resterons (...) Attentifs aux données{NBSP}», a dit le gouverneur.",
        [f"«{NBSP}Nous resterons (...) Attentifs aux données{NBSP}», a dit le gouverneur."],
        id="fr-elision-in-brackets",
    ),
    pytest.param(
        "PARIS, 27 févr. (Reuters) - L'action LVMH.PA a gagné 1,8 % à 10h30.",
        ["PARIS, 27 févr. (Reuters) - L'action LVMH.PA a gagné 1,8 % à 10h30."],
        id="fr-dateline",
    ),
    pytest.param(
        "Amazon.com Inc. AMZN.O a annoncé vendredi investir 1,3 milliard de dollars en France.",
        ["Amazon.com Inc. AMZN.O a annoncé vendredi investir 1,3 milliard de dollars en France."],
        id="fr-company-and-ticker",
    ),
    pytest.param(
        "L'opération a été annoncée vendredi. L'action a bondi de 7 % à l'ouverture.",
        ["L'opération a été annoncée vendredi.", "L'action a bondi de 7 % à l'ouverture."],
        id="fr-elided-article-start",
    ),
    pytest.param(
        "Le contrat a été signé aux U.S. La filiale sera cédée d'ici l'été.",
        ["Le contrat a été signé aux U.S.", "La filiale sera cédée d'ici l'été."],
        id="fr-US-before-starter",
    ),
    pytest.param(
        "Le groupe emploie 12 000 personnes (dont 3 000 en France.) Il vise la rentabilité.",
        ["Le groupe emploie 12 000 personnes (dont 3 000 en France.)", "Il vise la rentabilité."],
        id="fr-period-in-parenthesis",
    ),
    pytest.param(
        "La hausse atteint 2,4 % en 2023. 2024 s'annonce plus difficile pour le secteur.",
        ["La hausse atteint 2,4 % en 2023.", "2024 s'annonce plus difficile pour le secteur."],
        id="fr-sentence-starting-with-digit",
    ),
]


@pytest.mark.parametrize(("text", "expected"), FRENCH)
def test_split_french(text: str, expected: list[str]) -> None:
    assert _split(text, "fr") == expected


# --- English ----------------------------------------------------------------------------------

ENGLISH = [
    pytest.param(
        "Amazon.com Inc. AMZN.O said on Friday it would invest $1.3 billion in France. The plan adds 2,000 jobs.",
        ["Amazon.com Inc. AMZN.O said on Friday it would invest $1.3 billion in France.", "The plan adds 2,000 jobs."],
        id="en-company-ticker-decimal",
    ),
    pytest.param(
        "Shares rose 3.5% to $207.92 at 10:30 a.m. ET. Volume was twice the daily average.",
        ["Shares rose 3.5% to $207.92 at 10:30 a.m. ET.", "Volume was twice the daily average."],
        id="en-am-timezone",
    ),
    pytest.param(
        "Trading opened at 9 a.m. The index then fell 0.5% by 10.30 a.m. in New York.",
        ["Trading opened at 9 a.m.", "The index then fell 0.5% by 10.30 a.m. in New York."],
        id="en-am-end-of-sentence",
    ),
    pytest.param(
        "The bank sold the unit to the U.S. The deal closed in May.",
        ["The bank sold the unit to the U.S.", "The deal closed in May."],
        id="en-US-sentence-end",
    ),
    pytest.param(
        "The talks involved U.S. Treasury officials and U.K. regulators. U.N. envoys were absent.",
        ["The talks involved U.S. Treasury officials and U.K. regulators.", "U.N. envoys were absent."],
        id="en-US-proper-noun",
    ),
    pytest.param(
        "Exports to the U.S. 10-year bond market slowed, E.U. data showed.",
        ["Exports to the U.S. 10-year bond market slowed, E.U. data showed."],
        id="en-US-before-digit",
    ),
    pytest.param(
        "Fed Chair Jerome H. Powell said on Tuesday rates would stay high. J. Powell declined to comment further.",
        ["Fed Chair Jerome H. Powell said on Tuesday rates would stay high.", "J. Powell declined to comment further."],
        id="en-initials",
    ),
    pytest.param(
        "Mr. Smith and Dr. Jones met Gen. Lee at St. Louis Fed headquarters.",
        ["Mr. Smith and Dr. Jones met Gen. Lee at St. Louis Fed headquarters."],
        id="en-titles-and-St",
    ),
    pytest.param(
        "The office is on Wall St. The lease runs until 2030.",
        ["The office is on Wall St.", "The lease runs until 2030."],
        id="en-St-street-end",
    ),
    pytest.param(
        "Acme Corp. (ACME.N) and Widget Co. Ltd. said they would merge. Microsoft Corp. It was not involved.",
        ["Acme Corp. (ACME.N) and Widget Co. Ltd. said they would merge.", "Microsoft Corp.", "It was not involved."],
        id="en-corp-co-ltd",
    ),
    pytest.param(
        "Martin Smith Jr. will take over in Sept. He replaces John Doe Sr. who retires.",
        ["Martin Smith Jr. will take over in Sept.", "He replaces John Doe Sr. who retires."],
        id="en-jr-sr-month-end",
    ),
    pytest.param(
        "The deal was announced on Jan. 5 and closed on Feb. 28, according to No. 2 lender Chase.",
        ["The deal was announced on Jan. 5 and closed on Feb. 28, according to No. 2 lender Chase."],
        id="en-months-and-No",
    ),
    pytest.param(
        "Banks, insurers, asset managers, etc. all reported gains, e.g. JPMorgan JPM.N and Toyota 7203.T.",
        ["Banks, insurers, asset managers, etc. all reported gains, e.g. JPMorgan JPM.N and Toyota 7203.T."],
        id="en-etc-eg-tickers",
    ),
    pytest.param(
        "It sells chips, servers, software, etc. The cloud unit grew fastest.",
        ["It sells chips, servers, software, etc.", "The cloud unit grew fastest."],
        id="en-etc-at-end",
    ),
    pytest.param(
        "The case, Acme vs. Widget, i.e. the patent fight, went to court. Judges ruled quickly.",
        ["The case, Acme vs. Widget, i.e. the patent fight, went to court.", "Judges ruled quickly."],
        id="en-vs-ie",
    ),
    pytest.param(
        "\"We are pleased with the result,\" he said. Analysts agreed.",
        ["\"We are pleased with the result,\" he said.", "Analysts agreed."],
        id="en-quote-comma-attribution",
    ),
    pytest.param(
        "“Rates will stay high. We are patient,” Powell told reporters. Bonds rallied.",
        ["“Rates will stay high. We are patient,” Powell told reporters.", "Bonds rallied."],
        id="en-multi-sentence-quote-attribution",
    ),
    pytest.param(
        "“Is this the peak?” asked one trader. “It is.” The dollar slipped.",
        ["“Is this the peak?” asked one trader.", "“It is.”", "The dollar slipped."],
        id="en-curly-quotes",
    ),
    pytest.param(
        "‘We’re not done yet,’ the CEO said. The company’s shares fell.",
        ["‘We’re not done yet,’ the CEO said.", "The company’s shares fell."],
        id="en-single-curly-quotes",
    ),
    pytest.param(
        "Will the Fed cut? Not yet! Really?! Yes.",
        ["Will the Fed cut?", "Not yet!", "Really?!", "Yes."],
        id="en-question-exclamation",
    ),
    pytest.param(
        "Yahoo! Inc. shares jumped after the report.",
        ["Yahoo! Inc. shares jumped after the report."],
        id="en-yahoo-bang",
    ),
    pytest.param(
        "Sales were flat... and then they rose. Margins fell... Costs climbed.",
        ["Sales were flat... and then they rose.", "Margins fell...", "Costs climbed."],
        id="en-ellipsis",
    ),
    pytest.param(
        "For details see bit.ly/rtrsauto or email press@acme.com. Version 2.1.3 ships at 7.17 p.m.",
        ["For details see bit.ly/rtrsauto or email press@acme.com.", "Version 2.1.3 ships at 7.17 p.m."],
        id="en-url-email-version",
    ),
    pytest.param(
        "(Reporting by Jane Doe; Editing by Tom Roe.) The story was refiled to fix a typo.",
        ["(Reporting by Jane Doe; Editing by Tom Roe.)", "The story was refiled to fix a typo."],
        id="en-period-in-parenthesis",
    ),
    pytest.param(
        "Apple unveiled a cheaper model. iPhone sales rose 6% in the quarter.",
        ["Apple unveiled a cheaper model.", "iPhone sales rose 6% in the quarter."],
        id="en-camel-case-start",
    ),
    pytest.param(
        "The dollar gained 0.4%. 2024 has been its best year since 2015.",
        ["The dollar gained 0.4%.", "2024 has been its best year since 2015."],
        id="en-digit-start",
    ),
    pytest.param(
        "She earned a Ph.D. in economics. She joined the Fed in 2012.",
        ["She earned a Ph.D. in economics.", "She joined the Fed in 2012."],
        id="en-phd",
    ),
    pytest.param(
        "The startup, based in Palo Alto, Calif., was founded by Sens. staffers. It moved to Austin, Tex. The "
        "founders stayed in Calif. Venture funds backed it.",
        [
            "The startup, based in Palo Alto, Calif., was founded by Sens. staffers.",
            "It moved to Austin, Tex.",
            "The founders stayed in Calif. Venture funds backed it.",
        ],
        id="en-state-abbreviations",  # a capital that opens no sentence keeps "Calif." inside
    ),
    pytest.param(
        "Profit beat forecasts. \"It was a strong quarter,\" the CFO said.",
        ["Profit beat forecasts.", "\"It was a strong quarter,\" the CFO said."],
        id="en-split-before-opening-quote",
    ),
]


@pytest.mark.parametrize(("text", "expected"), ENGLISH)
def test_split_english(text: str, expected: list[str]) -> None:
    assert _split(text, "en") == expected


# --- line breaks inside a block ---------------------------------------------------------------

LINES = [
    pytest.param(
        "Amazon to invest $1.3 bln in France\nAmazon.com Inc said on Friday it would invest.",
        "en",
        ["Amazon to invest $1.3 bln in France", "Amazon.com Inc said on Friday it would invest."],
        id="unpunctuated-line-then-capital",
    ),
    pytest.param(
        "The chairman met with\nJerome Powell on Tuesday.",
        "en",
        ["The chairman met with\nJerome Powell on Tuesday."],
        id="line-ends-with-function-word",
    ),
    pytest.param(
        "Le PIB a progressé de 1,3 %,\nselon l'Insee.",
        "fr",
        ["Le PIB a progressé de 1,3 %,\nselon l'Insee."],
        id="line-ends-with-comma",
    ),
    pytest.param(
        "Points clés :\n- hausse du PIB\n- baisse du chômage",
        "fr",
        ["Points clés :", "- hausse du PIB", "- baisse du chômage"],
        id="bullets-after-colon",
    ),
    pytest.param(
        "Les chiffres à retenir\n1. La croissance ralentit.\n2. L'inflation recule.",
        "fr",
        ["Les chiffres à retenir", "1. La croissance ralentit.", "2. L'inflation recule."],
        id="numbered-list",
    ),
    pytest.param(
        "The central bank kept its benchmark rate unchanged on Wednesday\n"
        "and signalled that Governor Andrew Bailey and his colleagues\n"
        "Were in no hurry to cut borrowing costs, economists said.",
        "en",
        [
            "The central bank kept its benchmark rate unchanged on Wednesday\n"
            "and signalled that Governor Andrew Bailey and his colleagues\n"
            "Were in no hurry to cut borrowing costs, economists said."
        ],
        id="hard-wrapped-paragraph",
    ),
    pytest.param(
        "Premier paragraphe sans point\n\nsecond paragraphe en minuscules.",
        "fr",
        ["Premier paragraphe sans point", "second paragraphe en minuscules."],
        id="blank-line-is-boundary",
    ),
    pytest.param(
        "Profit rose 5%.\nThe outlook was raised.\r\nShares gained.",
        "en",
        ["Profit rose 5%.", "The outlook was raised.", "Shares gained."],
        id="punctuated-lines-crlf",
    ),
]


@pytest.mark.parametrize(("text", "lang", "expected"), LINES)
def test_split_line_breaks(text: str, lang: str, expected: list[str]) -> None:
    assert _split(text, lang) == expected


# --- span contract ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\n\n", f"{NBSP}{NNBSP}\t"],
    ids=["empty", "spaces", "newlines", "nbsp-only"],
)
def test_blank_text_has_no_spans(text: str) -> None:
    assert split_spans(text, "fr") == []


def test_spans_are_trimmed_with_offsets() -> None:
    text = f"  {NBSP}Le titre a bondi.   Il a cédé 2 % ensuite.{NNBSP}\n"
    spans = split_spans(text, "fr")
    assert spans == [(3, 20), (23, 45)]
    assert [text[a:b] for a, b in spans] == ["Le titre a bondi.", "Il a cédé 2 % ensuite."]


def test_unknown_language_still_splits() -> None:
    assert _split("Die Aktie stieg. Der Index fiel.", "de-DE") == ["Die Aktie stieg.", "Der Index fiel."]


def test_no_text_lost_on_random_input() -> None:
    rng = random.Random(1234)
    alphabet = list("aZé .,!?…«»“”\"'’()-:;\n1") + [NBSP, NNBSP, "U.S.", "Inc.", "M.", "a.m.", "AMZN.O"]
    alphabet += [" Le", " The", "\r\n", "•"]
    for _ in range(400):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        for lang in ("fr", "en"):
            _check_invariants(text, split_spans(text, lang))


# --- segment() --------------------------------------------------------------------------------


def _article(lang: str, parts: list[tuple[str, str]], sep: str = "\n\n", **kw) -> Article:
    """An article whose blocks are ``parts`` (kind, text) joined by ``sep``, with real offsets."""
    text = ""
    blocks = []
    for kind, body in parts:
        if text:
            text += sep
        blocks.append(Block(start=len(text), end=len(text) + len(body), text=body, kind=kind))
        text += body
    return Article(text=text, lang=lang, blocks=blocks, **kw)


def _assert_offsets(article: Article, sentences: list[Sentence]) -> None:
    for i, s in enumerate(sentences):
        assert s.index == i
        assert s.text == article.text[s.start : s.end]


def test_segment_offsets_blocks_and_kinds() -> None:
    art = _article(
        "en",
        [
            ("headline", "Amazon to invest $1.3 bln in France. Shares rise"),
            ("paragraph", "PARIS, Jan. 5 (Reuters) - Amazon.com Inc. said it would invest. The plan adds jobs."),
            ("bullet", "Investment spread over three years"),
            ("paragraph", "Shares rose 3.5% at 10:30 a.m. ET."),
        ],
    )
    sents = segment(art)
    _assert_offsets(art, sents)
    assert [(s.text, s.block, s.kind) for s in sents] == [
        ("Amazon to invest $1.3 bln in France. Shares rise", 0, "headline"),
        ("PARIS, Jan. 5 (Reuters) - Amazon.com Inc. said it would invest.", 1, "paragraph"),
        ("The plan adds jobs.", 1, "paragraph"),
        ("Investment spread over three years", 2, "bullet"),
        ("Shares rose 3.5% at 10:30 a.m. ET.", 3, "paragraph"),
    ]


def test_segment_blocks_never_merge() -> None:
    # Without a blank line between them the two blocks would read as one sentence.
    parts = [("paragraph", "Le groupe a publié ses comptes et"), ("paragraph", "le titre a reculé.")]
    art = _article("fr", parts, sep=" ")
    assert [s.text for s in segment(art)] == ["Le groupe a publié ses comptes et", "le titre a reculé."]


def test_segment_punctuated_headline_is_split() -> None:
    parts = [("headline", "La Fed maintient ses taux. M. Powell reste prudent."), ("paragraph", "Le dollar recule.")]
    art = _article("fr", parts)
    sents = segment(art)
    _assert_offsets(art, sents)
    assert [s.text for s in sents] == ["La Fed maintient ses taux.", "M. Powell reste prudent.", "Le dollar recule."]


def test_segment_skips_ticker_only_and_empty_sentences() -> None:
    art = _article(
        "en",
        [
            ("paragraph", "(AMZN.O)"),
            ("paragraph", "   "),
            ("paragraph", "Amazon shares rose. MSFT.O. Microsoft fell."),
            ("bullet", "•"),
            ("paragraph", "(.STOXX, NASDAQ:AMZN)"),
            ("paragraph", "Toyota 7203.T gained."),
        ],
    )
    sents = segment(art)
    _assert_offsets(art, sents)
    assert [(s.text, s.block) for s in sents] == [
        ("Amazon shares rose.", 2),
        ("Microsoft fell.", 2),
        ("Toyota 7203.T gained.", 5),
    ]


def test_segment_uses_ingest_tickers() -> None:
    art = _article("en", [("paragraph", "Nvidia rallied. NVDA. Chips led gains.")])
    start = art.text.index("NVDA")
    art.tickers = [Ticker(symbol="NVDA.O", start=start, end=start + 4, company="Nvidia")]
    assert [s.text for s in segment(art)] == ["Nvidia rallied.", "Chips led gains."]


def test_segment_offsets_point_into_article_text() -> None:
    text = "BYLINE removed\n\nLe titre a bondi. Il a cédé 2 % ensuite."
    start = text.index("Le titre")
    block = Block(start=start, end=len(text), text=text[start:], kind="paragraph")
    art = Article(text=text, lang="fr", blocks=[block])
    sents = segment(art)
    _assert_offsets(art, sents)
    assert [(s.start, s.end) for s in sents] == [(start, start + 17), (start + 18, len(text))]


def test_segment_empty_article() -> None:
    assert segment(Article(text="", lang="en", blocks=[])) == []
