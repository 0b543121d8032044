"""Risk: one number in [0, 1] per aligned pair saying how likely the French is wrong, with a label.

The risk combines what ran: cross-lingual similarity, length ratio, the bead's shape (omission,
addition, merge), surface copy of the English (untranslated text), a negation-count mismatch, the
findings on the pair by severity, and the back-translation chrF when a MT model ran.

- ``pair.scores["risk"]``: the risk, a logistic model's probability that the pair is corrupted;
- ``pair.scores["risk_level"]``: 0 ``ok`` (risk < 0.5), 1 ``check`` (0.5 ≤ risk < 0.8), 2 ``wrong``
  (risk ≥ 0.8); :func:`risk_label` gives the word, ``LABELS[level]`` too;
- a pair with an error finding is always ``wrong`` (risk ≥ 0.8);
- ``ArticleScores.extra["risk"]``: the highest pair risk (the article is as risky as its worst
  sentence), with ``risk_mean``, ``risk_check`` and ``risk_wrong`` (pairs at each label).

The weights come from ``models/risk.safetensors``, trained by ``scripts/train_risk.py`` on synthetic
corruptions of human translations (WMT newstest); without that file, hand-set weights are used.
The back-translation term is hand-set (no real MT model was available to
calibrate it): see ``docs/benchmarks-scoring.md``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .records import AlignedPair, ArticleScores, Finding

RISK_CHECK = 0.5  # at or above: "check"
RISK_WRONG = 0.8  # at or above: "wrong"
LABELS = ("ok", "check", "wrong")
MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "risk.safetensors"
EXPECTED_RATIO = 1.13  # French characters per English character in human news translation (newstest 2011-13 median)
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
    "negation",  # |negations in English - negations in French|, capped at 2
    "errors",  # error findings on the pair, capped at 3
    "warnings",  # warning findings, capped at 3
    "infos",  # info findings, capped at 3
    "untranslated",  # an untranslated finding on the pair
    "figure",  # figure or conversion findings, capped at 3
    "entity",  # entity findings, capped at 3
)
_CHECK_FEATURE = {"untranslated": "untranslated", "figure": "figure", "conversion": "figure", "entity": "entity"}

# Hand-set weights: the fallback when models/risk.safetensors is missing.
HAND_WEIGHTS = {
    "dissim": 9.0, "len_short": 5.0, "len_long": 4.0, "gap": 8.0, "merge": 0.5, "sub_short": 2.0, "sub_long": 2.0,
    "copy": 6.0, "negation": 2.5, "errors": 5.5, "warnings": 1.5, "infos": 0.3, "untranslated": 2.0,
    "figure": 0.5, "entity": 0.5,
}
HAND_BIAS = -5.5

_WORD = re.compile(r"[^\W\d_]{2,}")
_EN_NEG = re.compile(r"\b(?:not|no|never|nothing|nobody|none|neither|nor|cannot|without)\b|n['’]t\b", re.I)
_FR_TOKEN = re.compile(r"[^\W\d_]+(?:['’])?", re.U)
_FR_NEG_WORDS = {"pas", "plus", "jamais", "rien", "personne", "aucun", "aucune", "nul", "nulle", "guère", "point",
                 "ni", "nullement"}
_FR_NEG_SUBJECTS = {"aucun", "aucune", "personne", "rien", "nul", "nulle", "jamais", "ni"}
_FR_LONE_NEG = {"sans", "non", "jamais", "aucun", "aucune", "rien", "pas", "nullement"}


def risk_label(risk: float) -> str:
    """``ok``, ``check`` or ``wrong`` for a risk (for a stored ``risk_level``: ``LABELS[int(level)]``)."""
    return LABELS[risk_level(risk)]


def risk_level(value: float) -> int:
    """0 ok, 1 check, 2 wrong."""
    return 2 if value >= RISK_WRONG else 1 if value >= RISK_CHECK else 0


def english_negations(text: str) -> int:
    """Negation markers in English: not, n't, no, never, nothing, nobody, none, neither, nor, cannot, without."""
    return len(_EN_NEG.findall(text))


def french_negations(text: str) -> int:
    """Negations in French: each ne/n' with its pas, plus, jamais, rien, aucun... (not the restrictive
    ne ... que, not an expletive ne), and lone sans, non, jamais, rien, aucun, pas."""
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
            count += 1
    for i, tok in enumerate(tokens):
        if tok in _FR_LONE_NEG and not used[i]:
            # "non plus" is "either" (its negation, if any, is the ne ... pas already counted)
            if tok == "non" and i + 1 < len(tokens) and tokens[i + 1] == "plus":
                continue
            count += 1
    return count


def negation_mismatch(en_text: str, fr_text: str) -> int:
    """How many more negations one side has than the other, capped at 2."""
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


def pair_features(pair: AlignedPair, findings: list[Finding] = (), en_sentences: list[str] | None = None,
                  fr_sentences: list[str] | None = None) -> dict[str, float]:
    """The features of one pair (see :data:`FEATURES`), from its scores and the findings that point at it.

    ``en_sentences`` and ``fr_sentences`` are the texts of the pair's own sentences; with them, an
    n-n bead is also compared sentence by sentence.
    """
    both = bool(pair.en) and bool(pair.fr)
    f = dict.fromkeys(FEATURES, 0.0)
    if both:
        sim = pair.similarity if pair.similarity is not None else 0.5
        f["dissim"] = float(min(1.0, max(0.0, 1.0 - sim)))
        f["len_short"], f["len_long"] = _len_dev(pair.en_text, pair.fr_text, pair.length_ratio)
        f["merge"] = float(len(pair.en) + len(pair.fr) > 2)
        if en_sentences and fr_sentences and len(en_sentences) == len(fr_sentences) > 1:
            devs = [_len_dev(e, fr) for e, fr in zip(en_sentences, fr_sentences)]
            f["sub_short"] = max(d[0] for d in devs)
            f["sub_long"] = max(d[1] for d in devs)
        f["copy"] = copied_share(pair.en_text, pair.fr_text)
        f["negation"] = float(negation_mismatch(pair.en_text, pair.fr_text))
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
    """A logistic model over :data:`FEATURES`: risk = sigmoid(w · x + b)."""

    weights: np.ndarray
    bias: float
    name: str = "hand"
    mean: np.ndarray | None = None  # features are standardised with these when given
    scale: np.ndarray | None = None

    def logit(self, x: np.ndarray) -> np.ndarray:
        """Raw scores of an (n, len(FEATURES)) feature matrix."""
        if self.mean is not None and self.scale is not None:
            x = (x - self.mean) / self.scale
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
    return RiskModel(np.array([HAND_WEIGHTS[k] for k in FEATURES], dtype=np.float64), HAND_BIAS, "hand")


def load_model(path: str | Path | None = None) -> RiskModel:
    """The trained model from ``models/risk.safetensors`` (numpy, no torch, no pickle); hand weights when absent."""
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
            raise ValueError(f"{path}: trained on features {names}, this mtcheck computes {FEATURES}: retrain it "
                             "with scripts/train_risk.py")
        tensors = {k: fh.get_tensor(k).astype(np.float64) for k in fh.keys()}
    return RiskModel(tensors["weight"].reshape(-1), float(tensors["bias"].reshape(-1)[0]),
                     meta.get("name", "logreg"), tensors.get("mean"), tensors.get("scale"))


def apply_risk(pairs: list[AlignedPair], findings: list[Finding], scores: ArticleScores,
               model: RiskModel | None = None, en_sentences: list[str] | None = None,
               fr_sentences: list[str] | None = None) -> str:
    """Put ``risk`` and ``risk_level`` in each pair's scores and the article summary in ``scores.extra``.

    ``en_sentences`` and ``fr_sentences`` (all sentence texts, by index) let merged beads be looked
    at sentence by sentence. Returns the model's name. Pairs are scored together in one matrix
    product; the back-translation term is added where ``bt_chrf`` is present.
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

    x = np.array([[feats[k] for k in FEATURES] for feats in
                  (pair_features(p, by_pair.get(p.index, []), own(en_sentences, p.en), own(fr_sentences, p.fr))
                   for p in pairs)], dtype=np.float64)
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
