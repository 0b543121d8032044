"""Risk: one number in [0, 1] per aligned pair saying how likely the French is wrong, with a label.

The risk combines what ran: cross-lingual similarity, length ratio (against the usual spread of
human translations at that length), the bead's shape (omission, addition, merge), surface copy of
the English (untranslated text), a negation-count mismatch, clause punctuation, English figures and
names missing from the French, the share of cognates and names found on each side, the findings on
the pair by severity, and the back-translation chrF when a MT model ran.

- ``pair.scores["risk"]``: the risk, the model's probability that the pair is corrupted;
- ``pair.scores["risk_level"]``: 0 ``ok`` (risk < 0.5), 1 ``check`` (0.5 ≤ risk < 0.8), 2 ``wrong``
  (risk ≥ 0.8); :func:`risk_label` gives the word, ``LABELS[level]`` too;
- a pair with an error finding is always ``wrong`` (risk ≥ 0.8);
- ``ArticleScores.extra["risk"]``: the highest pair risk (the article is as risky as its worst
  sentence), with ``risk_mean``, ``risk_check`` and ``risk_wrong`` (pairs at each label).

The model comes from ``models/risk.safetensors`` (``mtcheck/data/risk.safetensors`` in a wheel),
trained by ``scripts/train_risk.py`` on synthetic corruptions of human translations (WMT newstest):
a logistic regression, or a small network with one hidden layer, both with weights ≥ 0 so that more
evidence never lowers the risk. Without that file, hand-set logistic weights are used. The
back-translation term is hand-set (no real MT model was available to calibrate it): see
``docs/benchmarks-scoring.md``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import MtcheckError
from .models import data_file
from .records import AlignedPair, ArticleScores, Finding

RISK_CHECK = 0.5  # at or above: "check"
RISK_WRONG = 0.8  # at or above: "wrong"
LABELS = ("ok", "check", "wrong")
MODEL_PATH = data_file("risk.safetensors")  # models/risk.safetensors; in a wheel, mtcheck/data/risk.safetensors
EXPECTED_RATIO = 1.13  # French characters per English character in human news translation (newstest 2011-13 median)
# Spread (standard deviation of the log ratio) of human translations by English length L in characters:
# sqrt(RATIO_VAR_FLOOR + RATIO_VAR_LEN / L), fitted on newstest 2011-12 (0.20 at 40 characters, 0.12 at 200).
RATIO_VAR_FLOOR = 0.0072
RATIO_VAR_LEN = 1.39
# Back-translation term, hand-set: logit += BT_WEIGHT * (BT_PIVOT - chrF/100).
BT_WEIGHT = 4.0
BT_PIVOT = 0.45

FEATURES = (
    "dissim",  # 1 - cosine similarity (0 for beads with one side empty: "gap" speaks for those)
    "len_short",  # log(EXPECTED_RATIO / ratio), when the French is shorter than expected
    "len_long",  # log(ratio / EXPECTED_RATIO), when longer
    "gap",  # a substantial 1-0 or 0-1 bead (an omission or addition)
    "merge",  # a bead of more than two sentences (1-2, 2-1...)
    "sub_short",  # in a 2-2 (n-n) bead, the worst "len_short" of its sentence-by-sentence pairs
    "sub_long",  # idem, "len_long": a merged bead must not hide a cut or padded sentence
    "copy",  # share of the French words found in the English: English left in the French
    "negation",  # |negations in English - negations in French|, capped at 2 (without / sans left out)
    "errors",  # error findings on the pair, capped at 3
    "warnings",  # warning findings, capped at 3
    "infos",  # info findings, capped at 3
    "untranslated",  # an untranslated finding on the pair
    "figure",  # figure or conversion findings, capped at 3
    "entity",  # entity findings, capped at 3
    "short_z",  # len_short in units of the usual spread of human ratios at this English length
    "long_z",  # idem, len_long (a short sentence's ratio varies twice as much as a long one's)
    "punct_less",  # clause punctuation (, ; : parentheses, dashes) the English has more of, capped at 3
    "punct_more",  # clause punctuation the French has more of, capped at 3
    "anchor_miss",  # English figures and names (capitalised words) not found in the French, capped at 3
    "ngram_gap",  # share of French 4-grams found in the English minus share of English ones in the French
)
_CHECK_FEATURE = {"untranslated": "untranslated", "figure": "figure", "conversion": "figure", "entity": "entity"}

# Hand-set weights: the fallback when models/risk.safetensors is missing (features not named here: 0).
HAND_WEIGHTS = {
    "dissim": 9.0, "len_short": 5.0, "len_long": 4.0, "gap": 8.0, "merge": 0.5, "sub_short": 2.0, "sub_long": 2.0,
    "copy": 6.0, "negation": 2.5, "errors": 5.5, "warnings": 1.5, "infos": 0.3, "untranslated": 2.0,
    "figure": 0.5, "entity": 0.5,
}
HAND_BIAS = -5.5

_WORD = re.compile(r"[^\W\d_]{2,}")
_EN_NEG = re.compile(r"\b(?:not|no|never|nothing|nobody|none|neither|nor|cannot)\b|n['’]t\b", re.I)
_FR_TOKEN = re.compile(r"[^\W\d_]+(?:['’])?|[.,;:!?()«»\"]", re.U)
_FR_NEG_WORDS = {"pas", "plus", "jamais", "rien", "personne", "aucun", "aucune", "nul", "nulle", "guère", "point",
                 "ni", "nullement"}
_FR_NEG_SUBJECTS = {"aucun", "aucune", "personne", "rien", "nul", "nulle", "jamais", "ni"}
_FR_LONE_NEG = {"non", "jamais", "aucun", "aucune", "rien", "pas", "nullement"}
# "sans" (without) is left out on both sides: it is also the French for English "-less" and "un-" words
# (sans contact: contactless, sans doute: undoubtedly, sans précédent: unprecedented).
_FR_PUNCT = set(".,;:!?()«»\"")
_FR_PAS_NOUN = {"un", "le", "du", "au", "ce", "cet", "son", "ses", "mon", "ton", "nos", "vos", "leur", "leurs", "les",
                "des", "deux", "quelques", "premier", "premiers", "faux", "grand", "grands", "petit", "petits",
                "même", "chaque", "mauvais", "nouveau"}


def risk_label(risk: float) -> str:
    """``ok``, ``check`` or ``wrong`` for a risk (for a stored ``risk_level``: ``LABELS[int(level)]``)."""
    return LABELS[risk_level(risk)]


def risk_level(value: float) -> int:
    """0 ok, 1 check, 2 wrong."""
    return 2 if value >= RISK_WRONG else 1 if value >= RISK_CHECK else 0


def english_negations(text: str) -> int:
    """Negation markers in English: not, n't, no, never, nothing, nobody, none, neither, nor, cannot."""
    return len(_EN_NEG.findall(text))


def french_negations(text: str) -> int:
    """Negations in French: each ne/n' with its pas, plus, jamais, rien, aucun... (not the restrictive
    ne ... que or ne ... plus que, not an expletive ne), and lone non, jamais, rien, aucun, pas (not
    "non" as a prefix, "plus que jamais" or the noun "un pas"); ``sans`` is not counted."""
    tokens = [t.lower().rstrip("'’") for t in _FR_TOKEN.findall(text)]
    used = [False] * len(tokens)
    count = 0
    for i, tok in enumerate(tokens):
        if tok not in ("ne", "n"):
            continue
        partner = next((j for j in range(i + 1, min(len(tokens), i + 6))
                        if tokens[j] in _FR_NEG_WORDS and not used[j]), None)
        if partner is None:  # "aucun responsable n'a...", "personne ne sait"
            partner = next((j for j in range(i - 1, max(-1, i - 7), -1)
                            if tokens[j] in _FR_NEG_SUBJECTS and not used[j]), None)
        if partner is not None:
            used[partner] = True
            # "il n'attend plus que le feu vert": ne ... plus que is restrictive ("only"), as ne ... que is
            restrictive = tokens[partner] == "plus" and partner + 1 < len(tokens) and tokens[partner + 1] == "que"
            count += not restrictive
    for i, tok in enumerate(tokens):
        if tok not in _FR_LONE_NEG or used[i]:
            continue
        after = tokens[i + 1] if i + 1 < len(tokens) else "."
        before = tokens[i - 1] if i else "."
        # "non plus" is "either"; "non" before a word is a prefix ("non loin", "non conventionnelles",
        # "non sans ironie"), as English "un-" is; "non seulement" is "not only"
        if tok == "non" and after not in _FR_PUNCT and after != "seulement":
            continue
        if tok == "jamais" and before == "que":  # "plus que jamais": "than ever"
            continue
        if tok == "pas" and before in _FR_PAS_NOUN:  # "un premier faux pas", "à deux pas": a step
            continue
        count += 1
    return count


def negation_mismatch(en_text: str, fr_text: str) -> int:
    """How many more negations one side has than the other, capped at 2 (without and sans left out)."""
    return min(2, abs(english_negations(en_text) - french_negations(fr_text)))


def _substantial(text: str) -> bool:
    return len(text) >= 25 and len(_WORD.findall(text)) >= 4


def copied_share(en_text: str, fr_text: str) -> float:
    """Share of the French words (two letters or more, any case) that the English also has.

    Near 1 for English left untranslated, about 0.1-0.3 for a translation (names, cognates); a set
    intersection is ~20x cheaper than a sentence chrF, which matters at hundreds of pairs a second.
    """
    fr_words = [w.lower() for w in _WORD.findall(fr_text)]
    if not fr_words:
        return 0.0
    en_words = {w.lower() for w in _WORD.findall(en_text)}
    return sum(1 for w in fr_words if w in en_words) / len(fr_words)


def _len_dev(en_text: str, fr_text: str, ratio: float | None = None) -> tuple[float, float]:
    """How much shorter and how much longer (log scale) the French is than a translation usually is."""
    ratio = max(ratio or len(fr_text) / max(1, len(en_text)), 1e-3)
    return max(0.0, math.log(EXPECTED_RATIO / ratio)), max(0.0, math.log(ratio / EXPECTED_RATIO))


def ratio_spread(en_chars: int) -> float:
    """The usual spread of log(French/English length) of a human translation of an English text this long."""
    return math.sqrt(RATIO_VAR_FLOOR + RATIO_VAR_LEN / max(20, en_chars))


_CLAUSE_PUNCT = re.compile(r"[,;:()\u2013\u2014]")
_NON_DIGIT = re.compile(r"\D")
# Capitalised in English, not names: days and months (looked for in French), titles and "I" (skipped).
_EN_CALENDAR = dict(zip(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december".split(),
    "lundi mardi mercredi jeudi vendredi samedi dimanche janvier fevrier mars avril mai juin juillet aout "
    "septembre octobre novembre decembre".split()))
_EN_NOT_NAMES = {"mr", "mrs", "ms", "dr", "i", "prof", "st", "jr", "sr"}
_UPPER_WORD = re.compile(r"\b[A-Z]{2,6}\b")


def _fold(text: str) -> str:
    """Lower case without accents: "Élysée" → "elysee"."""
    return unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode("ascii")


def missing_anchors(en_text: str, fr_text: str) -> int:
    """English figures and capitalised words (not sentence-initial) that the French does not have.

    Figures are compared as digit strings ("7.5m" and "7,5 millions" both read 75); names by their
    first four letters, accents and case aside, anywhere in the French ("Europe" is found in
    "européenne"; a transliteration such as Lukashenko / Loukachenko is a miss); acronyms also by
    their letters in any order (ECB / BCE); days and months by their French names; Mr, Dr... are skipped.
    """
    fr_digits = _NON_DIGIT.sub("", fr_text)
    fr_folded = _fold(fr_text).replace(" ", "")
    fr_acronyms = {"".join(sorted(a)) for a in _UPPER_WORD.findall(fr_text)}
    missed, seen = 0, set()
    words = en_text.split()
    for k, raw in enumerate(words):
        w = raw.strip("\"'“”‘’«»()[],.;:!?").removesuffix("'s").removesuffix("’s")
        if not w or w in seen:
            continue
        seen.add(w)
        if any(c.isdigit() for c in w):
            digits = _NON_DIGIT.sub("", w)
            missed += bool(digits) and digits not in fr_digits
        elif (w[0].isupper() and len(w) > 1 and k > 0 and not words[k - 1].endswith((".", "!", "?", ":", "\""))
              and w.lower() != w and w.lower() not in _EN_NOT_NAMES):
            folded = _fold(w)
            if folded in _EN_CALENDAR:
                missed += _EN_CALENDAR[folded] not in fr_folded
            elif w.isupper() and "".join(sorted(w)) in fr_acronyms:  # ECB / BCE, EU / UE, IMF / FMI
                continue
            else:
                missed += folded[:4] not in fr_folded
    return missed


def _grams(text: str, n: int = 4) -> list[str]:
    t = " ".join(_fold(text).split())
    return [t[i : i + n] for i in range(len(t) - n + 1)]


def ngram_gap(en_text: str, fr_text: str) -> float:
    """How much more of the French is found in the English than of the English in the French (4-grams).

    Names, figures and cognates make up the shared grams; when the French leaves part of the English
    out, the English's share found in the French drops and the French's does not.
    """
    en, fr = _grams(en_text), _grams(fr_text)
    if not en or not fr:
        return 0.0
    en_set, fr_set = set(en), set(fr)
    found_en = sum(1 for g in en if g in fr_set) / len(en)
    found_fr = sum(1 for g in fr if g in en_set) / len(fr)
    return max(0.0, found_fr - found_en)


def pair_features(pair: AlignedPair, findings: list[Finding] = (), en_sentences: list[str] | None = None,
                  fr_sentences: list[str] | None = None) -> dict[str, float]:
    """The features of one pair (see :data:`FEATURES`), from its scores and the findings that point at it.

    ``en_sentences`` and ``fr_sentences`` are the texts of the pair's own sentences; with them, an
    n-n bead is also compared sentence by sentence.
    """
    both = bool(pair.en) and bool(pair.fr)
    f = dict.fromkeys(FEATURES, 0.0)
    if both:
        en, fr = pair.en_text, pair.fr_text
        sim = pair.similarity if pair.similarity is not None else 0.5
        f["dissim"] = float(min(1.0, max(0.0, 1.0 - sim)))
        f["len_short"], f["len_long"] = _len_dev(en, fr, pair.length_ratio)
        spread = ratio_spread(len(en))
        f["short_z"], f["long_z"] = f["len_short"] / spread, f["len_long"] / spread
        f["merge"] = float(len(pair.en) + len(pair.fr) > 2)
        if en_sentences and fr_sentences and len(en_sentences) == len(fr_sentences) > 1:
            devs = [_len_dev(e, f_) for e, f_ in zip(en_sentences, fr_sentences)]
            f["sub_short"] = max(d[0] for d in devs)
            f["sub_long"] = max(d[1] for d in devs)
        f["copy"] = copied_share(en, fr)
        f["negation"] = float(negation_mismatch(en, fr))
        punct = len(_CLAUSE_PUNCT.findall(en)) - len(_CLAUSE_PUNCT.findall(fr))
        f["punct_less"], f["punct_more"] = float(min(3, max(0, punct))), float(min(3, max(0, -punct)))
        f["anchor_miss"] = float(min(3, missing_anchors(en, fr)))
        f["ngram_gap"] = ngram_gap(en, fr)
    else:  # one side empty: no similarity to speak of; a dateline or credit is no omission
        f["gap"] = float(_substantial(pair.en_text or pair.fr_text))
    for finding in findings:
        for key in ({"error": "errors", "warning": "warnings", "info": "infos"}[finding.severity.value],
                    _CHECK_FEATURE.get(finding.check)):
            if key:
                f[key] = min(3.0 if key != "untranslated" else 1.0, f[key] + 1.0)
    return f


@dataclass
class RiskModel:
    """risk = sigmoid(w · h + b), with h = x (logistic regression) or one hidden layer h = softplus(W x + c).

    ``x`` is a row of :data:`FEATURES`, standardised with ``mean`` and ``scale`` when given. Trained
    weights (``weights``, ``hidden_weight``) are ≥ 0 and softplus is increasing, so no feature can lower
    the risk when it grows.
    """

    weights: np.ndarray
    bias: float
    name: str = "hand"
    mean: np.ndarray | None = None  # features are standardised with these when given
    scale: np.ndarray | None = None
    hidden_weight: np.ndarray | None = None  # (units, len(FEATURES)): a hidden layer, when present
    hidden_bias: np.ndarray | None = None  # (units,)

    @property
    def kind(self) -> str:
        """``logistic`` or ``mlp-<units>``."""
        return "logistic" if self.hidden_weight is None else f"mlp-{len(self.hidden_weight)}"

    def logit(self, x: np.ndarray) -> np.ndarray:
        """Raw scores of an (n, len(FEATURES)) feature matrix."""
        if self.mean is not None and self.scale is not None:
            x = (x - self.mean) / self.scale
        if self.hidden_weight is not None:
            x = np.logaddexp(0.0, x @ self.hidden_weight.T + self.hidden_bias)  # softplus
        return x @ self.weights + self.bias

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Risks in [0, 1] of an (n, len(FEATURES)) feature matrix."""
        return sigmoid(self.logit(x))


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function, without overflow for large logits."""
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def risks_of(model: "RiskModel", x: np.ndarray, bt_chrf: np.ndarray | None = None) -> np.ndarray:
    """Risks of a feature matrix: the model, the back-translation term where chrF is known, the error floor.

    A pair with an error finding is always ``wrong``: a linear model pooled over every kind of
    corruption would rate a lone changed figure at ~0.65, but the figure check's errors are precise
    (96 % of changed numbers, 2 % of clean lines in the calibration data).
    """
    logits = model.logit(x)
    if bt_chrf is not None:
        known = ~np.isnan(bt_chrf)
        logits = logits + np.where(known, BT_WEIGHT * (BT_PIVOT - np.nan_to_num(bt_chrf) / 100.0), 0.0)
    risks = sigmoid(logits)
    errors = x[:, FEATURES.index("errors")] > 0
    return np.where(errors, np.maximum(risks, RISK_WRONG + (1.0 - RISK_WRONG) * risks), risks)


def hand_model() -> RiskModel:
    """The hand-set weights."""
    return RiskModel(np.array([HAND_WEIGHTS.get(k, 0.0) for k in FEATURES], dtype=np.float64), HAND_BIAS, "hand")


def load_model(path: str | Path | None = None) -> RiskModel:
    """The trained model from ``models/risk.safetensors`` (numpy, no torch, no pickle); hand weights when absent.

    In a wheel the file is ``mtcheck/data/risk.safetensors`` (see :func:`mtcheck.models.data_file`).
    """
    path = Path(path) if path else MODEL_PATH
    if not path.is_file():
        return hand_model()
    return _load_model(str(path))


@lru_cache(maxsize=4)
def _load_model(path: str) -> RiskModel:
    from safetensors import safe_open

    with safe_open(path, framework="numpy") as fh:
        meta = fh.metadata() or {}
        names = tuple(meta.get("features", "").split(","))
        if names != FEATURES:
            raise MtcheckError(f"{path}: trained on features {names}, this mtcheck computes {FEATURES}: retrain "
                               "it with scripts/train_risk.py")
        tensors = {k: fh.get_tensor(k).astype(np.float64) for k in fh.keys()}
    if "weight" not in tensors or "bias" not in tensors or ("hidden.weight" in tensors) != ("hidden.bias" in tensors):
        raise MtcheckError(f"{path}: not a risk model (weight, bias and both or neither hidden tensors expected)")
    return RiskModel(tensors["weight"].reshape(-1), float(tensors["bias"].reshape(-1)[0]),
                     meta.get("name", "logreg"), tensors.get("mean"), tensors.get("scale"),
                     tensors.get("hidden.weight"), tensors.get("hidden.bias"))


def _moved_stand_ins(pairs: list[AlignedPair], moves: Sequence, en_sentences: list[str] | None,
                     fr_sentences: list[str] | None) -> dict[int, AlignedPair]:
    """For each one-sided pair inside a moved passage, the pair the passage makes with its translation."""
    if not moves or en_sentences is None or fr_sentences is None:
        return {}
    out: dict[int, AlignedPair] = {}
    for m in moves:
        en_text = " ".join(en_sentences[i] for i in m.en)
        fr_text = " ".join(fr_sentences[j] for j in m.fr)
        virtual = AlignedPair(index=-1, en=list(m.en), fr=list(m.fr), en_text=en_text, fr_text=fr_text,
                              similarity=round(float(m.similarity), 4),
                              length_ratio=round(len(fr_text) / max(1, len(en_text)), 4))
        for p in pairs:
            one_sided = bool(p.en) != bool(p.fr)
            if one_sided and ((p.en and set(p.en) <= set(m.en)) or (p.fr and set(p.fr) <= set(m.fr))):
                out[p.index] = virtual
    return out


def apply_risk(pairs: list[AlignedPair], findings: list[Finding], scores: ArticleScores,
               model: RiskModel | None = None, en_sentences: list[str] | None = None,
               fr_sentences: list[str] | None = None, moves: Sequence | None = None) -> str:
    """Put ``risk`` and ``risk_level`` in each pair's scores and the article summary in ``scores.extra``.

    ``en_sentences`` and ``fr_sentences`` (all sentence texts, by index) let merged beads be looked
    at sentence by sentence. Returns the model's name. Pairs are scored together in one matrix
    product; the back-translation term is added where ``bt_chrf`` is present. ``moves`` (moved passages,
    :mod:`mtcheck.reorder`): the one-sided pairs of a moved passage are scored as the passage and its
    translation, not as an omission and an addition.
    """
    model = model or load_model()
    if not pairs:
        return model.name
    by_pair: dict[int, list[Finding]] = {}
    for f in findings:
        if f.pair is not None:
            by_pair.setdefault(f.pair, []).append(f)

    def own(sentences: list[str] | None, indices: list[int]) -> list[str] | None:
        return [sentences[i] for i in indices] if sentences is not None else None

    stand_in = _moved_stand_ins(pairs, moves or [], en_sentences, fr_sentences)
    x = np.array([[feats[k] for k in FEATURES] for feats in
                  (pair_features(q, by_pair.get(p.index, []) if q is p else [], own(en_sentences, q.en),
                                 own(fr_sentences, q.fr))
                   for p in pairs for q in [stand_in.get(p.index, p)])], dtype=np.float64)
    bt = np.array([p.scores.get("bt_chrf", math.nan) for p in pairs], dtype=np.float64)
    risks = risks_of(model, x, bt)
    for p, r in zip(pairs, risks):
        p.scores["risk"] = round(float(r), 4)
        p.scores["risk_level"] = float(risk_level(float(r)))
    levels = [risk_level(float(r)) for r in risks]
    scores.extra["risk"] = round(float(risks.max()), 4)
    scores.extra["risk_mean"] = round(float(risks.mean()), 4)
    scores.extra["risk_check"] = float(sum(1 for v in levels if v == 1))
    scores.extra["risk_wrong"] = float(sum(1 for v in levels if v == 2))
    return model.name
