"""Plain records passed between the pipeline stages (ingest → segment → align → score → check → report)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    """How bad a finding is; ordered info < warning < error."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """Numeric order, for thresholds."""
        return {"info": 0, "warning": 1, "error": 2}[self.value]


@dataclass(frozen=True)
class Span:
    """A piece of an input text: offsets are characters into ``Article.text``."""

    start: int
    end: int
    text: str


@dataclass
class RemovedBlock:
    """Boilerplate taken out of the prose (notice, quote box, credits, menu...), kept for --show-removed."""

    kind: str
    text: str
    start: int
    end: int


@dataclass
class Ticker:
    """A stock ticker or RIC found in the text (``AMZN.O``, ``7203.T``), kept as an entity, out of the prose."""

    symbol: str
    start: int
    end: int
    company: str | None = None


@dataclass
class ArticleMeta:
    """What ingest learned about the article besides its prose."""

    date: _dt.date | None = None
    date_source: str | None = None  # "date-line", "byline", "dateline", "html"
    time: str | None = None  # "07:17" when a byline gives it
    headline: str | None = None
    dateline: str | None = None  # "PARIS, 27 février (Reuters) -"
    source: str | None = None  # "Reuters", "AFP"...
    byline: str | None = None


@dataclass
class Block:
    """A kept run of prose (headline, paragraph, bullet), with offsets into ``Article.text``."""

    start: int
    end: int
    text: str
    kind: str = "paragraph"  # "headline" | "paragraph" | "bullet"


@dataclass
class Article:
    """One ingested article: the decoded text as given, its prose blocks and metadata."""

    text: str  # decoded input (for HTML: the extracted text); all offsets point into it
    lang: str  # "fr" | "en" | other ISO 639-1 code
    blocks: list[Block]
    meta: ArticleMeta = field(default_factory=ArticleMeta)
    tickers: list[Ticker] = field(default_factory=list)
    removed: list[RemovedBlock] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # e.g. "decoded as Windows-1252"
    path: str | None = None
    format: str = "text"  # "text" | "markdown" | "html"


@dataclass
class Sentence:
    """One sentence; ``text == article.text[start:end]``."""

    index: int
    text: str
    start: int
    end: int
    block: int = 0
    kind: str = "paragraph"  # block kind it came from


@dataclass
class AlignedPair:
    """A bead of the alignment: English and French sentence indices (either side may be empty)."""

    index: int
    en: list[int]
    fr: list[int]
    en_text: str
    fr_text: str
    align_score: float = 0.0
    similarity: float | None = None
    length_ratio: float | None = None
    scores: dict[str, float] = field(default_factory=dict)  # further scorers (chrF, risk...)

    @property
    def kind(self) -> str:
        """The bead type, source first: ``"1-0"`` is an English sentence with no French (an omission)."""
        return f"{len(self.en)}-{len(self.fr)}"


@dataclass
class Finding:
    """One problem: what was expected (from the English), what was found (in the French), and why it matters."""

    check: str
    severity: Severity
    message: str
    pair: int | None = None
    fr_span: Span | None = None
    en_span: Span | None = None
    expected: str | None = None
    found: str | None = None


@dataclass
class ArticleScores:
    """Whole-article scores."""

    similarity: float | None = None  # mean similarity over 1-1/n-m beads, weighted by length
    length_ratio: float | None = None  # French characters / English characters
    coverage_en: float | None = None  # share of English sentences aligned to some French
    coverage_fr: float | None = None
    extra: dict[str, float] = field(default_factory=dict)
