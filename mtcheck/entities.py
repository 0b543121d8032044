"""Named entities in wire copy: extraction (names, acronyms, gazetteer places and bodies, tickers) and
English/French matching, for the ``entity`` check.

Extraction is deliberately conservative: a capitalised word is only trusted as a name when its capital
cannot come from its position (sentence start, title-case headline) or when the same word is capitalised
mid-sentence elsewhere in the article.  Such position-only candidates are kept as *weak* entities: they
help explain the other side but are never reported themselves.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Sequence

from .records import Ticker

GAZETTEER_PATH = Path(__file__).resolve().parent / "data" / "gazetteer.tsv"

PLACE_TYPES = frozenset({"country", "capital", "city", "region"})
ORG_TYPES = frozenset({"org", "index", "media"})
ADJECTIVE_TYPES = frozenset({"demonym", "party"})  # matched, never reported: "U.S." is often "américain"
TOLERATED_TYPES = frozenset({"title", "term"})  # never entities: CEO/PDG, GDP/PIB
_TYPE_PRIORITY = ("country", "org", "capital", "city", "region", "index", "media", "party", "demonym")

# --------------------------------------------------------------------------- text folding

_APOSTROPHES = "\u2019\u2018\u02bc`\u00b4\u2032"
_DASHES = "-\u2010\u2011\u2012\u2013\u2014"


def _fold_char(c: str) -> str:
    if c in _APOSTROPHES:
        return "'"
    if c in _DASHES:
        return "-"
    if c < "\u0080":
        return c
    base = unicodedata.normalize("NFD", c)[:1]
    return base if base else c


class _FoldTable(dict):
    """str.translate table filled on demand: each character folded once per process."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Accents, apostrophes and dashes normalised, one character for one: offsets stay valid."""
    if text.isascii():
        return text.replace("`", "'")
    return text.translate(_FOLD_TABLE)


def _lower1(c: str) -> str:
    low = c.lower()
    return low if len(low) == 1 else c


@functools.lru_cache(maxsize=8192)
def _search_form(text: str) -> str:
    # Hyphens become spaces so that "Etats-Unis", "États Unis" and "Coca-Cola"/"Coca Cola" meet.
    folded = fold(text)
    low = folded.lower()
    if len(low) != len(folded) or "\u03a3" in folded:  # "İ" lowercases to two characters, Σ by context
        low = "".join(_lower1(c) for c in folded)
    return low.replace("-", " ")


@functools.lru_cache(maxsize=65536)
def fold_key(text: str) -> str:
    """Comparison key: folded, lowercased, hyphens as spaces, whitespace collapsed."""
    return " ".join(_search_form(text).split())


def _letters(text: str) -> list[str]:
    return [c for c in text if c.isalpha()]


def is_acronym(text: str) -> bool:
    """Two or more letters, all capitals (IMF, U.S., S&P 500, AT&T)."""
    letters = _letters(text)
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _case_ok(variant: str, surface: str) -> bool:
    """Whether ``surface`` has the capitals ``variant`` requires (US is not "us", Turkey is not "turkey")."""
    if is_acronym(variant):
        if len(_letters(variant)) >= 4:
            return surface[:1].isupper()  # OPEC/Opec, NATO/Nato
        return _letters(fold(variant)) == _letters(fold(surface))
    # Every capitalised word must be capitalised: "La Réunion" is not "La réunion de mardi".
    vw, sw = variant.split(), surface.split()
    if len(vw) != len(sw):
        return surface[:1].isupper() or not variant[:1].isupper()
    return all(s[:1].isupper() for v, s in zip(vw, sw) if v[:1].isupper())


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"  # what \\w matches


class TextView:
    """A text prepared for accent-, case- and hyphen-insensitive phrase search; offsets are the text's."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.search = _search_form(text)
        self._words: list[str] | None = None
        # The search form with each run of spaces as one space, and where each of its characters comes from: a phrase
        # is then found with str.find, without compiling a pattern per phrase.
        parts = self.search.split()
        self._flat = " ".join(parts)
        self._origin: list[int] | None = None
        if len(self._flat) != len(self.search):
            origin = []
            for m in _NON_SPACE.finditer(self.search):
                if origin:
                    origin.append(m.start() - 1)
                origin.extend(range(m.start(), m.end()))
            self._origin = origin
        elif self._flat != self.search:
            self._origin = list(range(len(self.search)))  # other spaces than " ", one for one

    def _spans(self, key: str) -> list[tuple[int, int]]:
        flat, out, i = self._flat, [], 0
        n = len(key)
        while True:
            i = flat.find(key, i)
            if i < 0:
                return out
            j = i + n
            if (i == 0 or not _is_word_char(flat[i - 1])) and (j == len(flat) or not _is_word_char(flat[j])):
                if self._origin is None:
                    out.append((i, j))
                else:
                    out.append((self._origin[i], self._origin[j - 1] + 1))
                i = j
            else:
                i += 1

    def find(self, phrase: str, *, exact_case: bool | None = None, capitalised: bool = False) -> list[tuple[int, int]]:
        """(start, end) of each whole-word occurrence; acronyms match in capitals only unless exact_case=False."""
        key = fold_key(phrase)
        if not key:
            return []
        # Short acronyms only match in capitals (US/us, WHO/who); longer ones vary (OPEC/Opec, iPad/IPAD).
        strict = (is_acronym(phrase) and len(_letters(phrase)) <= 3) if exact_case is None else exact_case
        hits = []
        for s, e in self._spans(key):
            surface = self.text[s:e]
            if strict and _letters(fold(phrase)) != _letters(fold(surface)):
                continue
            if capitalised and not surface[:1].isupper():
                continue
            hits.append((s, e))
        return hits

    def contains(self, phrase: str, *, exact_case: bool | None = None, capitalised: bool = False) -> bool:
        """Whether ``phrase`` occurs as whole words (see :meth:`find`)."""
        return bool(self.find(phrase, exact_case=exact_case, capitalised=capitalised))

    @property
    def words(self) -> list[str]:
        """The folded lowercase words of the text, for fuzzy matching."""
        if self._words is None:
            self._words = _WORD_RE.findall(self.search)
        return self._words


# --------------------------------------------------------------------------- gazetteer


@dataclass(frozen=True)
class GazRow:
    """One gazetteer concept: its English and French variants, type and optional group (ISO code)."""

    en: tuple[str, ...]
    fr: tuple[str, ...]
    type: str
    group: str | None = None


def _inflect_fr(word: str) -> list[str]:
    """Feminine and plural forms of a French adjective (regular patterns only)."""
    if word.endswith("e"):
        return [word, word + "s"]
    if word.endswith("en"):
        return [word, word + "ne", word + "s", word + "nes"]
    if word.endswith(("s", "x")):
        return [word, word + "e", word + "es"]
    if word.endswith("al"):
        return [word, word + "e", word[:-1] + "ux", word + "es"]
    return [word, word + "e", word + "s", word + "es"]


class Gazetteer:
    """Bilingual names (see data/gazetteer.tsv): lookup by variant and scanning of texts."""

    def __init__(self, rows: Sequence[GazRow]) -> None:
        self.rows = list(rows)
        self._index: dict[str, dict[str, list[tuple[str, int]]]] = {"en": {}, "fr": {}}
        for i, row in enumerate(self.rows):
            for lang in ("en", "fr"):
                for v in getattr(row, lang):
                    k = fold_key(v)
                    if k:
                        self._index[lang].setdefault(k, []).append((v, i))
        self._scanner: dict[str, re.Pattern[str]] = {}

    def _regex(self, lang: str) -> re.Pattern[str]:
        if lang not in self._scanner:
            # One alternation of ~2,000 names is slow to try at every position; the same names as a trie
            # ("bank(?:\s+of\s+england)?") fail fast.  A longer name is tried before its prefix, as before.
            self._scanner[lang] = re.compile(r"(?<!\w)" + _trie_regex(self._index[lang]) + r"(?!\w)")
        return self._scanner[lang]

    def lookup(self, text: str, lang: str) -> frozenset[int]:
        """Rows having ``text`` as a ``lang`` variant (capitals permitting)."""
        entries = self._index[_lang(lang)].get(fold_key(text), [])
        return frozenset(i for v, i in entries if _case_ok(v, text))

    def scan(self, view: TextView, lang: str) -> list[tuple[int, int, frozenset[int]]]:
        """Non-overlapping gazetteer mentions in ``view``: (start, end, rows)."""
        lang = _lang(lang)
        out = []
        regex, search, pos = self._regex(lang), view.search, 0
        while (m := regex.search(search, pos)) is not None:
            pos = m.end()
            if view.text[m.end() : m.end() + 1] == "-":
                # "le Cap-Vert": "Le Cap" stops inside a hyphenated name; a name starting at a later word of the
                # match that reaches further ("Cap-Vert") is the one meant.
                inner = [regex.match(search, i + 1) for i in range(m.start(), m.end()) if search[i] == " "]
                longer = [x for x in inner if x is not None and x.end() > m.end()]
                if longer:
                    m = longer[0]
                    pos = m.end()
            surface = view.text[m.start() : m.end()]
            entries = self._index[lang].get(" ".join(m.group().split()), [])
            rows = frozenset(i for v, i in entries if _case_ok(v, surface))
            if rows:
                out.append((m.start(), m.end(), rows))
        return out

    def variants(self, rows: Iterable[int], lang: str) -> list[str]:
        """All ``lang`` variants of ``rows``."""
        lang = _lang(lang)
        return list(dict.fromkeys(v for i in rows for v in getattr(self.rows[i], lang)))

    def groups(self, rows: Iterable[int]) -> frozenset[str]:
        """The groups (ISO codes) of ``rows``."""
        return frozenset(g for i in rows if (g := self.rows[i].group))

    def type_of(self, rows: Iterable[int]) -> str:
        """The most specific type among ``rows`` (country before capital before demonym...)."""
        types = {self.rows[i].type for i in rows}
        for t in _TYPE_PRIORITY:
            if t in types:
                return t
        return min(types) if types else "name"

    def rendering(self, rows: Iterable[int], lang: str) -> str | None:
        """The usual ``lang`` form of the first non-adjective row (for "expected" in findings)."""
        ordered = sorted(rows, key=lambda i: (self.rows[i].type in ADJECTIVE_TYPES, i))
        for i in ordered:
            forms = getattr(self.rows[i], _lang(lang))
            if forms:
                return forms[0]
        return None


def _trie_regex(keys: Iterable[str]) -> str:
    """A regex matching any of ``keys`` (words separated by single spaces; any whitespace in the text), trying
    longer continuations first, so that the match at a position is the longest key that fits there."""
    trie: dict = {}
    for k in keys:
        node = trie
        for c in k:
            node = node.setdefault(c, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        alts = []
        for c in sorted(k for k in node if k):
            alts.append((r"\s+" if c == " " else re.escape(c)) + build(node[c]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if end:
            return "(?:" + body + ")?"
        return body

    return "(?:" + build(trie) + ")"


def _lang(lang: str) -> str:
    return "fr" if lang.lower().startswith("fr") else "en"


def parse_gazetteer(text: str) -> list[GazRow]:
    """Rows of a gazetteer TSV (comments, blank lines and the header skipped)."""
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if cols[0] == "en" and len(cols) > 2 and cols[2] == "type":
            continue
        if len(cols) < 3:
            raise ValueError(f"gazetteer line needs en<TAB>fr<TAB>type: {line!r}")
        en = tuple(v.strip() for v in cols[0].split("|") if v.strip())
        fr_raw = [v.strip() for v in cols[1].split("|") if v.strip()]
        typ = cols[2].strip()
        group = cols[3].strip() if len(cols) > 3 and cols[3].strip() else None
        if typ in ADJECTIVE_TYPES:
            fr_raw = [f for v in fr_raw for f in (_inflect_fr(v) if v[:1].islower() and " " not in v else [v])]
        rows.append(GazRow(en, tuple(dict.fromkeys(fr_raw)), typ, group))
    return rows


@functools.lru_cache(maxsize=4)
def load_gazetteer(path: str | None = None) -> Gazetteer:
    """The gazetteer at ``path`` (default: the packaged data/gazetteer.tsv), parsed once."""
    p = Path(path) if path else GAZETTEER_PATH
    return Gazetteer(parse_gazetteer(p.read_text(encoding="utf-8")))


# --------------------------------------------------------------------------- word lists

_MONTHS_WEEKDAYS = {
    "en": "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun",
    "fr": "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre "
    "janv fevr avr juil sept oct nov dec "
    "lundi mardi mercredi jeudi vendredi samedi dimanche",
}

# Words that are never (part of) a name; they split "Amazon Chief Executive Andy Jassy" into two names.
_STOP_WORDS = {
    "en": """a an the and or but nor if in on at to of for with by from as after before while when where what which
    who whom whose why how that this these those there here it its he she they we i you his her their our my your
    them him me not no yes so yet also however meanwhile moreover although though despite since until during about
    over under into onto than then now today yesterday tomorrow tonight last next some many most more much other
    others such both each every any all few several one two three four five six seven eight nine ten first second
    third according said says say asked added told please see read note editing reporting writing additional
    compiled graphic factbox update exclusive breakingviews analysis insight refile corrected wrapup brief live
    rpt instead still even just only already because unless whether amid among against between within without
    mr mrs ms dr sir dame lord lady president vice prime minister secretary chancellor governor senator sen rep
    representative congressman congresswoman mayor judge chief executive officer chairman chairwoman chair
    ceo cfo coo cto director spokesman spokeswoman spokesperson king queen prince princess pope sheikh emir crown
    lt col adm admiral commissioner commander ambassador envoy leader speaker attorney deputy acting former
    analyst analysts economist economists strategist founder professor prof premier mister madam rector dean
    ambassadress head directors article section chapter paragraph figure table page century north south east
    middle upper lower twenties thirties forties fifties sixties seventies eighties nineties""",
    "fr": """le la les l un une des du de d au aux ce cet cette ces cela ca il elle ils elles on nous vous je tu
    leur leurs son sa ses mon ma mes notre nos votre vos qui que qu quoi dont ou quand comment pourquoi et mais
    donc or ni car si selon dans en sur sous par pour avec sans chez entre vers apres avant depuis pendant lors
    alors ainsi aussi toutefois cependant pourtant neanmoins enfin puis encore deja aujourd hier demain tout tous
    toute toutes plusieurs certains certaines chaque aucun aucune autre autres plus moins tres bien non oui ne pas
    y a est sont ete c lorsque puisque jusqu afin face outre ailleurs parmi malgre contre d'apres
    m mm mme mmes mlle me dr pr president presidente premier premiere ministre ministere secretaire gouverneur
    chancelier chanceliere directeur directrice pdg patron patronne porte-parole senateur senatrice roi reine
    prince princesse pape ancien ancienne analyste analystes economiste economistes fondateur fondatrice
    bourse bourses etat etats gouvernement redige reportage edite version traduction information avertissement
    mise jour exclusif maire recteur rectrice ambassadeur ambassadrice depute deputee juge procureur commissaire
    conseiller conseillere haut haute representant representante chef vice madame monsieur article paragraphe
    chapitre alinea siecle nord sud ouest dre the of and""",
}

# Common nouns of institution names: kept inside a name ("Deutsche Bank"), never a name on their own,
# and not enough on their own to say a name was translated ("Bank" in "Bank of X" / "Banque de Y").
_WEAK_NOUNS = frozenset(
    """bank banks group groups exchange stock stocks company companies ministry department office agency
    commission council committee court party university institute foundation association federation union
    authority board fund funds index market markets news house palace holdings capital partners international
    global national federal central reserve securities financial investment investments research technologies
    technology systems services energy oil gas industries corporation airlines motors
    treaty agreement accord act law bill summit conference forum festival championship cup prize award report
    plan program programme project initiative strategy day week school college academy hospital church museum
    library theatre theater stadium airport station bridge tower square park garden street avenue road river
    lake mountain sea ocean island islands coast valley province county district region city town village club
    team league embassy consulate general public world war revolution tribunal
    banque groupe societe compagnie fonds agence conseil cour parti universite indice marche marches chambre
    comite autorite federation association institut fondation ministere traite loi sommet conference
    championnat coupe prix rapport programme projet journee semaine ecole lycee college academie hopital eglise
    musee bibliotheque theatre stade aeroport gare pont tour place parc jardin rue fleuve lac mont mer ocean ile
    iles cote vallee ville equipe ligue maison palais ambassade consulat nationale internationale generale
    service services direction bureau section unite division departement centre
    general publique public superieur superieure federale federal centrale central mondiale mondial
    europeenne europeen guerre revolution tribunal""".split()
)

_COMPANY_SUFFIXES = frozenset(
    "inc incorporated corp corporation co ltd limited plc llc lp ag sa se nv spa ab asa oyj gmbh sas cie kgaa".split()
)

# All-capitals words that are not entities: currency codes, time zones, units, wire slugs.
_ACRONYM_STOP = frozenset(
    """usd eur gbp jpy chf cny cnh rmb hkd cad aud nzd sek nok dkk pln czk huf rub try inr brl mxn zar krw sgd
    twd thb idr myr php ils sar aed qar kwd egp ngn kes btc gmt utc bst cet cest et est edt pst pdt jst
    am pm ok tv ps nb ie eg vs etc yoy qoq mom bps kwh mwh gwh twh mw gw km kg mph co2
    update exclusive refile corrected brief wrapup rpt factbox analysis insight live breakingviews""".split()
)

_PARTICLES = r"of|de|du|des|la|le|van|von|der|den|da|di|del|della|dos|das|bin|ibn|al|el|y|ben"
_GAP = re.compile(r"\s+|\s*&\s*|\s+d'|(?:\s+(?:" + _PARTICLES + r"))+\s+")
_INITIAL_GAP = re.compile(r"\.\s+")
_TOKEN = re.compile(r"[^\W_][\w'\u2019&.\-\u2010\u2011]*")
_ELISION = re.compile(r"^(?:[dljmnstcDLJMNSTC]|[Qq]u|[Jj]usqu|[Ll]orsqu|[Pp]uisqu|[Pp]resqu|[Qq]uoiqu)'(?=[^\W\d_])")
_HYPHEN_LINKS = frozenset("de du des la le les sur en et aux sous lès".split())
_OPENERS = set(':"\u201c\u00ab\u2014\u2013\u2022*')
# A French capitalised noun after a determiner (or "en": "licenciée en Économie") is usually the head of a
# descriptive name ("la Maison nationale", "le Bureau de la statistique"), not a proper name; proper names
# rarely take one outside the gazetteer.
_FR_DETERMINER = re.compile(
    r"(?:^|[\s(\"\u00ab])"
    r"(?:le|la|les|un|une|du|des|au|aux|ce|cet|cette|ces|son|sa|ses|leur|leurs|notre|nos|d'un|d'une|en)\s+$"
    r"|(?:^|[\s(\"\u00ab])l'$",
    re.IGNORECASE,
)
_QUOTED = re.compile(r'"[^"]{3,}"|\u201c[^\u201d]{3,}\u201d|\u00ab[^\u00bb]{3,}\u00bb')
_NON_SPACE = re.compile(r"\S+")
# A word, without a French elided article or pronoun before it ("l'unite" is "unite"; "aujourd'hui" stays whole).
_WORD_RE = re.compile(r"(?:\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)')?([^\W\d_][\w']*)")
_HYPHEN_SPLIT = re.compile(r"[-\u2010\u2011]")
_LAST_WORD = re.compile(r"(\w+)\W*$")
_DOMAIN = re.compile(r"\.(?:com|net|org|io|ai|co\.uk)$", re.IGNORECASE)

# Reuters instrument codes: AMZN.O, 7203.T, 0700.HK, 600519.SS; single letters (T.N, F.N) only in brackets.
RIC_RE = re.compile(
    r"(?<![\w.])(?:[A-Z][A-Z0-9]{1,5}|\d{3,6})\.[A-Z]{1,2}(?![\w])|(?<=[<(\[])[A-Z]\.[A-Z]{1,2}(?=[>)\]])"
)


@functools.lru_cache(maxsize=2)
def _stop_words(lang: str) -> frozenset[str]:
    words = set(_STOP_WORDS[lang].split()) | set(fold_key(_MONTHS_WEEKDAYS[lang]).split())
    return frozenset(words)


# --------------------------------------------------------------------------- entities


@dataclass(frozen=True)
class Entity:
    """A name found in a sentence; offsets are relative to the text given to :func:`extract_entities`."""

    text: str
    start: int
    end: int
    kind: str  # "name" | "acronym" | "ticker" | a gazetteer type ("country", "org", "demonym"...)
    rows: frozenset[int] = frozenset()  # gazetteer rows, when it is a gazetteer name
    groups: frozenset[str] = frozenset()
    weak: bool = False  # capitalised only by position: used to explain the other side, never reported
    company: str | None = None  # for tickers: the company it is attached to, when known

    @property
    def key(self) -> str:
        """Comparison key (folded, lowercased, web domain dropped)."""
        return " ".join(_DOMAIN.sub("", w) for w in fold_key(self.text).split())

    @property
    def words(self) -> list[str]:
        """The name's words as written, without particles."""
        return [w for w in self.text.split() if w.lower() not in _PARTICLE_SET]

    @property
    def reportable(self) -> bool:
        """Whether a finding may be raised about this entity itself."""
        if self.weak or self.kind in ADJECTIVE_TYPES or self.kind in TOLERATED_TYPES:
            return False
        return self.text[:1].isupper() or self.text[:1].isdigit()


_PARTICLE_SET = frozenset(_PARTICLES.split("|")) | {"d'", "&"}


@dataclass(frozen=True)
class _Tok:
    text: str
    start: int
    end: int
    shape: str  # "cap" | "acr" | "camel" | "low"


@functools.lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[_Tok, ...]:
    """Word tokens with elision, possessives and lowercase hyphen parts trimmed (d'Amazon -> Amazon).

    Cached: extraction, the headline test and the capitalised-word census all tokenise the same sentence."""
    toks = []
    folded = fold(text)  # one character for one: token offsets apply
    for m in _TOKEN.finditer(text):
        t, s = m.group(), m.start()
        if t.islower() and t.isalpha():
            toks.append(_Tok(t, s, m.end(), "low"))  # most words: no elision, hyphen or capital to look at
            continue
        while t and not (t[-1].isalnum() or t[-1] == "&"):
            t = t[:-1]
        ft = folded[s : s + len(t)]
        if "'" in ft:
            em = _ELISION.match(ft)
            if em and not t.startswith(("O'", "O\u2019")):
                s, t, ft = s + em.end(), t[em.end() :], ft[em.end() :]
            if ft[-2:] == "'s" and len(t) > 2:
                t = t[:-2]
        if not t:
            continue
        if "-" in t or "\u2010" in t or "\u2011" in t:
            words = _HYPHEN_SPLIT.split(t)
            first = next((i for i, w in enumerate(words) if w[:1].isupper() or w[:1].isdigit()), None)
            if first is None:
                toks.append(_Tok(t, s, s + len(t), "low"))
                continue
            last = first
            i = first + 1
            while i < len(words):
                w = words[i]
                if w[:1].isupper() or w[:1].isdigit():
                    last = i
                elif w.lower() in _HYPHEN_LINKS and i + 1 < len(words) and words[i + 1][:1].isupper():
                    pass
                else:
                    break
                i += 1
            begin = sum(len(w) + 1 for w in words[:first])  # separators are one character each
            end = sum(len(w) + 1 for w in words[:last]) + len(words[last])
            t, s = t[begin:end], s + begin
        if t.islower():
            toks.append(_Tok(t, s, s + len(t), "low"))  # has a letter, none of them a capital
            continue
        letters = _letters(t)
        if not letters:
            continue
        if len(letters) >= 2 and all(c.isupper() for c in letters):
            shape = "acr"
        elif t[0].isupper():
            shape = "cap"
        elif any(c.isupper() for c in letters[1:]):
            shape = "camel"  # iPhone, eBay
        else:
            shape = "low"
        toks.append(_Tok(t, s, s + len(t), shape))
    return tuple(toks)


def _is_initial_letter(word: str) -> bool:
    """"J" or "J.P": a first-name initial, followed by a full stop inside a name."""
    return len(_letters(word)) <= 2 and word[:1].isupper()


def _person_run(run: list[_Tok], stop: frozenset[str]) -> bool:
    """Whether a run of capitalised words reads as a person's name (two or three plain words, no institution noun):
    then "of" after it starts another name ("Mace Blicksilver of Marblehead Asset Management")."""
    if not 2 <= len(run) <= 3:
        return False
    keys = [fold_key(t.text) for t in run]
    return all(t.shape == "cap" for t in run) and not any(
        k in _WEAK_NOUNS or k in _COMPANY_SUFFIXES or k in stop or len(k) < 2 for k in keys
    )


def _is_initial(text: str, start: int) -> bool:
    """Whether a word at ``start`` is capitalised by position: sentence start, after a colon, quote or dash."""
    before = text[:start]
    if not any(c.isalpha() for c in before):
        return True
    stripped = before.rstrip()
    if not stripped:
        return True
    last = stripped[-1]
    if last in _OPENERS:
        return True
    if last in ".!?":
        # A second sentence left in one segment; "U.S." or "Inc." before the stop is not a sentence end.
        prev = _LAST_WORD.search(stripped[:-1])
        return prev is not None and (prev.group(1).islower() or prev.group(1).isdigit()) and len(prev.group(1)) > 1
    # Dateline dash: "LONDON, Feb 27 (Reuters) - Amazon ..."
    return last == "-" and len(stripped) >= 2 and stripped[-2].isspace()


@functools.lru_cache(maxsize=4096)
def looks_like_headline(text: str, kind: str = "paragraph") -> bool:
    """Title case ("Amazon Shares Jump After Cloud Beat"), where capitals say nothing about names."""
    words = [t for t in _tokens(text) if len(t.text) >= 4 and t.shape != "acr"]
    if len(words) < 3:
        # Short headings: "Brand Story:", "Market Wrap"
        return len(words) >= 2 and all(t.shape == "cap" for t in words) and not text.rstrip().endswith(".")
    ratio = sum(t.shape in ("cap", "camel") for t in words) / len(words)
    if kind == "headline":
        return ratio >= 0.5
    return ratio >= 0.75 and not text.rstrip().endswith(".")


def capitalised_words(texts: Iterable[str]) -> set[str]:
    """Keys of words capitalised mid-sentence somewhere in ``texts``: evidence that they are names."""
    known: set[str] = set()
    for text in texts:
        if looks_like_headline(text):
            continue
        for t in _tokens(text):
            if t.shape in ("cap", "camel") and not _is_initial(text, t.start):
                known.add(fold_key(t.text))
    return known


def _find_tickers(text: str, tickers: Sequence[Ticker]) -> list[tuple[int, int, str, str | None]]:
    found: dict[int, tuple[int, int, str, str | None]] = {}
    for t in tickers:
        if 0 <= t.start < len(text):
            found[t.start] = (t.start, min(t.end, len(text)), t.symbol.strip("<>()[] ").upper(), t.company)
    for m in RIC_RE.finditer(text):
        if not any(s <= m.start() < e for s, e, _, _ in found.values()):
            found[m.start()] = (m.start(), m.end(), m.group(), None)
    return sorted(found.values())


_TICKER_GAP = re.compile(
    r"^(?:'s)?(?:,?\s+(?:" + "|".join(sorted(_COMPANY_SUFFIXES)) + r")\.?)*\s*[(<\[]?\s*(?:[A-Za-z]+:\s*)?$",
    re.IGNORECASE,
)


_SLUG_RE = re.compile(r"(?:[A-ZÀ-Ý][A-ZÀ-Ý0-9&/'’. ]*[A-ZÀ-Ý0-9]-)+(?=\S)")


def extract_entities(
    text: str,
    lang: str,
    *,
    gazetteer: Gazetteer | None = None,
    tickers: Sequence[Ticker] = (),
    known: set[str] | frozenset[str] | None = None,
    headline: bool | None = None,
) -> list[Entity]:
    """Entities of one sentence: tickers (given with offsets into ``text``, or found), gazetteer names, names."""
    gaz = gazetteer if gazetteer is not None else load_gazetteer()
    lang = _lang(lang)
    known = known or set()
    stop = _stop_words(lang)
    if headline is None:
        headline = looks_like_headline(text)
    masked = list(text)
    blocked = [False] * len(text)
    out: list[Entity] = []

    def block(s: int, e: int) -> None:
        for i in range(s, e):
            masked[i] = " "
            blocked[i] = True

    ticker_spans = _find_tickers(text, tickers)
    for s, e, sym, company in ticker_spans:
        block(s, e)
    slug = _SLUG_RE.match(text)
    if slug:
        block(0, slug.end())  # "GLOBAL MARKETS-", "UPDATE 2-": the wire's filing slug, not a name

    view = TextView("".join(masked))
    for s, e, rows in gaz.scan(view, lang):
        real = frozenset(i for i in rows if gaz.rows[i].type not in TOLERATED_TYPES)
        if real:
            # "Inter-American", "Franco-German", "sino-américain": the whole compound is one adjective.
            while s >= 2 and text[s - 1] in _DASHES and text[s - 2].isalpha():
                s -= 1
                while s > 0 and text[s - 1].isalpha():
                    s -= 1
        block(s, e)
        if not real:
            continue
        surface = text[s:e]
        kind = gaz.type_of(real)
        weak = (
            kind in ("capital", "city", "region")
            and " " not in surface.strip()
            and (headline or _is_initial(text, s))
            and fold_key(surface) not in known
        )
        out.append(Entity(surface, s, e, kind, real, gaz.groups(real), weak))

    toks = [t for t in _tokens("".join(masked)) if t.shape != "low"]
    runs: list[list[_Tok]] = []
    for t in toks:
        if runs:
            prev = runs[-1][-1]
            gap = text[prev.end : t.start]
            ok = not any(blocked[prev.end : t.start]) and (
                _GAP.fullmatch(gap) is not None
                or (_is_initial_letter(prev.text) and _INITIAL_GAP.fullmatch(gap) is not None)
            )
            if ok and "'" in gap and prev.shape == "acr":
                ok = False  # "l'API d'OpenAI": an acronym does not take a "d'" complement inside a name
            if ok and any(c.isalpha() for c in gap) and len(runs[-1]) == 1 and _is_initial(text, prev.start):
                # "Shares of Goldman Sachs": a position-capitalised word does not start an "X of Y" name.
                ok = fold_key(prev.text) in known
            if ok and lang == "en" and gap.split() == ["of"] and _person_run(runs[-1], stop):
                ok = False  # "John Smith of Capital Economics": a person and where they work, two names
            if ok:
                runs[-1].append(t)
                continue
        runs.append([t])

    for run in runs:
        pieces: list[list[_Tok]] = [[]]
        for t in run:
            k = fold_key(t.text)
            single = len(_letters(t.text)) == 1 and t.shape != "camel"
            is_stop = k in stop or all(p in stop for p in k.split())
            if is_stop or (single and (t is run[-1] or len(run) == 1)):
                pieces.append([])
            else:
                pieces[-1].append(t)
        for piece in pieces:
            while len(piece) > 1 and fold_key(piece[-1].text).strip(".") in _COMPANY_SUFFIXES:
                piece.pop()
            while piece and len(_letters(piece[0].text)) == 1 and piece[0].shape != "camel" and len(piece) == 1:
                piece.pop()
            if not piece:
                continue
            keys = [fold_key(t.text) for t in piece]
            if all(k in _WEAK_NOUNS or k in _COMPANY_SUFFIXES for k in keys):
                continue
            if len(piece) == 1 and piece[0].shape == "acr" and keys[0] in _ACRONYM_STOP:
                continue
            s, e = piece[0].start, piece[-1].end
            surface = text[s:e]
            kind = "acronym" if len(piece) == 1 and piece[0].shape == "acr" else "name"
            if kind == "acronym":
                weak = False
            elif headline:
                weak = any(k not in known for k in keys)
            else:
                weak = len(piece) == 1 and _is_initial(text, s) and keys[0] not in known
            if lang == "fr" and kind == "name" and len(piece) == 1:
                weak = weak or _FR_DETERMINER.search(fold(text[max(0, s - 12) : s])) is not None
            rows = gaz.lookup(surface, lang)
            out.append(Entity(surface, s, e, kind, rows, gaz.groups(rows), weak))

    # "the Free Trade Agreement (FTA)": the acronym restates the name before it, which is checked itself.
    for n, ent in enumerate(out):
        if ent.kind == "acronym" and text[:ent.start].rstrip().endswith("(") and text[ent.end :].lstrip()[:1] == ")":
            head = text[: ent.start].rstrip()[:-1].rstrip()
            if any(o.end == len(head) for o in out if o is not ent):
                out[n] = replace(ent, weak=True)

    # Titles of works in quotes ("My Life, My Song") are title case, not names.
    titles = [
        (m.start(), m.end())
        for m in _QUOTED.finditer(text)
        if looks_like_headline(m.group()[1:-1].strip(" .,!?:;"))
    ]
    if titles:
        out = [
            replace(e, weak=True)
            if e.kind == "name" and any(s <= e.start < t for s, t in titles) and any(
                fold_key(w) not in known for w in e.words
            )
            else e
            for e in out
        ]

    names = sorted(out, key=lambda x: x.start)
    for s, e, sym, company in ticker_spans:
        if company is None:
            # "Amazon.com AMZN.O", "Nvidia <NVDA.O>", "d'Amazon (AMZN.O)": the name just before the code.
            for ent in reversed(names):
                if ent.end <= s and ent.kind not in TOLERATED_TYPES and _TICKER_GAP.match(text[ent.end : s]):
                    company = ent.text
                    break
                if ent.end <= s:
                    break
        out.append(Entity(text[s:e], s, e, "ticker", company=company))
    out.sort(key=lambda x: (x.start, -x.end))
    return out


# --------------------------------------------------------------------------- matching

FUZZY_MIN = 0.8  # difflib ratio for two spellings of one name (Zelenskiy/Zelensky)


@functools.lru_cache(maxsize=65536)
def similarity(a: str, b: str) -> float:
    """difflib ratio of two keys, 0 when their lengths are too different to be spellings of one name."""
    if not a or not b:
        return 0.0
    if min(len(a), len(b)) / max(len(a), len(b)) < 0.6:
        return 0.0
    return difflib.SequenceMatcher(None, a, b).ratio()


@functools.lru_cache(maxsize=65536)
def _spelling_of(a: str, b: str) -> bool:
    """Same name in another transliteration: Zelenskiy/Zelensky, Isfahan/Ispahan, Sharia/charia."""
    if not a or not b or min(len(a), len(b)) / max(len(a), len(b)) < 0.6:
        return False
    matcher = difflib.SequenceMatcher(None, a, b)
    if matcher.quick_ratio() < 0.7:
        return False  # an upper bound of the ratio, from the letters alone: most words stop here
    r = matcher.ratio()
    return r >= FUZZY_MIN or (r >= 0.7 and a[:1] == b[:1])


def is_weak_noun(word: str) -> bool:
    """Institution nouns (Bank, Council, Court, Cour...) that do not identify a name on their own."""
    return fold_key(word) in _WEAK_NOUNS


def cognate(a: str, b: str) -> bool:
    """English and French forms of one word: Atomic/atomique, Statistical/statistique, Agency/agence."""
    if len(a) < 4 or len(b) < 4:
        return False
    n = 0  # length of the common prefix
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    if n >= 5 or (n >= 3 and n >= min(len(a), len(b)) - 1 and abs(len(a) - len(b)) <= 2):
        return True  # Atomic/atomique, Mary/Marie; not Marc/Marcotte
    return similarity(a, b) >= 0.7


def _subsequence(short: str, long: str) -> bool:
    """Whether ``short`` (three letters or more) begins or ends ``long`` (UNHCR / HCR; not ASC / SC)."""
    if len(short) < 3 or len(short) >= len(long):
        return False
    return long.endswith(short) or long.startswith(short)


def significant_words(ent: Entity) -> list[str]:
    """Words of a name that identify it (not particles, suffixes, or institution nouns like "Bank")."""
    out = []
    for w in ent.words:
        k = fold_key(w)
        if k in _WEAK_NOUNS or k in _COMPANY_SUFFIXES or len(_letters(w)) < 2:
            continue
        out.append(_DOMAIN.sub("", w))
    return out



# How an entity is rendered on the other side (see :func:`match_level`).
NOT_FOUND, LOOSE, FOUND = 0, 1, 2


def match_level(
    ent: Entity,
    view: TextView,
    candidates: Sequence[Entity],
    gazetteer: Gazetteer,
    lang: str,
) -> int:
    """How ``ent`` (from the other language) is rendered in ``view``: ``FOUND``, ``LOOSE`` or ``NOT_FOUND`` (see
    :func:`match_how`)."""
    return match_how(ent, view, candidates, gazetteer, lang)[0]


def match_how(
    ent: Entity,
    view: TextView,
    candidates: Sequence[Entity],
    gazetteer: Gazetteer,
    lang: str,
) -> tuple[int, str]:
    """How ``ent`` (from the other language) is rendered in ``view``, whose entities are ``candidates``, and why.

    ``FOUND``: the same name (accents, case and hyphens aside), a gazetteer translation, a translated acronym with
    the same letters (IAEA/AIEA), a close spelling of a name there (Zelenskiy/Zelensky), a descriptive name rendered
    word for word (Atomic Energy Agency/Agence pour l'énergie atomique).

    ``LOOSE``, with the reason: only through a relative or a word of the name.  "adjective": a country by its own
    adjective (Russia/russe); "group": another name of its country (Berlin/allemand); "word": a surname or first word of
    a longer name ("Powell" for "Jerome Powell", "Ford" for "Ford Motor"); "noun": only the institution noun of a
    descriptive name ("Walmart Foundation"/"la fondation"); "spelling": a word of the text spelt alike.  Usually a
    rendering; but when the other side also has a name of its own that the original lacks, the loose match may be
    all that is left of the name that was replaced (see the ``entity`` check).  The reason is "" unless ``LOOSE``.
    """
    lang = _lang(lang)
    rows = ent.rows or gazetteer.lookup(ent.text, "fr" if lang == "en" else "en")
    groups = ent.groups or gazetteer.groups(rows)
    loose = ""  # why it is only loosely rendered: "group", "noun", "word" or "spelling"
    if rows or groups:
        country = any(gazetteer.rows[i].type == "country" for i in rows)
        for c in candidates:
            if rows and rows & c.rows:
                return FOUND, ""
            if groups and groups & c.groups:
                # a country by its own adjective (Russia's / russe) is a rendering, unless a French name the
                # original lacks took the country's place: the checks weigh "adjective" like the other loose ones
                loose = "adjective" if country and c.kind == "demonym" else loose or "group"
        for v in gazetteer.variants(rows, lang):
            if view.contains(v):
                return FOUND, ""
    # Names in capitals match in capitals ("UN" is not the French "un"), other names in any case.
    if view.contains(ent.text, exact_case=None if ent.kind == "acronym" or is_acronym(ent.text) else False):
        return FOUND, ""
    key = ent.key
    if key != fold_key(ent.text) and view.contains(key):
        return FOUND, ""
    if ent.kind == "ticker":
        return NOT_FOUND, ""
    if is_acronym(ent.text) and " " not in ent.text.strip():
        # Translated bodies keep their letters in another order (NATO/OTAN, IAEA/AIEA), lose a prefix
        # (UNHCR/HCR), or are spelt out on the other side (PQ/Quebec Party, FTA/Free Trade Agreement).
        mine = "".join(_letters(ent.text.upper()))
        for c in candidates:
            if c.kind == "ticker":
                continue
            if is_acronym(c.text):
                theirs = "".join(_letters(c.text.upper()))
            elif len(c.words) >= 2:
                theirs = "".join(w[0].upper() for w in c.words if w[:1].isalpha())
            else:
                continue
            if sorted(mine) == sorted(theirs) or _subsequence(mine, theirs) or _subsequence(theirs, mine):
                return FOUND, ""
        # Acronyms are not spelt: CFTC is not CFDT.
        return (LOOSE, loose) if loose else (NOT_FOUND, "")
    words = [w for w in view.words if len(w) >= 4]
    if len(ent.words) == 1 and len(key) >= 4:
        alike = [c for c in candidates if c.kind != "ticker" and _spelling_of(key, c.key)]
        if any(c.kind not in ADJECTIVE_TYPES for c in alike):
            return FOUND, ""
        if alike and not loose:
            loose = "group"  # Syria / syrien: the adjective, spelt alike
        # a lowercase word spelt alike ("Roman" / "romaine"); not a capitalised word (a name), and not for a name
        # whose French forms the gazetteer knows (Congress is "Congrès", not "contre")
        if not loose and not rows and len(key) >= 5 and any(
                _spelling_of(key, w) and _lowercase_in(view, w) for w in words):  # fmt: skip
            loose = "spelling"
    if len(ent.words) > 1:
        if any(c.kind != "ticker" and similarity(key, c.key) >= FUZZY_MIN for c in candidates):
            return FOUND, ""
        # Word-for-word renderings, never for people: a name with an institution noun or a lowercase link word
        # ("Alliance of Small Island States") needs half its words rendered; any other run of three capitalised
        # words needs two thirds ("Sixth Military Zone" / "Sixième Zone Militaire"), since a person's or a title's
        # run has lookalikes in many French sentences ("Jets Coach Eric Mangini": "coach"; "Paul J. Browne": "Bros").
        long_words = [fold_key(w) for w in ent.words if len(w) >= 4]
        linked = any(fold_key(w) in _WEAK_NOUNS for w in ent.words) or (
            len(ent.words) >= 3 and any(w[:1].islower() for w in ent.text.split()))
        hit = [w for w in long_words if any(cognate(w, x) for x in words)]
        if linked:
            enough = 2 * len(hit) >= len(long_words)
        else:
            enough = len(ent.words) >= 3 and 3 * len(hit) >= 2 * len(long_words)
        if hit and enough:
            if len(hit) == len(long_words) or any(w not in _WEAK_NOUNS for w in hit):
                return FOUND, ""
            loose = loose or "noun"  # only the institution noun: "Walmart Foundation" / "la fondation Huang Jing"
        sig = significant_words(ent)
        if any(is_acronym(w) and view.contains(w, exact_case=True) for w in sig):
            return FOUND, ""  # "MDR Radio" / "(Mitteldeutsche Rundfunk, MDR)": the acronym identifies it
        if not loose and sig and (view.contains(sig[-1], capitalised=True) or view.contains(sig[0], capitalised=True)):
            loose = "word"
    return (LOOSE, loose) if loose else (NOT_FOUND, "")


def _lowercase_in(view: TextView, word: str) -> bool:
    """Whether ``word`` (folded) occurs in lower case somewhere in ``view``."""
    return any(view.text[s:t][:1].islower() for s, t in view.find(word))


def entity_found(
    ent: Entity,
    view: TextView,
    candidates: Sequence[Entity],
    gazetteer: Gazetteer,
    lang: str,
) -> bool:
    """Whether ``ent`` (from the other language) is rendered in ``view``, whose entities are ``candidates``, even
    loosely (see :func:`match_level`)."""
    return match_level(ent, view, candidates, gazetteer, lang) > NOT_FOUND


def same_company(a: str, b: str) -> bool:
    """Whether two company names (as attached to tickers) name the same company."""
    ea = Entity(a, 0, len(a), "name")
    eb = Entity(b, 0, len(b), "name")
    if ea.key == eb.key:
        return True
    wa = [fold_key(w) for w in significant_words(ea)]
    wb = [fold_key(w) for w in significant_words(eb)]
    if wa and wb and (wa[0] == wb[0] or wa[-1] == wb[-1]):
        return True
    return similarity(ea.key, eb.key) >= 0.85
