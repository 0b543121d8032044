"""Sentence segmentation for French and English wire copy, with offsets into the article text.

Rule-based on purpose: the off-the-shelf splitters tried (pysbd 0.3.4, sentencex 1.0) cut
``Amazon.com Inc. | AMZN.O``, ``janv. | à Paris`` or ``a.m. | ET`` and keep
``« ... » Il a ajouté`` together, and wire copy needs both of those right for alignment.

A boundary is proposed after a run of terminal punctuation (``.``, ``!``, ``?``, ``…``) and the
quotes or brackets closing it, and accepted by looking at the token before and the word after;
line breaks inside a block are boundaries too when the line before cannot be continued.
"""

from __future__ import annotations

import re

from .records import Article, Sentence, Ticker

__all__ = ["split_spans", "segment"]

# --- word lists -------------------------------------------------------------------------------

# Abbreviations that introduce what follows (a name, a number, a page): never a sentence end.
_PREFIX = {
    # French titles and usual abbreviations
    "M.", "MM.", "Mme.", "Mmes.", "Mlle.", "Mlles.", "Me.", "Mgr.", "Dr.", "Pr.", "Gén.", "Cdt.",
    "av.", "apr.", "env.", "cf.", "ex.", "art.", "fig.", "vol.", "chap.", "tél.", "bd.", "boul.",
    "c.-à-d.", "p.", "pp.", "v.", "vs.",
    # English titles and usual abbreviations
    "Mr.", "Mrs.", "Ms.", "Messrs.", "Prof.", "Gen.", "Lt.", "Col.", "Maj.", "Capt.", "Cmdr.",
    "Adm.", "Sgt.", "Cpl.", "Sen.", "Rep.", "Gov.", "Rev.", "Hon.", "Pres.", "Supt.", "Atty.",
    "Amb.", "Insp.", "Det.", "Brig.", "Pfc.", "Pvt.", "Spc.", "Sens.", "Reps.", "Gens.", "Govs.",
    "Drs.", "Msgr.", "e.g.", "i.e.", "viz.", "Vol.", "Art.", "Fig.",
}

# Abbreviations that may also end a sentence ("sold to the U.S. The deal..."): a split needs
# a word after them that usually starts a sentence.
_AMBIGUOUS = {
    "Inc.", "Corp.", "Co.", "Ltd.", "Ltée.", "Cie.", "Bros.", "Plc.", "Pty.", "Pte.", "Bhd.",
    "Assn.", "Intl.", "Jr.", "Sr.", "St.", "Ste.", "Mt.", "Ft.", "Ave.", "Blvd.", "Rd.",
    "No.", "Nos.", "al.", "a.m.", "p.m.", "approx.", "Dept.", "Univ.", "min.", "max.", "hab.",
    "éd.", "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.",
    "Nov.", "Dec.", "janv.", "févr.", "fév.", "avr.", "juil.", "sept.", "oct.", "nov.", "déc.",
    "est.",
    # US states in wire datelines and addresses ("Palo Alto, Calif.")
    "Ala.", "Ariz.", "Ark.", "Calif.", "Colo.", "Conn.", "Del.", "Fla.", "Ga.", "Ill.", "Ind.",
    "Kan.", "Ky.", "La.", "Md.", "Mass.", "Mich.", "Minn.", "Miss.", "Mo.", "Mont.", "Neb.",
    "Nev.", "Okla.", "Ore.", "Pa.", "Tenn.", "Tex.", "Vt.", "Va.", "Wash.", "Wis.", "Wyo.",
}

# A sentence may start with a capital, so "Env. 3 000 personnes" must still read as "env.".
for _set in (_PREFIX, _AMBIGUOUS):
    _set.update([w[0].upper() + w[1:] for w in list(_set) if w[0].islower() and len(w) > 2])
del _set

_STARTERS_EN = frozenset(
    """
    The A An It Its It' He She They We I You His Her Their Our My This That These Those There
    Here But And Or So Yet Nor However Meanwhile Still Also Instead Then Thus Therefore Moreover
    Furthermore Nevertheless In On At After Before As If When While Since Although Though Despite
    During Under Over With Without For From By To Of Last Earlier Later Separately Some Many
    Most Both Each Every All Such Other Another One No Neither Either Shares Stocks Analysts
    Investors Officials Prices Sales Traders Markets Revenue Earnings
    """.split()
)
_STARTERS_FR = frozenset(
    """
    Le La Les L' Un Une Des Du De D' Il Elle Ils Elles On Nous Vous Je J' Ce Cet Cette Ces C'
    Ceci Cela Ça Celui Celle Son Sa Ses Leur Leurs Mon Ma Mes Notre Nos Votre Vos Mais Et Ou Or
    Donc Car Ni Puis Alors Ainsi Enfin Cependant Toutefois Pourtant Néanmoins Par Pour Selon En
    Dans Au Aux Sur Sous Avec Sans Depuis Après Avant Lors Pendant Malgré Si Quant Outre Parmi
    Plusieurs Certains Certaines Aucun Aucune Tous Toutes Chaque Qu' Quand Lorsque Comme S' N'
    À A Y Aujourd' Dès Face
    """.split()
)
_STARTERS = {"en": _STARTERS_EN, "fr": _STARTERS_FR}
_STARTERS_ANY = _STARTERS_EN | _STARTERS_FR

# A line ending with one of these is cut mid-sentence (hard-wrapped), not a headline.
_FUNCTION_WORDS = frozenset(
    """
    a an the and or of to in on at for with by from as that which who whose than but nor into
    à au aux de du des d' la le les l' un une et ou en par pour sur dans avec sans que qu' qui
    dont ni mais son sa ses leur leurs ce cet cette ces
    """.split()
)

# "Yahoo! Inc." is a name, not an exclamation.
_BANG_NAMES = frozenset({"Yahoo", "Jeopardy"})

# --- character classes ------------------------------------------------------------------------

_TERMINATORS = ".!?…"
_CLOSERS = "\"”’'»)]}"
_OPEN_QUOTES = "«“\"‘'"
_OPENERS = _OPEN_QUOTES + "([{—–-•*▪●◦·"
_INLINE_SPACES = " \t\u00a0\u202f\u2009\u2007\u200a"
_LINE_BREAKS = "\n\r\u2028\u2029\x85\x0b\x0c"
_CONTINUE_PUNCT = ",;:-–—/&+(«“‘"
_BULLETS = "-–—•*▪●◦·"

_TERM_RUN = re.compile(r"[.!?…]+")
_LINE_BREAK = re.compile(r"[\n\r\u2028\u2029\x85\x0b\x0c]")
_WORD = re.compile(r"[^\W\d_]+['’]?")
_DOTTED = re.compile(r"(?:[^\W\d_]{1,2}\.-?){2,}")  # U.S. / S.A. / J.-C. / Ph.D. / a.m.
_INITIAL = re.compile(r"[A-Z]\.")  # J. Powell, Jerome H. Powell
_LIST_MARKER = re.compile(r"(?:\d{1,3}|[A-Za-z]|[IVX]{1,4})\.")
_LAST_WORD = re.compile(r"[^\W\d_]+['’]?$")
# RIC codes (AMZN.O, 7203.T, BRKa.N, LVMH.PA), index RICs (.STOXX), cashtags ($AMZN) and
# exchange:symbol pairs.
_TICKER = re.compile(
    r"(?:[A-Z0-9][A-Za-z0-9_]{1,7}|\d+)\.[A-Z]{1,3}\b|(?<!\w)\.[A-Z][A-Z0-9]{1,15}\b"
    r"|\$[A-Z]{1,5}\b|\b[A-Z]{2,8}:[A-Z0-9.]{1,10}\b"
)

_PREFIX_CLS, _AMBIGUOUS_CLS, _WORD_CLS = 0, 1, 2


# --- helpers ----------------------------------------------------------------------------------


def _norm_lang(lang: str) -> str:
    """The bare language code: ``"fr-FR"`` → ``"fr"``."""
    return (lang or "").lower().replace("_", "-").split("-")[0]


def _abbrev_class(token: str) -> int:
    """How a period-ending token weighs on a boundary after it."""
    if token in _PREFIX:
        return _PREFIX_CLS
    if token in _AMBIGUOUS or _INITIAL.fullmatch(token) or _DOTTED.fullmatch(token):
        return _AMBIGUOUS_CLS
    return _WORD_CLS


def _token_before(text: str, dot: int) -> tuple[str, int]:
    """The whitespace-delimited token ending with the period at ``dot``, and where it starts."""
    i = dot
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    while i < dot and text[i] in _OPENERS:
        i += 1
    return text[i : dot + 1], i


def _close_end(text: str, j: int) -> int:
    """End of the closing quotes/brackets (and any extra terminators) after a terminator run."""
    n = len(text)
    while j < n:
        c = text[j]
        if c in _CLOSERS or c in _TERMINATORS:
            j += 1
            continue
        if c in _INLINE_SPACES:
            # French typography puts a (no-break) space before the closing guillemet.
            k = j
            while k < n and text[k] in _INLINE_SPACES:
                k += 1
            if k < n and text[k] == "»":
                j = k + 1
                continue
        break
    return j


def _next_start(text: str, k: int) -> tuple[str, str, bool]:
    """Classify what follows ``k``: ("upper"|"lower"|"camel"|"digit"|"other"|"none", word, quoted)."""
    n = len(text)
    quoted = False
    while k < n and (text[k] in _OPENERS or text[k].isspace()):
        if text[k] in _OPEN_QUOTES:
            quoted = True
        k += 1
    if k >= n:
        return "none", "", quoted
    c = text[k]
    if c.isdigit() or (c in "$€£¥" and k + 1 < n and text[k + 1].isdigit()):
        return "digit", "", quoted
    if not c.isalpha():
        return "other", "", quoted
    m = _WORD.match(text, k)
    word = m.group().replace("’", "'") if m else c
    if c.isupper():
        return "upper", word, quoted
    # iPhone, eBay: a lowercase letter that still opens a sentence.
    if len(word) > 1 and word[1].isupper():
        return "camel", word, quoted
    return "lower", word, quoted


def _is_starter(word: str, starters: frozenset[str]) -> bool:
    """Whether ``word`` (as ``_next_start`` gives it) usually opens a sentence."""
    return word in starters or word.rstrip("'") in starters


def _quote_regions(text: str) -> list[tuple[int, int]]:
    """Closed quotations followed by an attribution (``», a-t-il dit``): no split inside them."""
    if not any(q in text for q in "«“\"‘"):
        return []
    pairs: list[tuple[int, int]] = []
    guil: list[int] = []
    curly: list[int] = []
    single: list[int] = []
    straight: int | None = None
    n = len(text)
    for m in re.finditer(r"[«»“”\"‘’]", text):
        i = m.start()
        c = text[i]
        if c == "«":
            guil.append(i)
        elif c == "»":
            if guil:
                pairs.append((guil.pop(), i))
        elif c == "“":
            curly.append(i)
        elif c == "”":
            if curly:
                pairs.append((curly.pop(), i))
        elif c == "‘":
            single.append(i)
        elif c == "’":
            # Otherwise an apostrophe: l’accord, We’re.
            if single and not (i + 1 < n and text[i + 1].isalpha()):
                pairs.append((single.pop(), i))
        else:  # straight double quote: opening when it follows a space and precedes a word
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < n else " "
            if straight is None:
                if (before.isspace() or before in "([{—–-/") and not after.isspace():
                    straight = i
            else:
                pairs.append((straight, i))
                straight = None
    return [(o, c) for o, c in pairs if _attribution_follows(text, o, c)]


def _attribution_follows(text: str, open_: int, close: int) -> bool:
    """Whether the quotation ``text[open_:close+1]`` goes on with ``, said X`` / ``a-t-il dit``."""
    i = close - 1
    while i > open_ and text[i].isspace():
        i -= 1
    if text[i] == ",":
        return True
    n = len(text)
    j = close + 1
    while j < n and text[j].isspace():
        j += 1
    if j < n and text[j] in "—–-":
        j += 1
        while j < n and text[j].isspace():
            j += 1
    if j >= n:
        return False
    return text[j] == "," or text[j].islower()


def _looks_wrapped(text: str) -> bool:
    """Whether a block is hard-wrapped prose (long lines cut mid-sentence), so newlines are spaces."""
    lines = [ln.strip() for ln in _LINE_BREAK.split(text)]
    lines = [ln for ln in lines if ln][:-1]
    if len(lines) < 2:
        return False
    cut = 0
    for ln in lines:
        if len(ln) >= 40 and (ln[-1].islower() or ln[-1] in _CONTINUE_PUNCT):
            cut += 1
    return cut * 2 >= len(lines)


def _line_boundary(text: str, p: int, q: int, wrapped: list[bool | None]) -> bool:
    """Whether one line break (previous line ends at ``p``, next starts at ``q``) ends a sentence."""
    ls = p
    while ls > 0 and text[ls - 1] not in _LINE_BREAKS:
        ls -= 1
    prev = text[ls:p]
    core = prev.rstrip(_CLOSERS + _INLINE_SPACES)
    if not core:
        return False
    if core[-1] in _TERMINATORS:
        return False  # the punctuation rules decide
    nxt = text[q : q + 2]
    if nxt[:1] in _BULLETS and (len(nxt) < 2 or nxt[1] in _INLINE_SPACES):
        return True
    if prev[-1] in _CONTINUE_PUNCT:
        return False
    kind, _, _ = _next_start(text, q)
    if kind not in ("upper", "digit", "camel"):
        return False
    m = _LAST_WORD.search(prev)
    if m and m.group().lower().replace("’", "'") in _FUNCTION_WORDS:
        return False
    if wrapped[0] is None:
        wrapped[0] = _looks_wrapped(text)
    return not wrapped[0]


def _period_splits(
    text: str, dot: int, kind: str, word: str, quoted: bool, starters: frozenset[str]
) -> bool:
    """Whether a single period at ``dot`` ends a sentence, given what follows it."""
    token, tstart = _token_before(text, dot)
    cls = _abbrev_class(token)
    if cls == _PREFIX_CLS:
        return False
    if cls == _AMBIGUOUS_CLS:
        if kind != "upper":
            return False
        return quoted or _is_starter(word, starters)
    if kind not in ("upper", "digit", "camel"):
        return False
    # "1. La hausse" at the start of a line is a list marker, not a sentence.
    ls = tstart
    while ls > 0 and text[ls - 1] in _INLINE_SPACES:
        ls -= 1
    at_line_start = ls == 0 or text[ls - 1] in _LINE_BREAKS or text[ls - 1] == ":"
    return not (at_line_start and _LIST_MARKER.fullmatch(token))


# --- public API -------------------------------------------------------------------------------


def split_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` in ``text``, trimmed, non-empty, covering all non-space text."""
    n = len(text)
    if n == 0:
        return []
    starters = _STARTERS.get(_norm_lang(lang), _STARTERS_ANY)
    regions: list[tuple[int, int]] | None = None
    cuts: set[int] = set()

    consumed = 0
    for m in _TERM_RUN.finditer(text):
        s, e = m.span()
        if s < consumed:
            continue
        j = _close_end(text, e)
        consumed = j
        if j >= n or not text[j].isspace():
            continue  # 1.3, Amazon.com, AMZN.O, bit.ly: no space, no boundary
        kind, word, quoted = _next_start(text, j)
        if kind == "none":
            continue
        run = text[s:j]
        if "?" in run or "!" in run:
            if run.startswith("!") and _token_before(text, s)[0][:-1] in _BANG_NAMES:
                ok = False
            else:
                ok = kind in ("upper", "digit", "camel")
        elif "…" in run or ".." in run:
            # "(...)" / "[…]" marks a cut inside a quotation, not an end.
            ok = kind in ("upper", "camel") and not (s and text[s - 1] in "([")
        else:
            ok = _period_splits(text, s, kind, word, quoted, starters)
        if not ok:
            continue
        if regions is None:
            regions = _quote_regions(text)
        if any(o < j <= c for o, c in regions):
            continue
        cuts.add(j)

    wrapped: list[bool | None] = [None]
    done = 0
    for m in _LINE_BREAK.finditer(text):
        if m.start() < done:
            continue
        p = m.start()
        while p > 0 and text[p - 1].isspace():
            p -= 1
        q = m.end()
        while q < n and text[q].isspace():
            q += 1
        done = q
        if p == 0 or q >= n:
            continue
        gap = text[p:q]
        breaks = len(_LINE_BREAK.findall(gap.replace("\r\n", "\n")))
        if breaks >= 2 or _line_boundary(text, p, q, wrapped):
            cuts.add(p)

    spans: list[tuple[int, int]] = []
    start = 0
    for cut in sorted(cuts) + [n]:
        a, b = start, cut
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            spans.append((a, b))
        start = cut
    return spans


def _ends_sentence(text: str) -> bool:
    """Whether ``text`` ends with terminal punctuation (closing quotes and brackets aside)."""
    core = text.rstrip().rstrip(_CLOSERS + _INLINE_SPACES)
    return bool(core) and core[-1] in _TERMINATORS


def _is_noise(text: str, start: int, end: int, tickers: list[Ticker]) -> bool:
    """A sentence with no word left once tickers are taken out (``(AMZN.O)``, ``•``)."""
    chars = list(text)
    for t in tickers:
        a, b = max(t.start, start), min(t.end, end)
        for i in range(a - start, b - start):
            chars[i] = " "
    rest = _TICKER.sub(" ", "".join(chars))
    return not any(c.isalnum() for c in rest)


def segment(article: Article) -> list[Sentence]:
    """Split each block of ``article`` into sentences with offsets into ``article.text``."""
    sentences: list[Sentence] = []
    for bi, block in enumerate(article.blocks):
        # Offsets are the contract (Sentence.text must equal the article slice), not block.text.
        base = block.start
        text = article.text[block.start : block.end]
        if block.kind == "headline" and not _ends_sentence(text):
            a, b = 0, len(text)
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            spans = [(a, b)] if a < b else []
        else:
            spans = split_spans(text, article.lang)
        for a, b in spans:
            start, end = base + a, base + b
            if _is_noise(text[a:b], start, end, article.tickers):
                continue
            sentences.append(
                Sentence(
                    index=len(sentences),
                    text=article.text[start:end],
                    start=start,
                    end=end,
                    block=bi,
                    kind=block.kind,
                )
            )
    return sentences


def prose(sentences: list[Sentence], article: Article) -> list[str]:
    """Sentence texts with tickers blanked out, for the encoder: ``AMZN.O`` carries no meaning to it."""
    out = []
    for s in sentences:
        text = s.text
        for t in sorted(article.tickers, key=lambda t: -t.start):
            if s.start <= t.start and t.end <= s.end:
                a, b = t.start - s.start, t.end - s.start
                text = text[:a] + " " * (b - a) + text[b:]
        out.append(" ".join(text.split()))
    return out
