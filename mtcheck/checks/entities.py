"""Check ``entity``: people, companies, places, products and tickers changed, dropped or added by the translation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Iterable

from ..entities import (
    ORG_TYPES,
    PLACE_TYPES,
    Entity,
    Gazetteer,
    TextView,
    capitalised_words,
    cognate,
    entity_found,
    extract_entities,
    fold_key,
    is_weak_noun,
    load_gazetteer,
    looks_like_headline,
    same_company,
    similarity,
)
from ..records import Article, Finding, Severity, Sentence, Span, Ticker
from . import CheckContext, register

CHECK = "entity"
# Staff credits name reporters and translators, who differ between editions by design.
_CREDITS = re.compile(
    r"^\W*(?:(?:additional\s+)?reporting|writing|editing|compiled"
    r"|r[ée]dig[ée]|reportage|version\s+fran[çc]aise|[ée]dit[ée])"
    r"\s+(?:by|par|de)?",
    re.IGNORECASE,
)


@dataclass
class _Bead:
    """One aligned pair with its sentences, entities (article offsets) and search views."""

    index: int
    en: list[Sentence]
    fr: list[Sentence]
    en_ents: list[Entity] = field(default_factory=list)
    fr_ents: list[Entity] = field(default_factory=list)
    en_view: TextView = field(default_factory=lambda: TextView(""))
    fr_view: TextView = field(default_factory=lambda: TextView(""))

    @property
    def en_names(self) -> list[Entity]:
        return [e for e in self.en_ents if e.kind != "ticker"]

    @property
    def fr_names(self) -> list[Entity]:
        return [e for e in self.fr_ents if e.kind != "ticker"]


def _sentence_entities(sent: Sentence, article: Article, lang: str, gaz: Gazetteer, known: set[str]) -> list[Entity]:
    local = [
        Ticker(t.symbol, t.start - sent.start, t.end - sent.start, t.company)
        for t in article.tickers
        if sent.start <= t.start < sent.end
    ]
    ents = extract_entities(
        sent.text, lang, gazetteer=gaz, tickers=local, known=known, headline=looks_like_headline(sent.text, sent.kind)
    )
    return [replace(e, start=e.start + sent.start, end=e.end + sent.start) for e in ents]


def _span(article: Article, sents: list[Sentence]) -> Span | None:
    if not sents:
        return None
    start, end = sents[0].start, sents[-1].end
    return Span(start, end, article.text[start:end])


def _ent_span(e: Entity) -> Span:
    return Span(e.start, e.end, e.text)


def _klass(e: Entity) -> str:
    if e.kind in PLACE_TYPES:
        return "place"
    if e.kind in ORG_TYPES or e.kind == "acronym":
        return "org"
    return "name"


def _compatible(e: Entity, f: Entity) -> bool:
    """Whether ``f`` could be a wrong rendering of ``e`` (a person for a person, a place for a place...)."""
    ke, kf = _klass(e), _klass(f)
    if ke == kf:
        return True
    if "acronym" in (e.kind, f.kind):
        return False  # a person or a place does not turn into an acronym
    if {ke, kf} == {"name", "org"}:
        return True
    # A known place may become an unknown one-word place (London -> Manchester); the reverse is
    # usually a loose rendering of a local name the gazetteer does not know.
    return ke == "place" and kf == "name" and len(f.words) == 1


def _person_like(e: Entity) -> bool:
    return e.kind == "name" and 2 <= len(e.words) <= 3 and not any(is_weak_noun(w) for w in e.words)


# Institution nouns whose French is not a cognate (Council/Conseil is, by the rule below, not by spelling).
_NOUN_FR = {
    "council": {"conseil"}, "summit": {"sommet"}, "house": {"chambre", "maison"}, "street": {"rue"},
    "square": {"place"}, "office": {"bureau", "office"}, "exchange": {"bourse"}, "department": {"ministere"},
    "act": {"loi"}, "law": {"loi"}, "bill": {"loi", "projet"}, "award": {"prix"}, "prize": {"prix"},
    "school": {"ecole", "lycee", "college"}, "church": {"eglise"}, "library": {"bibliotheque"},
    "station": {"gare"}, "bridge": {"pont"}, "tower": {"tour"}, "garden": {"jardin"}, "river": {"fleuve"},
    "lake": {"lac"}, "mountain": {"mont"}, "sea": {"mer"}, "island": {"ile"}, "islands": {"iles"},
    "coast": {"cote"}, "city": {"ville"}, "town": {"ville"}, "team": {"equipe"}, "league": {"ligue"},
    "day": {"journee"}, "week": {"semaine"}, "world": {"mondial", "mondiale"}, "war": {"guerre"},
    "company": {"societe", "compagnie"}, "cup": {"coupe"}, "court": {"cour", "tribunal"},
    "championship": {"championnat"}, "board": {"conseil"}, "hospital": {"hopital"}, "treaty": {"traite"},
    "agreement": {"accord"},
}  # fmt: skip


def _same_noun(a: str, b: str) -> bool:
    """Whether two institution nouns translate each other (Council/Conseil, Court/Cour), not Commission/Banque."""
    return cognate(a, b) or b in _NOUN_FR.get(a, ()) or a in _NOUN_FR.get(b, ())


def _related(e: Entity, f: Entity) -> bool:
    """Whether ``f`` looks like a loose rendering of ``e`` (Summit of X / Sommet des Y), not a new name."""
    we = [fold_key(w) for w in e.words if len(w) >= 4 or is_weak_noun(w)]
    wf = [fold_key(w) for w in f.words if len(w) >= 4 or is_weak_noun(w)]
    # First names resemble each other by chance (Cristian/Christine, Martin/Marc): between two person-like names
    # a pair of words only counts when it takes in a last word (a surname, or the noun of "Forêt Noire").
    people = _person_like(e) and _person_like(f)
    for a in we:
        for b in wf:
            if people and a != we[-1] and b != wf[-1]:
                continue
            if len(a) >= 4 and len(b) >= 4 and (
                a[:5] == b[:5] or a.startswith(b) or b.startswith(a) or similarity(a, b) >= 0.8
            ):
                return True  # Economic Policy / Politique économique
            if is_weak_noun(a) and is_weak_noun(b) and _same_noun(a, b):
                return True  # Court/Cour, Council/Conseil, Summit/Sommet
            if cognate(a, b):
                return True
    return False


def _relpos(e: Entity, sents: list[Sentence]) -> float:
    if not sents:
        return 0.0
    start, end = sents[0].start, sents[-1].end
    return (e.start - start) / max(1, end - start)


def _unique(ents: Iterable[Entity]) -> list[Entity]:
    seen: set[str] = set()
    out = []
    for e in ents:
        if e.key not in seen:
            seen.add(e.key)
            out.append(e)
    return out


def _build_beads(ctx: CheckContext, gaz: Gazetteer) -> list[_Bead]:
    assert ctx.en is not None
    known = capitalised_words(s.text for s in ctx.en_sentences) | capitalised_words(s.text for s in ctx.fr_sentences)
    en_by = {s.index: s for s in ctx.en_sentences}
    fr_by = {s.index: s for s in ctx.fr_sentences}
    beads = []
    for pair in ctx.pairs:
        en = [en_by[i] for i in pair.en if i in en_by]
        fr = [fr_by[i] for i in pair.fr if i in fr_by]
        b = _Bead(pair.index, en, fr)
        b.en_ents = [e for s in en for e in _sentence_entities(s, ctx.en, "en", gaz, known)]
        b.fr_ents = [e for s in fr for e in _sentence_entities(s, ctx.fr, "fr", gaz, known)]
        b.en_view = TextView(" ".join(s.text for s in en))
        b.fr_view = TextView(" ".join(s.text for s in fr))
        beads.append(b)
    return beads


def _name_findings(
    ctx: CheckContext, b: _Bead, near: list[_Bead], gaz: Gazetteer, en_all: TextView, en_all_names: list[Entity]
) -> list[Finding]:
    assert ctx.en is not None
    fr_names, en_names = b.fr_names, b.en_names
    unexplained = []
    for f in _unique(x for x in fr_names if x.reportable):
        if entity_found(f, b.en_view, en_names, gaz, "en"):
            continue
        # Alignment often moves a clause to the next bead; a name from there is not an added name,
        # unless the next bead's French has that name too: then this one is a second, unexplained copy.
        if any(entity_found(f, n.en_view, n.en_names, gaz, "en")
               and not entity_found(f, n.fr_view, n.fr_names, gaz, "fr") for n in near):
            continue
        unexplained.append(f)
    missing = []
    for e in _unique(x for x in en_names if x.reportable):
        if entity_found(e, b.fr_view, fr_names, gaz, "fr"):
            continue
        # Found next door: moved by the alignment, unless a new name took its place here.
        if any(entity_found(e, n.fr_view, n.fr_names, gaz, "fr") for n in near) and not any(
            _compatible(e, f) and not _related(e, f) for f in unexplained
        ):
            continue
        missing.append(e)

    findings = []
    fr_span, en_span = _span(ctx.fr, b.fr), _span(ctx.en, b.en)
    for e in missing:
        related = [f for f in unexplained if _related(e, f)]
        if related:
            for f in related:
                unexplained.remove(f)
            continue
        options = [f for f in unexplained if _compatible(e, f)]
        expected = (gaz.rendering(e.rows, "fr") if e.rows else None) or e.text
        if options:
            pos = _relpos(e, b.en)
            f = min(options, key=lambda x: (_klass(x) != _klass(e), abs(_relpos(x, b.fr) - pos)))
            unexplained.remove(f)
            findings.append(
                Finding(
                    check=CHECK,
                    severity=Severity.ERROR,
                    message=f"Name changed: the English has '{e.text}' where the French has '{f.text}'.",
                    pair=b.index,
                    en_span=_ent_span(e),
                    fr_span=_ent_span(f),
                    expected=expected,
                    found=f.text,
                )
            )
        else:
            hint = f" (expected '{expected}')" if expected != e.text else ""
            findings.append(
                Finding(
                    check=CHECK,
                    severity=Severity.WARNING,
                    message=f"'{e.text}' is missing from the French{hint}.",
                    pair=b.index,
                    en_span=_ent_span(e),
                    fr_span=fr_span,
                    expected=expected,
                )
            )
    for e, f in _displaced(b, gaz, missing, unexplained):
        unexplained.remove(f)
        findings.append(
            Finding(
                check=CHECK,
                severity=Severity.ERROR,
                message=f"Name changed: the English has '{e.text}' where the French has '{f.text}'.",
                pair=b.index,
                en_span=_ent_span(e),
                fr_span=_ent_span(f),
                expected=(gaz.rendering(e.rows, "fr") if e.rows else None) or e.text,
                found=f.text,
            )
        )
    for f in unexplained:
        if entity_found(f, en_all, en_all_names, gaz, "en"):
            continue
        findings.append(
            Finding(
                check=CHECK,
                severity=Severity.WARNING,
                message=f"'{f.text}' appears in the French but nowhere in the English article.",
                pair=b.index,
                en_span=en_span,
                fr_span=_ent_span(f),
                found=f.text,
            )
        )
    return findings


def _displaced(b: _Bead, gaz: Gazetteer, missing: list[Entity], unexplained: list[Entity]) -> list[tuple[Entity, Entity]]:
    """English places and demonyms that a new French place took the place of: (English, French) pairs.

    A gazetteer name counts as rendered when the French has another name of its country (Norway / Oslo), but not
    when that other name renders an English name of its own ("Oslo, Norway" / "Oslo en Arctique"); a demonym
    ("the Swiss capital") is not a name and is never reported missing.  Either one, unrendered, next to a French
    place the English does not have, is a changed name; alone it stays silent, as before.
    """
    places = [f for f in unexplained if f.kind in PLACE_TYPES and not f.weak and not entity_found(
        f, b.en_view, b.en_ents, gaz, "en")]  # fmt: skip
    if not places:
        return []
    out: list[tuple[Entity, Entity]] = []
    done = {e.key for e in missing}
    for e in _unique(x for x in b.en_ents if x.rows and x.groups and x.kind != "ticker" and not x.weak):
        if e.key in done or not (e.kind in PLACE_TYPES or e.kind == "demonym"):
            continue
        done.add(e.key)

        def claimed(c: Entity) -> bool:
            # c renders another English name (Oslo for Oslo), not this one (Oslo for Norway)
            return not (c.rows & e.rows) and any(x.key != e.key and x.rows & c.rows for x in b.en_ents)

        own = [c for c in b.fr_names if not claimed(c)]
        if entity_found(e, b.fr_view, own, gaz, "fr"):
            continue
        options = [f for f in places if not (f.groups & e.groups) and not _related(e, f)]
        if options:
            pos = _relpos(e, b.en)
            f = min(options, key=lambda x: abs(_relpos(x, b.fr) - pos))
            places.remove(f)
            out.append((e, f))
    return out


def _owner_words(name: str) -> list[str]:
    return [w for w in re.findall(r"[^\W_]+", fold_key(name)) if w not in ("s",)]


def _same_owner(a: str, b: str) -> bool:
    """Whether two company names attached to one ticker name the same company: ``same_company``, or one name inside
    the other ("Al Qaeda" / "Saudi-born al-Qaeda", 'stage,"HSB' / "Président du HSB" as a sloppy capture took them)."""
    if same_company(a, b):
        return True
    wa, wb = _owner_words(a), _owner_words(b)
    if not wa or not wb:
        return False
    short, long = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1)):
        return True
    return wa[-1] == wb[-1] and len(wa[-1]) >= 3 and not is_weak_noun(wa[-1])


def _shouting(text: str, span: Span | None) -> bool:
    """Whether a name sits in a run of words written in capitals ("WALK ON WALLS?", "NEW YORK IS WONDERING"): the
    two words just before it or just after it, joined by spaces only (a list "CGT, FO, CFDT" is not a run)."""
    if span is None:
        return False
    before = _CAPS_BEFORE.search(text[max(0, span.start - 40) : span.start])
    after = _CAPS_AFTER.match(text[span.end : span.end + 40])
    return bool(before or after)


_CAPS_BEFORE = re.compile(r"(?<![^\W\d_])[^\W\d_a-zà-ÿ]{2,}[ \t]+[^\W\d_a-zà-ÿ]{2,}[ \t]+$")
_CAPS_AFTER = re.compile(r"^[ \t]+[^\W\d_a-zà-ÿ]{2,}[ \t]+[^\W\d_a-zà-ÿ]{2,}(?![^\W\d_])")


def _sym(e: Entity) -> str:
    return e.text.strip("<>()[] ").upper()


def _ticker_findings(ctx: CheckContext, beads: list[_Bead]) -> list[Finding]:
    en_owned: list[tuple[str, str]] = []  # (company, symbol) as the English attaches them
    en_syms: set[str] = set()
    for b in beads:
        for e in b.en_ents:
            if e.kind == "ticker":
                en_syms.add(_sym(e))
                if e.company:
                    en_owned.append((e.company, _sym(e)))
    fr_first_owner: dict[str, str] = {}
    findings = []
    for k, b in enumerate(beads):
        if not b.en or not b.fr:
            continue
        near = [beads[j] for j in (k - 1, k + 1) if 0 <= j < len(beads)]
        en_t = [e for e in b.en_ents if e.kind == "ticker"]
        fr_t = [e for e in b.fr_ents if e.kind == "ticker"]
        en_here = {_sym(e) for e in en_t}
        fr_here = {_sym(e) for e in fr_t}
        fr_near = {_sym(e) for n in near for e in n.fr_ents if e.kind == "ticker"}
        en_near = {_sym(e) for n in near for e in n.en_ents if e.kind == "ticker"}
        handled_fr: set[str] = set()
        handled_en: set[str] = set()
        for f in fr_t:
            sym, comp = _sym(f), f.company
            if not comp:
                continue
            theirs = sorted({s for c, s in en_owned if _same_owner(comp, c)})
            owners = [c for c, s in en_owned if s == sym]
            expected = None
            if theirs and sym not in theirs:
                expected = f"{comp} {theirs[0]}"
                handled_en.update(theirs)
            elif owners and not any(_same_owner(comp, c) for c in owners):
                expected = f"{owners[0]} {sym}"
            else:
                first = fr_first_owner.setdefault(sym, comp)
                if not _same_owner(first, comp):
                    expected = f"{first} {sym}"
            if expected:
                handled_fr.add(sym)
                findings.append(
                    Finding(
                        check=CHECK,
                        severity=Severity.ERROR,
                        message=f"Ticker {sym} is attached to {comp} in the French, but the English has {expected}.",
                        pair=b.index,
                        en_span=_span(ctx.en, b.en) if ctx.en else None,
                        fr_span=_ent_span(f),
                        expected=expected,
                        found=f"{comp} {sym}",
                    )
                )
        missing = [e for e in _unique(en_t) if _sym(e) not in fr_here | fr_near | handled_en]
        extra = [f for f in _unique(fr_t) if _sym(f) not in en_here | en_near | handled_fr]
        for e in missing:
            if extra:
                f = extra.pop(0)
                findings.append(
                    Finding(
                        check=CHECK,
                        severity=Severity.ERROR,
                        message=f"Ticker {_sym(e)} became {_sym(f)} in the French.",
                        pair=b.index,
                        en_span=_ent_span(e),
                        fr_span=_ent_span(f),
                        expected=_sym(e),
                        found=_sym(f),
                    )
                )
            else:
                findings.append(
                    Finding(
                        check=CHECK,
                        severity=Severity.WARNING,
                        message=f"Ticker {_sym(e)} is missing from the French.",
                        pair=b.index,
                        en_span=_ent_span(e),
                        fr_span=_span(ctx.fr, b.fr),
                        expected=_sym(e),
                    )
                )
        for f in extra:
            if _sym(f) in en_syms:
                continue
            findings.append(
                Finding(
                    check=CHECK,
                    severity=Severity.WARNING,
                    message=f"Ticker {_sym(f)} appears in the French but nowhere in the English article.",
                    pair=b.index,
                    en_span=_span(ctx.en, b.en) if ctx.en else None,
                    fr_span=_ent_span(f),
                    found=_sym(f),
                )
            )
    return findings


@register(CHECK)
def check_entity(ctx: CheckContext) -> Iterable[Finding]:
    """Names kept by the translation: a changed name or ticker (error), a dropped or added name (warning).

    Catches "Andy Jassy" rendered as "Jeff Bezos", "London" dropped, a person the English never mentions,
    and "Nvidia <MSFT.O>" where the English has "Nvidia <NVDA.O>". Accepts gazetteer translations
    (Londres, Fed/Réserve fédérale, U.S./américain), surnames on later mentions, possessives
    (Amazon's/d'Amazon) and transliterations; titles (CEO/PDG) and capitalised common words are ignored.
    """
    if ctx.en is None:
        return []
    gaz = load_gazetteer()
    beads = _build_beads(ctx, gaz)
    en_all = TextView(ctx.en.text)
    en_all_names = [e for b in beads for e in b.en_names]
    findings: list[Finding] = []
    for k, b in enumerate(beads):
        if not b.en or not b.fr or _CREDITS.match(b.en_view.text) or _CREDITS.match(b.fr_view.text):
            continue
        near = [beads[j] for j in (k - 1, k + 1) if 0 <= j < len(beads)]
        for f in _name_findings(ctx, b, near, gaz, en_all, en_all_names):
            if f.severity is Severity.ERROR and (_shouting(ctx.en.text, f.en_span) or _shouting(ctx.fr.text, f.fr_span)):
                # In ALL-CAPS text every word looks like an acronym: a "changed name" there is only a hint.
                f = replace(f, severity=Severity.WARNING)
            findings.append(f)
    findings.extend(_ticker_findings(ctx, beads))
    findings.sort(key=lambda f: (f.pair if f.pair is not None else -1, -f.severity.rank))
    return findings
