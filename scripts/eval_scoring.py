#!/usr/bin/env python3
"""Evaluate the risk score on synthetic corruptions of human translations, and time the scorers.

Pseudo-articles are built from consecutive lines of a WMT newstest set (English original, human
French translation, one sentence per line, one paragraph per line). Each article is scored clean
(every line a negative), then once per corruption type with two lines corrupted (the positives):

    dropped-clause, added-clause, negation, swapped-sentence, wrong-entity, changed-number,
    untranslated, truncated, dropped-sentence

A line's score is the highest risk among the aligned pairs that touch it. The report gives ROC AUC
per corruption type (positives of that type against all clean lines), and the share of each type
and of clean lines labelled check / wrong. Dumps (JSON lines: each run's aligned pairs, texts included,
then per line the pairs that touch it; under out/, git-ignored) feed scripts/train_risk.py.

Usage:
    python scripts/eval_scoring.py [--set newstest2013] [--articles 80] [--mt-model DIR] [--dump out/F.jsonl]
    python scripts/eval_scoring.py --from-dump out/F.jsonl [--model models/risk.safetensors]
    python scripts/eval_scoring.py --speed [--mt-model DIR]

Needs ../shared/data/opus-mt-testsets-eng-fra (exits with a message when it is absent).
"""

from __future__ import annotations

import argparse
import bisect
import json
import platform
import random
import re
import resource
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "opus-mt-testsets-eng-fra"
SGM = ROOT.parent / "shared" / "data" / "wmt-newstest-enfr"  # document ids and original language

TYPES = ("dropped-clause", "added-clause", "negation", "swapped-sentence", "wrong-entity", "changed-number",
         "untranslated", "truncated", "dropped-sentence")

# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------


def load_set(name: str) -> tuple[list[str], list[str]]:
    """English and French lines of one test set; exits with a message when the shared data is absent."""
    en_path, fr_path = DATA / f"{name}.eng", DATA / f"{name}.fra"
    if not en_path.is_file() or not fr_path.is_file():
        sys.exit(f"eval_scoring: {en_path} not found: this evaluation needs the shared data "
                 f"(../shared/data/opus-mt-testsets-eng-fra, see its README)")
    en = en_path.read_text(encoding="utf-8").splitlines()
    fr = fr_path.read_text(encoding="utf-8").splitlines()
    if len(en) != len(fr):
        sys.exit(f"eval_scoring: {name}: {len(en)} English lines but {len(fr)} French")
    return en, fr


def documents(name: str, n_lines: int, origins: set[str] | None) -> list[tuple[str, list[int]]]:
    """Line indices of each document of a set, with its original language, from the WMT SGM files.

    In newstest 2011-2013 most documents were written in Czech, German, Spanish or Russian and
    both the English and the French are translations of it; ``origins={"en", "fr"}`` keeps the
    documents where one side is the original and the other its translation, as in wire copy.
    Without the SGM files (or with ``origins=None``) the whole set is one run of lines.
    """

    sgm = SGM / f"{name}-src.en.sgm"
    if origins is None or not sgm.is_file():
        if origins is not None:
            print(f"eval_scoring: {sgm} not found: using every line, whatever its original language",
                  file=sys.stderr)
        return [("any", list(range(n_lines)))]
    out, line = [], 0
    for lang, body in re.findall(r'<doc[^>]*origlang="(\w+)"[^>]*>(.*?)</doc>', sgm.read_text(encoding="utf-8"),
                                 re.S):
        count = len(re.findall(r"<seg[^>]*>", body))
        if lang in origins:
            out.append((lang, list(range(line, line + count))))
        line += count
    if line != n_lines:
        sys.exit(f"eval_scoring: {sgm} has {line} segments but {name} has {n_lines} lines")
    return out


def article_lines(en: list[str], fr: list[str], n: int, lines: int, rng: random.Random,
                  docs: list[tuple[str, list[int]]]) -> list[list[int]]:
    """``n`` runs of ``lines`` consecutive usable line indices, each inside one document."""
    runs = []
    for _, idx in docs:
        ok = [i for i in idx if 20 <= len(en[i]) <= 400 and 20 <= len(fr[i]) <= 500]
        runs += [ok[s : s + lines] for s in range(0, len(ok) - lines + 1, lines)]
    rng.shuffle(runs)
    return runs[:n]


def make_articles(en: list[str], fr: list[str], n: int, lines: int, rng: random.Random,
                  docs: list[tuple[str, list[int]]]) -> list[list[tuple[str, str]]]:
    """``n`` runs of ``lines`` consecutive usable line pairs, each inside one document."""
    return [[(en[i], fr[i]) for i in run] for run in article_lines(en, fr, n, lines, rng, docs)]


# --------------------------------------------------------------------------------------------
# Corruptions: each takes (en, fr, rng, pool) and returns the corrupted French, or None when it does not apply
# --------------------------------------------------------------------------------------------

_CLAUSE_SPLIT = re.compile(r"(,\s+|;\s+|\s+(?=(?:et|mais|qui|car|tandis que|alors que|lorsque|parce que|afin de)\s))")
_FINAL = re.compile(r"[.!?…»\"]+$")
_WORDS = re.compile(r"[^\W\d_]+")


def _final_punct(text: str) -> str:
    m = _FINAL.search(text.strip())
    return m.group(0) if m else ""


def dropped_clause(en: str, fr: str, rng: random.Random, pool: "Pools") -> str | None:
    """Drop one clause (not the first) of at least four words and 20–60 % of the sentence."""
    parts = _CLAUSE_SPLIT.split(fr)
    pieces = parts[0::2]
    if len(pieces) < 2:
        return None
    total = len(fr)
    cands = [k for k in range(1, len(pieces)) if len(_WORDS.findall(pieces[k])) >= 4
             and 0.2 <= len(pieces[k]) / total <= 0.6]
    if not cands:
        return None
    k = rng.choice(cands)
    end = _final_punct(fr)
    kept = parts[: 2 * k - 1] + parts[2 * k + 1 :]
    out = "".join(kept).rstrip(" ,;")
    if end and not out.endswith(end):
        out = _FINAL.sub("", out).rstrip(" ,;") + end
    return out


def added_clause(en: str, fr: str, rng: random.Random, pool: "Pools") -> str | None:
    """Append a clause of four to fifteen words taken from another article's French."""
    for _ in range(20):
        other = rng.choice(pool.fr_lines)
        pieces = [p for p in _CLAUSE_SPLIT.split(other)[0::2] if 4 <= len(_WORDS.findall(p)) <= 15]
        if pieces:
            clause = _FINAL.sub("", rng.choice(pieces).strip())
            end = _final_punct(fr) or "."
            base = _FINAL.sub("", fr.strip()).rstrip(" ,;")
            return f"{base}, {clause[:1].lower()}{clause[1:]}{end}"
    return None


_NEG_REMOVE = re.compile(r"\b(?:ne\s+|n['’])((?:(?:en|y|se|le|la|les|lui|leur|nous|vous)\s+|[lmst]['’]|en\s+)?"
                         r"\w+(?:-\w+)*)\s+(?:pas|plus|jamais)\b", re.I)
_NEG_INF = re.compile(r"\bne\s+pas\s+", re.I)
_VERBS = ("est|sont|a|ont|peut|peuvent|doit|doivent|va|vont|fait|font|était|étaient|avait|avaient|sera|seront|"
          "serait|seraient|pourrait|pourraient|devrait|devraient|veut|veulent|faut|reste|restent|semble|semblent|"
          "sait|savent|estime|estiment|prévoit|prévoient|permet|permettent|compte|comptent|croit|croient|"
          "souhaite|souhaitent|considère|considèrent|connaît|connaissent|dispose|disposent|existe|existent")
_NEG_INSERT = re.compile(rf"\b(?:il|elle|on|ils|elles|qui|cela|ce|ça|nous|vous|je)\s+(y\s+)?({_VERBS})\b(?!-)", re.I)
_NEG_INSERT_NOUN = re.compile(rf"[a-zàâçéèêëîïôûùüÿœ]\s+()({_VERBS})\b(?![-'’])")


def negation(en: str, fr: str, rng: random.Random, pool: "Pools") -> str | None:
    """Remove a ne … pas/plus/jamais, or insert ne … pas around a finite verb."""
    m = _NEG_REMOVE.search(fr)
    if m:
        return fr[: m.start()] + m.group(1) + fr[m.end() :]
    m = _NEG_INF.search(fr)
    if m:
        return fr[: m.start()] + fr[m.end() :]
    m = _NEG_INSERT.search(fr) or _NEG_INSERT_NOUN.search(fr)
    if not m:
        return None
    y, verb = m.group(1), m.group(2)
    if y:
        rep = f"n'y {verb} pas"
    elif verb[0].lower() in "aeéèêiou":
        rep = f"n'{verb} pas"
    else:
        rep = f"ne {verb} pas"
    start = m.start(1) if y else m.start(2)
    return fr[:start] + rep + fr[m.end(2) :]


def swapped_sentence(en: str, fr: str, rng: random.Random, pool: "Pools") -> str | None:
    """Replace the French with the French of another article's sentence of similar length."""
    for _ in range(50):
        other = rng.choice(pool.fr_lines)
        if other != fr and 0.67 <= len(other) / len(fr) <= 1.5:
            return other
    return None


_NAME = re.compile(r"(?<=[\s(«\"'’])([A-Z][a-zà-ÿ]+(?:[- ][A-Z][a-zà-ÿ]+)*)")


def wrong_entity(en: str, fr: str, rng: random.Random, pool: "Pools") -> str | None:
    """Replace a name present in both languages with a name from another article."""
    names = [m for m in _NAME.finditer(fr) if m.group(1) in en and len(m.group(1)) >= 3]
    if not names:
        return None
    m = rng.choice(names)
    for _ in range(20):
        other = rng.choice(pool.names)
        if other != m.group(1) and other not in en:
            return fr[: m.start(1)] + other + fr[m.end(1) :]
    return None


_NUMBER = re.compile(r"\d+(?:[.,\u202f\u00a0 ]\d+)*")


def changed_number(en: str, fr: str, rng: random.Random, pool: "Pools") -> str | None:
    """Change one digit of a number that the English also has."""
    en_digits = {re.sub(r"\D", "", m.group(0)) for m in _NUMBER.finditer(en)}
    nums = [m for m in _NUMBER.finditer(fr) if re.sub(r"\D", "", m.group(0)) in en_digits]
    if not nums:
        return None
    m = rng.choice(nums)
    text = m.group(0)
    positions = [i for i, c in enumerate(text) if c.isdigit()]
    i = rng.choice(positions)
    choices = [d for d in "0123456789" if d != text[i] and not (d == "0" and i == positions[0])]
    new = text[:i] + rng.choice(choices) + text[i + 1 :]
    return fr[: m.start()] + new + fr[m.end() :]


def untranslated(en: str, fr: str, rng: random.Random, pool: "Pools") -> str | None:
    """Leave the English in place of the French."""
    return en


def truncated(en: str, fr: str, rng: random.Random, pool: "Pools") -> str | None:
    """Cut the French at a word boundary between 40 and 70 % of its length."""
    words = fr.split()
    if len(words) < 6:
        return None
    cut = max(2, int(len(words) * rng.uniform(0.4, 0.7)))
    return " ".join(words[:cut])


CORRUPT = {
    "dropped-clause": dropped_clause, "added-clause": added_clause, "negation": negation,
    "swapped-sentence": swapped_sentence, "wrong-entity": wrong_entity, "changed-number": changed_number,
    "untranslated": untranslated, "truncated": truncated, "dropped-sentence": lambda en, fr, rng, pool: "",
}


@dataclass
class Pools:
    """Material drawn from the whole set: French lines and names (for swaps and replacements)."""

    fr_lines: list[str]
    names: list[str]


def make_pools(en: list[str], fr: list[str]) -> Pools:
    """French lines and names (capitalised words found in both languages) of a test set."""
    names = sorted({m.group(1) for e, f in zip(en, fr) for m in _NAME.finditer(f) if m.group(1) in e
                    and len(m.group(1)) >= 3})
    return Pools([f for f in fr if 30 <= len(f) <= 400], names)


# --------------------------------------------------------------------------------------------
# Running the pipeline
# --------------------------------------------------------------------------------------------


@dataclass
class Item:
    """One line of one run: its label, corruption type, the pairs that touch it and the whole run's pairs.

    ``pairs`` are rows of ``context`` (the same dicts): article-level features (a pair's length ratio
    against the article's own, its similarity against the article's) need every pair of the run.
    """

    type: str  # "clean" or a corruption type
    label: int
    article: int
    line: int
    pairs: list[dict] = field(default_factory=list)  # texts, similarity, ratio, findings, bt_chrf, risk
    context: list[dict] = field(default_factory=list)  # every pair of the run, in alignment order
    source: str = ""  # the test set the article comes from (to train on one year and choose on another)


def _line_of(starts: list[int], offset: int) -> int:
    return bisect.bisect_right(starts, offset) - 1


def run_article(lines: list[tuple[str, str]], encoder, config, lines_to_check: list[int] | None = None):
    """Score one pseudo-article; returns, per line, the features of the pairs that touch it."""
    from mtcheck.pipeline import score_pair

    en_text, fr_text = "\n\n".join(e for e, _ in lines), "\n\n".join(f for _, f in lines if f)
    en_starts, fr_starts, pos_e, pos_f = [], [], 0, 0
    for e, f in lines:
        en_starts.append(pos_e)
        pos_e += len(e) + 2
        fr_starts.append(pos_f if f else -1)
        if f:
            pos_f += len(f) + 2
    fr_map = [(s, k) for k, s in enumerate(fr_starts) if s >= 0]
    result = score_pair(fr_text, en_text, config=config, encoder=encoder)
    by_pair: dict[int, list] = {}
    for f in result.findings:
        if f.pair is not None:
            by_pair.setdefault(f.pair, []).append(f)
    touching: dict[int, list[dict]] = {k: [] for k in range(len(lines))}
    rows = []
    for p in result.pairs:
        hit = {_line_of(en_starts, result.en_sentences[i].start) for i in p.en}
        for j in p.fr:
            start = result.fr_sentences[j].start
            idx = bisect.bisect_right([s for s, _ in fr_map], start) - 1
            hit.add(fr_map[idx][1])
        row = {"en": p.en_text, "fr": p.fr_text, "ne": len(p.en), "nf": len(p.fr), "sim": p.similarity,
               "en_s": [result.en_sentences[i].text for i in p.en], "fr_s": [result.fr_sentences[j].text for j in p.fr],
               "ratio": p.length_ratio, "findings": [[f.check, f.severity.value] for f in by_pair.get(p.index, [])],
               "risk": p.scores.get("risk")}
        if "bt_chrf" in p.scores:
            row["bt_chrf"] = p.scores["bt_chrf"]
        rows.append(row)
        for k in hit:
            touching[k].append(row)
    return touching, result, rows


def collect(set_names: list[str], n_articles: int, lines: int, seed: int, mt_model: str | None, quiet: bool,
            origins: set[str] | None = None, dump: Path | None = None) -> list[Item]:
    """Clean and corrupted runs over ``n_articles`` pseudo-articles drawn from the sets."""
    from mtcheck.config import Config
    from mtcheck.encoder import CachedEncoder, USEEncoder

    rng = random.Random(seed)
    en, fr, docs, starts = [], [], [], []
    for name in set_names:
        e, f = load_set(name)
        docs += [(lang, [i + len(en) for i in idx]) for lang, idx in documents(name, len(e), origins)]
        starts.append(len(en))
        en += e
        fr += f
    pools = make_pools(en, fr)
    runs = article_lines(en, fr, n_articles, lines, rng, docs)
    articles = [[(en[i], fr[i]) for i in run] for run in runs]
    sources = [set_names[bisect.bisect_right(starts, run[0]) - 1] for run in runs]
    set_name = "+".join(set_names)
    encoder = CachedEncoder(USEEncoder(threads=1))  # one thread: far faster than two on shared, busy cores
    config = Config(mt_model=mt_model)
    from mtcheck.errors import InputError

    items: list[Item] = []
    skipped: list[str] = []
    t0 = time.perf_counter()
    if dump:  # written article by article, so a long run can be stopped and its dump still used
        dump.parent.mkdir(parents=True, exist_ok=True)
        dump.write_text("", encoding="utf-8")
    for a, art in enumerate(articles):
        done = len(items)
        touching, _, rows = run_article(art, encoder, config)
        runs = [rows]
        items += [Item("clean", 0, a, k, touching[k], rows, sources[a]) for k in range(lines)]
        for ctype in TYPES:
            order = list(range(lines))
            rng.shuffle(order)
            chosen: list[int] = []
            corrupted = list(art)
            for k in order:
                if len(chosen) == 2:
                    break
                if any(abs(k - c) < 3 for c in chosen):
                    continue  # corruptions two lines apart, so each keeps its own pairs
                new = CORRUPT[ctype](art[k][0], art[k][1], rng, pools)
                if new is None or new == art[k][1]:
                    continue
                corrupted[k] = (art[k][0], new)
                chosen.append(k)
            if not chosen:
                continue
            try:
                touching, _, rows = run_article(corrupted, encoder, config)
            except InputError as exc:  # e.g. two English lines out of eight: ingest calls the article English
                skipped.append(f"article {a} {ctype}: {exc}")
                continue
            runs.append(rows)
            items += [Item(ctype, 1, a, k, touching[k], rows, sources[a]) for k in chosen]
        if dump:
            with open(dump, "a", encoding="utf-8") as fh:
                write_dump(fh, items[done:], runs, a)
        if not quiet:
            print(f"\r{set_name}: article {a + 1}/{len(articles)}  {time.perf_counter() - t0:.0f}s",
                  end="", file=sys.stderr, flush=True)
    if not quiet:
        print(file=sys.stderr)
    for line in skipped:
        print(f"eval_scoring: skipped {line}", file=sys.stderr)
    return items


def write_dump(fh, items: list[Item], runs: list[list[dict]], article: int) -> None:
    """One article's runs (every pair, once) then its items (pair indices into their run), as JSON lines."""
    keys = {}
    for r, rows in enumerate(runs):
        keys[id(rows)] = f"{article}.{r}"
        fh.write(json.dumps({"run": keys[id(rows)], "pairs": rows}, ensure_ascii=False) + "\n")
    for it in items:
        index = {id(row): i for i, row in enumerate(it.context)}
        fh.write(json.dumps({"type": it.type, "label": it.label, "article": it.article, "line": it.line,
                             "source": it.source, "run": keys[id(it.context)],
                             "pairs": [index[id(row)] for row in it.pairs]}, ensure_ascii=False) + "\n")


def load_items(path: Path) -> list[Item]:
    """Read a dump written by ``--dump``: the pairs of every run, and per line the pairs touching it.

    Dumps hold pair texts, sentences, similarity, length ratio and findings, so features can be
    recomputed when they change; they stay under out/ (git-ignored): shared data never enters the repository.
    """
    if not path.is_file():
        sys.exit(f"{path}: not found: run scripts/eval_scoring.py --dump {path} first")
    runs: dict[str, list[dict]] = {}
    items = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if "run" in rec and "type" not in rec:
                runs[rec["run"]] = rec["pairs"]
            elif "run" in rec:
                rows = runs[rec.pop("run")]
                rec["pairs"] = [rows[i] for i in rec["pairs"]]
                items.append(Item(**rec, context=rows))
            else:  # an old dump, without the runs: no article context
                items.append(Item(**rec, context=list(rec["pairs"])))
    return items


def raw_pair(row: dict):
    """The AlignedPair and findings a dump row describes."""
    from mtcheck.records import AlignedPair, Finding, Severity

    p = AlignedPair(0, list(range(row["ne"])), list(range(row["nf"])), row["en"], row["fr"],
                    similarity=row["sim"], length_ratio=row["ratio"])
    if "bt_chrf" in row:
        p.scores["bt_chrf"] = row["bt_chrf"]
    return p, [Finding(c, Severity(s), "", pair=0) for c, s in row["findings"]]


def features(items: list[Item], use_bt: bool = True) -> "list":
    """Per item, the (pairs, features) matrix under the current feature definitions, and bt_chrf per pair."""
    import numpy as np

    from mtcheck.risk import FEATURES, pair_features

    out = []
    for it in items:
        rows, bts = [], []
        for r in it.pairs:
            p, fs = raw_pair(r)
            f = pair_features(p, fs, r.get("en_s"), r.get("fr_s"))
            rows.append([f[k] for k in FEATURES])
            bts.append(r.get("bt_chrf", np.nan) if use_bt else np.nan)
        out.append((np.array(rows, dtype=float).reshape(-1, len(FEATURES)), np.array(bts, dtype=float)))
    return out


# --------------------------------------------------------------------------------------------
# Scoring items with a model, and ROC AUC
# --------------------------------------------------------------------------------------------


def item_scores(feats: list, model) -> "list[float]":
    """Each item's score: the highest risk, under ``model``, of the pairs that touch its line."""
    from mtcheck.risk import risks_of

    return [float(risks_of(model, x, bt).max()) if len(x) else 0.0 for x, bt in feats]


def roc_auc(pos: list[float], neg: list[float]) -> float:
    """Probability that a positive outscores a negative (ties count half)."""
    import numpy as np

    if not pos or not neg:
        return float("nan")
    allv = np.concatenate([np.asarray(pos), np.asarray(neg)])
    ranks = _rankdata(allv)
    r_pos = ranks[: len(pos)].sum()
    return float((r_pos - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def _rankdata(a):
    import numpy as np

    order = np.argsort(a, kind="mergesort")
    ranks = np.empty(len(a), dtype=float)
    sorted_a = a[order]
    i = 0
    while i < len(a):
        j = i
        while j + 1 < len(a) and sorted_a[j + 1] == sorted_a[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def auc_table(items: list[Item], models: dict, use_bt: bool = True) -> str:
    """Markdown table: per corruption type, n, AUC under each model, and share labelled check / wrong."""
    from mtcheck.risk import RISK_CHECK, RISK_WRONG

    feats = features(items, use_bt)
    scored = {name: item_scores(feats, m) for name, m in models.items()}
    last = list(models)[-1]
    head = "| corruption | n | " + " | ".join(f"AUC {n}" for n in models) + \
        f" | ≥ check ({last}) | wrong ({last}) |"
    rows = [head, "|" + "---|" * (3 + len(models) + 1)]
    clean_idx = [i for i, it in enumerate(items) if it.type == "clean"]
    for t in TYPES + ("all",):
        idx = [i for i, it in enumerate(items) if (it.type == t or t == "all" and it.label == 1)]
        if not idx:
            continue
        aucs = [roc_auc([s[i] for i in idx], [s[i] for i in clean_idx]) for s in scored.values()]
        s = scored[last]
        chk = sum(s[i] >= RISK_CHECK for i in idx) / len(idx)
        wrong = sum(s[i] >= RISK_WRONG for i in idx) / len(idx)
        rows.append(f"| {t} | {len(idx)} | " + " | ".join(f"{a:.3f}" for a in aucs) + f" | {chk:.0%} | {wrong:.0%} |")
    s = scored[last]
    chk = sum(s[i] >= RISK_CHECK for i in clean_idx) / len(clean_idx)
    wrong = sum(s[i] >= RISK_WRONG for i in clean_idx) / len(clean_idx)
    rows.append(f"| clean lines (false alarms) | {len(clean_idx)} | " + " | ".join("" for _ in models)
                + f" | {chk:.1%} | {wrong:.1%} |")
    return "\n".join(rows)


# --------------------------------------------------------------------------------------------
# Speed
# --------------------------------------------------------------------------------------------


def speed(set_name: str, n_articles: int, lines: int, mt_model: str | None) -> str:
    """Pairs per second: whole default pipeline, the score + risk stages alone, and back-translation."""
    from mtcheck.encoder import CachedEncoder, USEEncoder
    from mtcheck.pipeline import score_pair
    from mtcheck.risk import apply_risk

    en, fr = load_set(set_name)
    articles = make_articles(en, fr, n_articles, lines, random.Random(1), documents(set_name, len(en), {"en", "fr"}))
    encoder = CachedEncoder(USEEncoder(threads=1))
    score_pair("Le marché a reculé lundi.", "The market fell on Monday.", encoder=encoder)  # load models once
    out = []
    n, t_all, t_stage, t_risk, results = 0, 0.0, 0.0, 0.0, []
    for art in articles:
        t = time.perf_counter()
        r = score_pair("\n\n".join(f for _, f in art), "\n\n".join(e for e, _ in art), encoder=encoder)
        t_all += time.perf_counter() - t
        n += len(r.pairs)
        t_stage += r.timings.get("score", 0.0) + r.timings.get("risk", 0.0)
        results.append(r)
    # Risk alone, repeated on the same pairs: the cost the default path adds per pair.
    t = time.perf_counter()
    for _ in range(5):
        for r in results:
            apply_risk(r.pairs, r.findings, r.scores)
    t_risk = (time.perf_counter() - t) / 5
    out.append(f"| default pipeline, end to end (ingest → risk, fresh sentences) | {n} | {n / t_all:.1f} |")
    out.append(f"| score + risk stages of the default pipeline | {n} | {n / t_stage:.0f} |")
    out.append(f"| risk alone (features + logistic model, 5 repeats) | {n} | {n / t_risk:.0f} |")
    if mt_model:
        from mtcheck.backtranslate import BackTranslator, score_back_translation

        bt = BackTranslator(mt_model, use_cache=False, threads=1)
        bt.translate(["Bonjour."])
        t = time.perf_counter()
        m = 0
        for r in results:
            score_back_translation(r.pairs, bt, [s.text for s in r.fr_sentences])
            m += sum(1 for p in r.pairs if p.en and p.fr)
        dt = time.perf_counter() - t
        out.append(f"| back-translation + sacrebleu, {bt.name}, no cache, 1 thread | {m} | {m / dt:.1f} |")
        bt2 = BackTranslator(mt_model, use_cache=True, cache_dir=Path("out") / "bt-cache", threads=1)
        for r in results:
            score_back_translation(r.pairs, bt2, [s.text for s in r.fr_sentences])
        t = time.perf_counter()
        for r in results:
            score_back_translation(r.pairs, bt2, [s.text for s in r.fr_sentences])
        dt = time.perf_counter() - t
        out.append(f"| back-translation + sacrebleu, {bt.name}, all cached | {m} | {m / dt:.0f} |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    table = "\n".join(["| path | aligned pairs | pairs / s |", "|---|---|---|", *out])
    return table + f"\n\nPeak memory (RSS): {peak:.0f} MiB"


def machine() -> str:
    """One line about the machine, for the report."""
    import os

    load = os.getloadavg()
    return (f"{platform.machine()}, {os.cpu_count()} CPU cores, Python {platform.python_version()}, "
            f"load average {load[0]:.1f} during the run")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", default="newstest2013",
                    help="Test set(s) in opus-mt-testsets-eng-fra, comma-separated (default newstest2013).")
    ap.add_argument("--origin", default="en,fr",
                    help="Original languages of the documents to use (WMT SGM metadata), or 'any' (default en,fr).")
    ap.add_argument("--articles", type=int, default=80)
    ap.add_argument("--lines", type=int, default=8, help="Lines (sentences) per pseudo-article.")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--mt-model", help="A MarianMT fr-en model directory: adds back-translation.")
    ap.add_argument("--dump", type=Path, help="Save the features of every item here (JSON lines).")
    ap.add_argument("--from-dump", type=Path, help="Evaluate saved features instead of running the pipeline.")
    ap.add_argument("--model", type=Path, help="Risk model to evaluate (default: models/risk.safetensors).")
    ap.add_argument("--speed", action="store_true", help="Time the scorers instead.")
    ap.add_argument("--no-bt", action="store_true", help="Leave the back-translation term out of the risk.")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()

    from mtcheck.risk import hand_model, load_model

    if args.speed:
        print(speed(args.set, min(args.articles, 20), args.lines, args.mt_model))
        print(f"\n{machine()}")
        return
    if args.from_dump:
        items = load_items(args.from_dump)
    else:
        origins = None if args.origin == "any" else set(args.origin.split(","))
        items = collect(args.set.split(","), args.articles, args.lines, args.seed, args.mt_model, args.quiet, origins,
                        args.dump)
    models = {"hand": hand_model()}
    trained = load_model(args.model)
    if trained.name != "hand":
        models[trained.name] = trained
    print(auc_table(items, models, use_bt=not args.no_bt))
    print(f"\n{machine()}")


if __name__ == "__main__":
    main()
