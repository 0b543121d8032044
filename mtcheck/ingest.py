"""Ingest: read an article, strip wire and web boilerplate, find its metadata, tickers and prose blocks.

``Article.text`` is never rewritten after decoding (HTML excepted: there it is the text trafilatura
extracts), so every offset stays true; whatever is not prose goes to ``Article.removed`` with its
offsets, so a removal is never silent.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from . import langid
from .errors import InputError, UsageError
from .records import Article, ArticleMeta, Block, RemovedBlock, Ticker

__all__ = ["FORMATS", "find_tickers", "parse_article", "read_article"]

FORMATS = ("text", "markdown", "html")
_EXTENSIONS = {".html": "html", ".htm": "html", ".xhtml": "html", ".md": "markdown", ".markdown": "markdown"}

# Python's str.strip() misses the zero-width space and the BOM, both common in pasted web text.
_WS = " \t\r\f\v\u00a0\u1680\u200b\u202f\u205f\u3000\ufeff" + "".join(map(chr, range(0x2000, 0x200B)))
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_TERMINAL_RE = re.compile(r"[.!?…][\s\"'»”’)\]*]*$")

_AGENCY = (
    r"(?:Reuters|AFP|AP|Associated\s+Press|Bloomberg|Dow\s+Jones|Xinhua|dpa|DPA|ANSA|EFE|Kyodo|Belga|"
    r"Agence\s+France-Presse|Breakingviews|Reuters\s+Breakingviews|AOF|Cercle\s+Finance)"
)
_AGENCY_RE = re.compile(rf"(?<!\w){_AGENCY}(?!\w)")


# --------------------------------------------------------------------------------------------
# Reading and decoding
# --------------------------------------------------------------------------------------------

_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (.docx, .odt, .zip...)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8", None),
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
MAX_BYTES = 5_000_000  # an article is a few kB; a bigger file is not one article
_MOJIBAKE_RE = re.compile("Ã[©¨ ª§®´¢¹»]|â€[™œ\u009d\u201c\u201d˜¦]|Ã\u00a0|Â[«»\u00a0°]")


def read_text(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> tuple[str, list[str]]:
    """The decoded text of an input file and notices about its decoding; bad input raises a one-line InputError."""
    name = os.fspath(path)
    try:
        st = os.stat(name)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read the file ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{name}: is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{name}: is not a regular file")
    if st.st_size > max_bytes:
        raise InputError(f"{name}: file is too large ({_size(st.st_size)}; the limit is {_size(max_bytes)})")
    try:
        with open(name, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{name}: cannot read the file ({exc.strerror or exc})") from None
    if len(data) > max_bytes:  # it grew between stat() and read()
        raise InputError(f"{name}: file is too large (over {_size(max_bytes)}, the limit)")
    return _decode(data, name)


def read_article(path: str | os.PathLike[str], lang: str | None = None, max_bytes: int = MAX_BYTES) -> Article:
    """Read a text, Markdown or HTML article file and ingest it; bad input raises a one-line InputError."""
    name = os.fspath(path)
    text, notices = read_text(name, max_bytes)
    fmt, note = _detect_format(name, text)
    if note:
        notices.append(note)
    article = parse_article(text, lang=lang, fmt=fmt, path=name)
    article.notices[:0] = notices
    return article


def _size(n: int) -> str:
    return f"{n:,} bytes = {n / 1e6:.1f} MB" if n >= 100_000 else f"{n:,} bytes"


def _decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """Bytes to text: UTF-8 first, then Windows-1252, then Latin-1, saying so when not UTF-8."""
    notices: list[str] = []
    if not data:
        raise InputError(f"{name}: file is empty")
    text: str | None = None
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            if codec == "utf-8":  # the BOM is dropped; the rest is decoded like any file
                data = data[len(bom) :]
                break
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                msg = f"{name}: cannot decode the text (it starts with a {label} mark but is not {label})"
                raise InputError(msg) from None
            notices.append(f"decoded as {label} (byte-order mark)")
            break
    if text is None and (codec16 := _utf16_without_bom(data)):
        try:
            text = data.decode(codec16)
            notices.append("decoded as UTF-16 (no byte-order mark)")
        except UnicodeDecodeError:
            text = None
    if text is None:
        for magic, what in _MAGIC:
            if data.startswith(magic):
                raise InputError(f"{name}: is {what}, not a text file")
        if b"\x00" in data[:65536]:
            raise InputError(f"{name}: is a binary file (it contains NUL bytes), not text")
        text = _decode_8bit(data, name, notices)
    controls = len(_CONTROL_RE.findall(text))
    if controls > max(8, len(text) // 50):
        raise InputError(f"{name}: is a binary file (mostly non-text bytes), not text")
    if not text.strip(_WS + "\n"):
        raise InputError(f"{name}: file is empty (only whitespace)")
    return text, notices


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text has a NUL in every other byte; say which endianness, else None."""
    sample = data[: min(len(data), 4000) // 2 * 2]
    half = len(sample) // 2
    if half < 8:
        return None
    even, odd = sample[0::2].count(0) / half, sample[1::2].count(0) / half
    if odd > 0.9 and even < 0.05:
        return "utf-16-le"
    if even > 0.9 and odd < 0.05:
        return "utf-16-be"
    return None


def _decode_8bit(data: bytes, name: str, notices: list[str]) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    else:
        return _repair_mojibake(text, notices)
    # A UTF-8 file with a few corrupt bytes is still UTF-8: decoding it as Windows-1252 would
    # garble every accent in it, so replace the bad bytes instead.
    lossy = data.decode("utf-8", errors="replace")
    bad = lossy.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    multibyte = sum(1 for c in lossy if ord(c) > 127 and c != "\ufffd")
    if multibyte > 4 * bad:
        notices.append(f"{bad} invalid UTF-8 byte(s) replaced with U+FFFD (first at byte {first_bad})")
        return lossy
    try:
        text = data.decode("cp1252")
        notices.append("decoded as Windows-1252 (not valid UTF-8)")
        return text
    except UnicodeDecodeError:
        pass
    text = data.decode("latin-1")
    # Latin-1 decodes any byte; C1 control characters in the result mean it was not Latin-1 either.
    c1 = sum(1 for c in text if "\x80" <= c <= "\x9f")
    if c1 > max(3, len(text) // 1000):
        raise InputError(f"{name}: cannot decode the text (not UTF-8, Windows-1252 or Latin-1)")
    notices.append("decoded as Latin-1 (not valid UTF-8 or Windows-1252)")
    return text


def _repair_mojibake(text: str, notices: list[str]) -> str:
    hits = len(_MOJIBAKE_RE.findall(text))
    if hits < 3:
        return text
    try:
        fixed = text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        notices.append("the text looks double-encoded ('Ã©' for 'é') and could not be repaired")
        return text
    notices.append("repaired double-encoded UTF-8 ('Ã©' read as 'é')")
    return fixed


_HTML_START_RE = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)
_HTML_TAG_RE = re.compile(
    r"</?(?:p|div|span|a|br|li|ul|ol|h[1-6]|body|head|meta|script|style|article|section|table|tr|td|img|nav|"
    r"footer|header|main)\b[^<>]*>",
    re.I,
)


def _looks_like_html(text: str, markdown: bool = False) -> bool:
    if _HTML_START_RE.match(text[:4000]):
        return True
    # Markdown may embed a few tags of its own; only a whole page makes it HTML.
    return not markdown and len(_HTML_TAG_RE.findall(text[:50_000])) >= 5


def _detect_format(name: str, text: str) -> tuple[str, str | None]:
    base = os.path.basename(name)
    fmt = _EXTENSIONS.get(os.path.splitext(name)[1].lower(), "text")
    if fmt != "html" and _looks_like_html(text, markdown=fmt == "markdown"):
        return "html", f"{base} looks like HTML: parsed as HTML"
    if fmt == "html" and not _HTML_TAG_RE.search(text[:50_000]) and not _HTML_START_RE.match(text[:4000]):
        return "text", f"{base} has no HTML tags: read as plain text"
    return fmt, None


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------


def _html_to_text(html: str, name: str) -> tuple[str, dict[str, str], list[str], bool]:
    """Extract the article with trafilatura, laid out as light Markdown (# headings, - items).

    The XML output is used rather than "markdown": the latter carries **emphasis** and backslash
    escapes into the prose, and "txt" loses headings; the text itself is trafilatura's either way.
    The last value says whether the text has that layout (not when falling back to all the page's text).
    """
    import trafilatura
    from lxml import etree

    notices: list[str] = []
    try:
        xml = trafilatura.extract(
            html,
            output_format="xml",
            include_comments=False,
            include_tables=False,
            favor_recall=True,
            with_metadata=True,
            date_extraction_params={"original_date": True, "extensive_search": False, "max_date": "2999-12-31"},
        )
    except Exception as exc:  # trafilatura raises assorted errors on broken markup
        raise InputError(f"{name}: cannot parse the HTML ({type(exc).__name__})") from None
    meta: dict[str, str] = {}
    parts: list[str] = []
    if xml:
        try:
            doc = etree.fromstring(xml.encode("utf-8"))
        except etree.XMLSyntaxError:
            doc = None
        if doc is not None:
            meta = {k: v for k, v in doc.attrib.items() if k in ("title", "author", "date", "sitename") and v}
            main = doc.find("main")
            if main is not None:
                _render_children(main, parts)
    text = "\n\n".join(p for p in parts if p.strip())
    if text.strip():
        return text, meta, notices, True
    fallback = trafilatura.html2txt(html) or ""
    if not fallback.strip():
        raise InputError(f"{name}: no article text found in the HTML")
    notices.append("no main article found in the HTML: used all of the page's text")
    return fallback, meta, notices, False


def _inline_text(el) -> str:
    """An element's text with <lb/> as a line break and other whitespace collapsed."""
    out: list[str] = []

    def walk(e, top: bool) -> None:
        if not top and e.tag == "lb":
            out.append("\n")
        elif not top and e.tag in ("list", "graphic", "table"):
            pass
        elif e.text:
            out.append(e.text)
        if e.tag not in ("list", "graphic", "table") or top:
            for child in e:
                walk(child, False)
        if not top and e.tail:
            out.append(e.tail)

    walk(el, True)
    lines = (re.sub(r"\s+", " ", ln).strip() for ln in "".join(out).split("\n"))
    return "\n".join(ln for ln in lines if ln)


def _render_children(parent, parts: list[str]) -> None:
    for el in parent:
        tag = el.tag
        if tag == "head":
            rend = el.get("rend") or ""
            level = int(rend[1]) if re.fullmatch(r"h[1-6]", rend) else 2
            body = _inline_text(el).replace("\n", " ")
            if body:
                parts.append("#" * level + " " + body)
        elif tag == "list":
            lines: list[str] = []
            _render_list(el, lines, 0)
            if lines:
                parts.append("\n".join(lines))
        elif tag in ("graphic", "table"):
            continue
        else:
            body = _inline_text(el)
            if body:
                parts.append(body)


def _render_list(lst, lines: list[str], depth: int) -> None:
    for item in lst:
        if item.tag != "item":
            continue
        body = _inline_text(item).replace("\n", " ")
        if body:
            lines.append("  " * depth + "- " + body)
        for child in item:
            if child.tag == "list":
                _render_list(child, lines, depth + 1)


# --------------------------------------------------------------------------------------------
# Dates (month names from CLDR via Babel, French and English)
# --------------------------------------------------------------------------------------------


def _fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s.lower()) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _month_table() -> dict[str, int]:
    from babel.dates import get_month_names

    table: dict[str, set[int]] = {}
    wide: dict[str, int] = {}
    for loc in ("fr", "en"):
        for width in ("wide", "abbreviated"):
            for ctx in ("format", "stand-alone"):
                for num, nm in get_month_names(width, ctx, loc).items():
                    key = nm.lower().rstrip(".")
                    for k in {key, _fold(key)}:
                        table.setdefault(k, set()).add(num)
                    if width == "wide":
                        wide[nm.lower()] = num
    # Unambiguous prefixes of the full names ("sept", "févr", "juil") cover the abbreviations
    # newsrooms actually use; "jui" (juin/juillet) is ambiguous and left out.
    prefixes: dict[str, set[int]] = {}
    for nm, num in wide.items():
        for k in {nm, _fold(nm)}:
            for i in range(3, len(k)):
                prefixes.setdefault(k[:i], set()).add(num)
    for k, nums in prefixes.items():
        if len(nums) == 1:
            table.setdefault(k, set()).update(nums)
    return {k: next(iter(v)) for k, v in table.items() if len(v) == 1}


@lru_cache(maxsize=1)
def _weekdays() -> frozenset[str]:
    from babel.dates import get_day_names

    names = set()
    for loc in ("fr", "en"):
        for width in ("wide", "abbreviated"):
            for nm in get_day_names(width, "format", loc).values():
                names.add(nm.lower().rstrip("."))
                names.add(_fold(nm).rstrip("."))
    return frozenset(names)


@lru_cache(maxsize=1)
def _full_calendar_names() -> frozenset[str]:
    from babel.dates import get_day_names, get_month_names

    names = set()
    for loc in ("fr", "en"):
        names.update(n.lower() for n in get_day_names("wide", "format", loc).values())
        names.update(n.lower() for n in get_month_names("wide", "format", loc).values())
    return frozenset(names)


def _calendar_word(word: str) -> bool:
    """A full day or month name ("Friday", "mars"); "Sam" or "Mai" as first names are not."""
    return word.lower() in _full_calendar_names() and word.lower() not in ("mai", "may", "june", "april", "august")


@lru_cache(maxsize=1)
def _date_res() -> tuple[re.Pattern[str], ...]:
    months = sorted(_month_table(), key=len, reverse=True)
    mon = "(?P<month>" + "|".join(re.escape(m) for m in months) + r")\.?(?![^\W\d_])"
    day = r"(?P<day>[0-3]?\d)(?:er|st|nd|rd|th|e)?"
    year = r"(?P<year>(?:19|20)\d\d)(?!\d)"
    return (
        re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)(?!\d)"),
        re.compile(r"(?<![\d/.])(?P<a>[0-3]?\d)[/.](?P<b>[01]?\d)[/.]" + year),
        re.compile(r"(?<![\w.,])" + day + r"\s+" + mon + r"(?:,?\s+" + year + ")?", re.I),
        re.compile(r"(?<![\w])" + mon + r"\s+" + day + r"(?!\d)(?:(?:,\s*|\s+)" + year + ")?", re.I),
    )


_TIME_RE = re.compile(
    r"(?<![\d,.])(?P<h>[0-2]?\d)\s?(?:[:h]\s?(?P<m>[0-5]\d)|h(?![^\W\d_]))"
    r"(?:\s?(?P<ampm>[ap])\.?\s?m\.?(?![^\W\d_]))?(?!\d)",
    re.I,
)


@dataclass
class _DateHit:
    start: int
    end: int
    month: int
    day: int
    year: int | None


def _find_dates(s: str) -> list[_DateHit]:
    """Dates in ``s`` (ISO, 27/02/2026, 27 février 2026, Feb 27, 2026...), the year when given."""
    hits: list[_DateHit] = []
    taken: list[tuple[int, int]] = []
    iso, numeric, dmy, mdy = _date_res()
    months = _month_table()
    for rx in (iso, numeric, dmy, mdy):
        for m in rx.finditer(s):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            g = m.groupdict()
            year = int(g["year"]) if g.get("year") else None
            if rx is iso:
                month, day = int(g["mnum"]), int(g["day"])
            elif rx is numeric:
                a, b = int(g["a"]), int(g["b"])
                month, day = (a, b) if b > 12 else (b, a)  # day first, as in French, unless impossible
            else:
                if rx is mdy and not g["month"][0].isupper():
                    continue  # month-first is English style, capitalised; "may 10" is not a date
                month = months.get(g["month"].lower().rstrip("."), 0)
                day = int(g["day"])
            if not (1 <= month <= 12 and 1 <= day <= 31):
                continue
            if year is not None:
                try:
                    _dt.date(year, month, day)
                except ValueError:
                    continue
            hits.append(_DateHit(m.start(), m.end(), month, day, year))
            taken.append((m.start(), m.end()))
    hits.sort(key=lambda h: h.start)
    return hits


def _find_time(s: str) -> tuple[str, int, int] | None:
    for m in _TIME_RE.finditer(s):
        h, mins = int(m["h"]), int(m["m"] or 0)
        if m["ampm"]:
            if not 1 <= h <= 12:
                continue
            h = h % 12 + (12 if m["ampm"].lower() == "p" else 0)
        if h > 23:
            continue
        # "2 min." or "3 000 h" are not times: want a separator or an explicit "h".
        return f"{h:02d}:{mins:02d}", m.start(), m.end()
    return None


_DATE_FILLER = frozenset(
    """publié publiée publiés mis mise à jour a le la les l du de des on at le updated published posted
    modifié modifiée actualisé actualisée dernière mise heure heures gmt utc cet cest edt est pst pdt bst et
    am pm h par by il y ago paris new york london londres time temps""".split()
)


def _only_date_words(rest: str) -> bool:
    words = [w.lower() for w in _WORD_RE.findall(rest)]
    return all(w in _DATE_FILLER or w in _weekdays() for w in words)


def _strip_dates(s: str) -> tuple[str, list[_DateHit], str | None]:
    """The text with its dates and first time blanked out, plus what was found."""
    hits = _find_dates(s)
    out = s
    for h in reversed(hits):
        out = out[: h.start] + " " * (h.end - h.start) + out[h.end :]
    found = _find_time(out)
    tm = None
    if found:
        tm, a, b = found
        out = out[:a] + " " * (b - a) + out[b:]
    return out, hits, tm


# --------------------------------------------------------------------------------------------
# Boilerplate patterns
# --------------------------------------------------------------------------------------------

_DATE_LINE_RE = re.compile(r"date[ \t]*:?[ \t]+(\d{4})-(\d{2})-(\d{2})(?!\d)[ \t]*", re.I)

_NOTICE_KEYS = (
    r"(?:traduction\s+automatis|traduit\s+automatiquement|traduction\s+automatique|automated\s+translation|"
    r"automatically\s+translated|machine[- ]translat)"
)
_NOTICE_INLINE_RE = re.compile(rf"\(\((?:(?!\)\)).){{0,800}}?{_NOTICE_KEYS}(?:(?!\)\)).){{0,800}}?\)\)", re.I | re.S)
_NOTICE_ITEM_RE = re.compile(
    rf"^(?:\(\s*{_NOTICE_KEYS}[^\n]{{0,800}}\)|(?:cet article|ce texte|cette dépêche|this article|this story)\s+"
    r"(?:a été|was|has been)\s+(?:traduit|traduite|translated)\b[^\n]{0,300})$",
    re.I,
)

_CREDIT_KEYS = (
    r"(?:reportage|reporting|r[ée]daction|r[ée]dig[ée]e?|writing|written\s+by|editing|edited\s+by|"
    r"[ée]dit[ée]e?\s+par|"
    r"version\s+fran[çc]aise|additional\s+reporting|avec\s+la\s+contribution|compiled|compil[ée]e?\s+par|"
    r"with\s+reporting|bureau\s+de|avec\s+" + _AGENCY + r"\s*\))"
)
_CREDITS_ITEM_RE = re.compile(rf"^\(\s*{_CREDIT_KEYS}[^\n]{{0,500}}\)\.?$", re.I)
_CREDITS_BARE_RE = re.compile(r"^(?:additional\s+)?(?:reporting|writing|editing)\s+by\s[^\n]{0,400}$", re.I)
_CREDITS_TAIL_RE = re.compile(rf"\s*\(\s*{_CREDIT_KEYS}[^()\n]{{0,500}}\)\.?\s*$", re.I)

_COPYRIGHT_START_RE = re.compile(
    r"^(?:©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\)|\d{4})|tous droits réservés|all rights reserved)", re.I
)
_COPYRIGHT_ANY_RE = re.compile(
    r"tous droits (?:de reproduction )?réservés|all rights reserved|reproduction interdite|"
    r"our standards:\s*the thomson reuters trust principles",
    re.I,
)

_QUOTE_BOX_RE = re.compile(
    r"^(?:valeurs? associées?|valeurs? citées?|valeurs? liées?|titres? cités?|sociétés? citées?|"
    r"cours associés?|related quotes|related stocks|related tickers|stocks mentioned)\s*:?$",
    re.I,
)
_PRICE_RE = re.compile(r"[+-]?\d[\d\s.,]*\s*(?:%|USD|EUR|€|\$|GBP|£|JPY|¥|CHF|pts?\b)", re.I)

_ERROR_REPORT_RE = re.compile(
    r"^(?:signaler (?:une|un) (?:erreur|faute|coquille|problème|abus|contenu)"
    r"|report (?:an? )?(?:error|typo|mistake|problem|abuse)|suggest a correction"
    r"|vous avez (?:repéré|remarqué|trouvé) une (?:erreur|faute)|spotted an? (?:error|mistake|typo)|"
    r"une erreur dans (?:cet article|le texte))\b[^\n]{0,120}$",
    re.I,
)
_COMMENTS_RE = re.compile(
    r"^(?:(?:laisser|laissez|ajouter|ajoutez|écrire|écrivez|poster|publier|donnez) (?:un|une|le|votre) "
    r"(?:commentaire|réponse|avis)"
    r"|(?:leave|add|post|write) (?:a|your) (?:comment|reply|response)"
    r"|votre adresse (?:e-?mail|de messagerie|électronique|mail) ne sera pas publiée"
    r"|your email address will not be published"
    r"|les champs obligatoires sont (?:indiqués|marqués|signalés)"
    r"|required fields are marked"
    r"|(?:enregistrer|sauvegarder) mon nom"
    r"|save my name, email"
    r"|(?:connectez-vous|identifiez-vous|log in|sign in) pour (?:commenter|réagir)"
    r"|(?:annuler la réponse|cancel reply|répondre|reply|commenter|réagir|commentaires?|comments?|post comment"
    r"|publier (?:le|un) commentaire|soumettre (?:le|un) commentaire"
    r"|\d+ (?:commentaires?|comments?|réactions?))\s*[:*]?$"
    r"|(?:commentaire|comment|nom|name|e-?mail|courriel|site web|website)\s*\*$)",
    re.I,
)
_NEWSLETTER_RE = re.compile(
    r"^(?:(?:recevoir|recevez|inscrivez-vous|abonnez-vous|s['’]inscrire|s['’]abonner|je m['’]abonne|subscribe"
    r"|sign up)\b[^\n]{0,150}\b(?:newsletters?|lettres? d['’]information|boîte mail|boite mail|boîte e-mail|inbox"
    r"|alertes?)\b[^\n]{0,40}"
    r"|(?:recevoir|s['’]abonner à|inscription à|sign up for|subscribe to) (?:la |notre |our |the )?newsletters?"
    r"[^\n]{0,40}"
    r"|(?:vous aimez|vous avez aimé|vous appréciez|did you (?:like|enjoy)|enjoyed|like) "
    r"(?:nos|ce|cet|cette|notre|this|our|these) "
    r"[^\W\d_]+(?: [^\W\d_]+)?\s*[?!]?"
    r"|newsletters?)$",
    re.I,
)
_NEWSLETTER_WORDS_RE = re.compile(
    r"newsletter|boîte mail|boite mail|boîte de réception|inbox|abonnez-vous|subscribe", re.I
)
_READING_TIME_RE = re.compile(
    r"^(?:(?:temps de lecture|durée de lecture|lecture|reading time|read time|lu en)\s*:?\s*)?"
    r"(?:environ\s+|about\s+)?"
    r"\d{1,3}\s*(?:min|mins|minutes?|mn)\.?(?:\s+(?:de lecture|read|reading|à lire))?\.?$",
    re.I,
)
_COUNTER_RE = re.compile(r"^\d{1,5}$")
_IMAGE_CAPTION_RE = re.compile(
    r"^(?i:(?:image|photo|illustration|visuel)s?\s+d['’]illustration\b"
    r"|(?:crédits?|credits?)\s*(?:photos?|images?|illustrations?)?\s*:"
    r"|(?:photo|image|illustration|picture|file photo|photo d['’]archives)\s*(?::|\(|–|-\s)"
    r"|file photo\b|\[\d{1,2}/\d{1,2}\]\s)"
    r"|(?:REUTERS|AFP|AP|Getty Images|Shutterstock)/[^\n/]{2,60}(?:/File Photo)?\.?$",
)
# "OpenAI Logo": an image's alt text left in the page; the brand must be capitalised ("un nouveau logo" is prose).
_LOGO_RE = re.compile(
    r"^(?:[A-Z0-9][\w.&'’-]*\s+){1,3}[Ll]ogo$|^[Ll]ogo\s+(?:d['’]|de\s+|of\s+)?[A-Z][\w.&'’ -]{0,30}$"
)
_BREADCRUMB_RE = re.compile(r"^[^\n>›»|]{1,40}(?:\s+[>›»|]\s+[^\n>›»|]{1,40}){2,}$")
_RELATED_LINE_RE = re.compile(
    r"^(?:lire aussi|à lire aussi|a lire aussi|lire également|à lire également|voir aussi|à voir aussi|"
    r"read more|read also|see also|related|sur le même sujet|regarder aussi)\s*[:>»-]\s*\S[^\n]{0,200}$",
    re.I,
)
_DATELINE_SRC_RE = re.compile(rf"\(\s*(?P<agency>{_AGENCY})\s*\)")

# Headers of link lists: the header and the list under it are navigation, not prose.
_LIST_HEADERS = frozenset(
    x.strip()
    for x in """navigation|menu|menu principal|en ce moment|à la une|a la une|les plus lus|les plus populaires|
    most read|most popular|trending|tendances|le récap|récap|sommaire|table des matières|contents|dans cet article|
    in this article|en savoir plus|lire aussi|à lire aussi|a lire aussi|à lire également|lire également|
    voir aussi|read more|related|related articles|related stories|related content|more stories|more news|
    sur le même sujet|plus d'articles|autres articles|nos derniers articles|derniers articles|latest news|
    dernières actualités|tags|mots-clés|mots clés|thèmes|topics|sections|rubriques|catégories|categories|
    suivez-nous|follow us|liens utiles|useful links|à propos|about us""".split("|")
)
_NAV_PHRASES = _LIST_HEADERS | frozenset(
    x.strip()
    for x in """aller au contenu|aller au contenu principal|aller à la navigation|skip to content|
    skip to main content|skip to navigation|accueil|home|fermer|close|rechercher|recherche|search|retour|back|
    retour en haut|back to top|haut de page|publicité|advertisement|sponsored|contenu sponsorisé|abonnez-vous|
    s'abonner|subscribe|connexion|se connecter|log in|sign in|mon compte|my account|ouvrir le menu|open menu|
    voir plus|see more|suivant|précédent|next|previous|article suivant|article précédent|
    next article|previous article|imprimer|print|purchase licensing rights|suggested topics|
    exclusive news, data and analytics for financial market professionals|link|lien""".split("|")
)
_SHARE_CORE = frozenset(
    "partager partagez share tweet tweeter facebook twitter linkedin whatsapp pinterest reddit telegram "
    "flipboard bluesky messenger imprimer print copier copy".split()
)
_SHARE_WORDS = _SHARE_CORE | frozenset(
    "x email e-mail mail courriel le la lien link sur on this cet article via par by the envoyer send "
    "threads mastodon enregistrer save sauvegarder url et and ou or".split()
)
_AUTHOR_HEADER_RE = re.compile(
    r"^(?:[àa] propos de l['’]aut(?:eur|eure|rice)|about the author|l['’]auteur|l['’]autrice|author)\s*:?$",
    re.I,
)
_BIO_WORDS_RE = re.compile(
    r"journalist|rédact|reporter|correspond|editor|éditeur|éditrice|writer|écrivain|blogueu|blogger|"
    r"\bfan d|\bfan of|passionn|expert|spécialist|specialist|étudiant|student|diplômé|graduate|amateur|geek|"
    r"ninja|évangéliste|evangelist|enthusiast|aficionado|lover|addict|covers|couvre|chroniqueu|columnist",
    re.I,
)
_NAME_PARTICLES = frozenset("de du des d' van von der den da di le la el al bin ben y".split())
_CAP_STOPWORDS = frozenset(
    """le la les l un une des de du d et ou mais selon chez pour par en au aux dans sur avec the a an and
    or but of to in on at for with by from as since after before this that ce cette ces son sa ses leur
    leurs il elle ils elles we they he she it mr mrs ms m mme""".split()
)


def _norm(s: str) -> str:
    """Lower-case, apostrophes unified, decorative punctuation and spaces trimmed."""
    if len(s) > 200:
        return s.lower()  # too long to be any of the short phrases _norm is compared with
    s = " ".join(s.replace("’", "'").lower().split())
    return s.strip(" :>»›|·•-–—*#").strip()


def _words(s: str) -> list[str]:
    return _WORD_RE.findall(s)


def _is_prose(s: str) -> bool:
    return len(_words(s)) >= 12 and bool(_TERMINAL_RE.search(s))


def _is_short_label(s: str) -> bool:
    return len(_words(s)) <= 3 and len(s) <= 30 and not _TERMINAL_RE.search(s) and "\n" not in s


def _is_name(s: str) -> bool:
    """Looks like a person's name: 2-4 capitalised words, nothing else."""
    if len(s) > 40 or any(ch.isdigit() for ch in s) or re.search(r"[^\w\s'’.-]", s):
        return False
    words = s.split()
    caps = [w for w in words if w.lower() not in _NAME_PARTICLES]
    if not 2 <= len(caps) <= 4 or len(words) > 5:
        return False
    if _calendar_word(caps[0]):
        return False
    return all(w[0].isupper() and not w.isupper() for w in caps)


def _is_share(s: str) -> bool:
    words = [w.lower() for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)?", s)]
    return 0 < len(words) <= 12 and all(w in _SHARE_WORDS for w in words) and any(w in _SHARE_CORE for w in words)


def _strong_kind(s: str, markdown: bool) -> str | None:
    """The boilerplate kind of a whole item when it is unmistakable wherever it stands."""
    n = _norm(s)
    if not n:
        return "markup"
    if _NOTICE_INLINE_RE.fullmatch(s.strip()) or _NOTICE_ITEM_RE.match(s):
        return "translation-notice"
    if _COPYRIGHT_START_RE.match(s) or (len(s) <= 200 and _COPYRIGHT_ANY_RE.search(s) and not _is_prose(s)):
        return "copyright"
    if _CREDITS_ITEM_RE.match(s):
        return "credits"
    # "Reporting by Jane Doe; Editing by John Smith", but not "Reporting by the FT showed that ...".
    if len(s) <= 400 and _CREDITS_BARE_RE.match(s):
        if not _TERMINAL_RE.search(s) or re.search(r";\s*(?:editing|writing|additional reporting)\s+by\b", s, re.I):
            return "credits"
    if len(s) <= 200 and not _is_prose(s):
        if len(s) <= 80 and _ERROR_REPORT_RE.match(s):
            return "error-report"
        if _COMMENTS_RE.match(s):
            return "comments"
        if _NEWSLETTER_RE.match(s):
            return "newsletter"
        if _READING_TIME_RE.match(s):
            return "reading-time"
        if _COUNTER_RE.match(s):
            return "counter"
        if _is_share(s):
            return "share"
        if n in _NAV_PHRASES or _BREADCRUMB_RE.match(s) or _RELATED_LINE_RE.match(s):
            return "navigation"
        if _AUTHOR_HEADER_RE.match(s):
            return "author-bio"
    if len(s) <= 300 and (_IMAGE_CAPTION_RE.match(s) or _IMAGE_CAPTION_RE.search(s) and _ends_with_photo_credit(s)):
        return "image-caption"
    if len(_words(s)) <= 5 and _LOGO_RE.match(s):
        return "image-caption"
    if markdown and re.fullmatch(r"!\[[^\]\n]*\]\([^)\n]*\)", s):
        return "image-caption"
    if markdown and re.fullmatch(r"<!--.*-->", s, re.S):
        return "markup"
    return None


def _ends_with_photo_credit(s: str) -> bool:
    return bool(_PHOTO_CREDIT_END_RE.search(s))


_PHOTO_CREDIT_END_RE = re.compile(
    r"(?:REUTERS|AFP|AP|Getty Images|Shutterstock)/[^\n/]{2,60}(?:/File Photo)?\.?"
    r"(?:\s*Purchase Licensing Rights)?(?:,\s*opens new tab)?$"
)


_TZ_OFFSET_RE = re.compile(r"\b(?:GMT|UTC)\s*[+-]\s*\d{1,2}(?::?\d{2})?(?!\d)")
_RELATIVE_STAMP_RE = re.compile(
    r"^(?:updated|published|posted|mis à jour|publié|modifié)?\s*(?:il y a\s+)?\d{1,3}\s*"
    r"(?:min|mins|minutes?|h|hrs?|hours?|heures?|days?|jours?)\.?(?:\s+ago)?$",
    re.I,
)
_BYLINE_NAME_RE = re.compile(
    r"[A-ZÀ-Ý][\w'’.-]*"
    r"(?:\s+(?:(?:de|du|des|van|von|der|da|di|le|la|el|al|et|and|&)\s+)?[A-ZÀ-Ý][\w'’.-]*){0,5}"
)
_PROVIDED_BY_RE = re.compile(
    r"(?i:information|informations|article|dépêche|contenu|texte|news|content)\s+"
    r"(?i:fourni|fournie|fournis|fournies|provided)\s+(?i:par|by)\s+(.+)$"
)


def _parse_byline(s: str) -> tuple[list[_DateHit], str | None, str | None, str | None] | None:
    """(dates, time, source, author) when ``s`` is a byline or a date stamp, else None."""
    if len(s) > 220 or "\n\n" in s:
        return None
    flat = " ".join(s.split()).strip("*_ ")
    if len(flat.split()) > 24:
        return None
    m = _PROVIDED_BY_RE.match(flat)
    if m:  # "information fournie par Reuters 27/02/2026 à 07:17"
        rest, hits, tm = _strip_dates(m[1])
        source = re.split(r"\s{2,}|[,|•·–—-]", rest.strip())[0].strip()
        if len(_words(source)) <= 4 and _only_date_words(rest.replace(source, " ", 1)):
            return hits, tm, source or None, None
        return None
    m = re.match(r"(?i:par|by)\s+(.+)$", flat)
    if m:  # "Par Morgan Dupont, publié le 18 décembre 2025 à 13h00."
        nm = _BYLINE_NAME_RE.match(m[1])
        if not nm:
            return None
        name = nm[0].strip()
        words = name.split()
        if _calendar_word(words[0]) or (len(words) == 1 and words[0].lower() in _weekdays()):
            return None  # "By Friday, the company..."
        rest, hits, tm = _strip_dates(m[1][nm.end() :])
        agency = _AGENCY_RE.search(rest) or _AGENCY_RE.fullmatch(name)
        leftover = [
            w
            for w in _words(_AGENCY_RE.sub(" ", rest))
            if w.lower() not in _DATE_FILLER and w.lower() not in _weekdays()
        ]
        # A short role may follow the name ("correspondant à Londres"), a clause may not.
        if len(leftover) > 3 or len(_words(flat)) > 16:
            return None
        if leftover and not (hits or tm or agency) and _TERMINAL_RE.search(flat):
            return None
        author = None if _AGENCY_RE.fullmatch(name) else name
        return hits, tm, agency[0] if agency else None, author
    if _AGENCY_RE.fullmatch(flat.strip("() ")):
        return [], None, flat.strip("() "), None
    if _RELATIVE_STAMP_RE.match(flat):
        return [], None, None, None
    rest, hits, tm = _strip_dates(_TZ_OFFSET_RE.sub(" GMT ", flat))
    if (hits or tm) and _only_date_words(rest) and not re.search(r"\d", rest):
        # A bare time is a stamp only with a stamp's decoration ("• 12:05", "7:17 AM GMT").
        if hits or re.search(r"[•|·]|\b(?:GMT|UTC|CET|CEST)\b", flat):
            return hits, tm, None, None
    return None


# --------------------------------------------------------------------------------------------
# Items: the lines or paragraphs of the text, before they become blocks or removals
# --------------------------------------------------------------------------------------------

_BULLET_RE = re.compile(
    r"(?:[•·▪▫◦‣⁃●○■□►▶➢➤✓✔\-–—*+]|\d{1,3}[.)])[ \t\u00a0\u202f]+(?=\S)"
)
_HEADING_RE = re.compile(r"(#{1,6})[ \t]+(?=\S)")
_SEPARATOR_RE = re.compile(r"[-=*_~#]{3,}")


@dataclass
class _Item:
    start: int  # where the item begins, bullet or heading marker included
    cstart: int  # where its content begins
    end: int
    text: str
    marker: str = ""  # "bullet" | "heading" | ""
    removed: str | None = None
    headline: bool = False


class _Parser:
    """One pass over one text: items, then removals, then metadata, then blocks."""

    def __init__(self, text: str, markdown: bool) -> None:
        self.text = text
        self.markdown = markdown
        self.items: list[_Item] = []
        self.removed: list[RemovedBlock] = []
        self.meta = ArticleMeta()
        self.notices: list[str] = []
        self.dates: dict[str, tuple[_dt.date | None, _DateHit | None]] = {}
        self.front: dict[str, str] = {}

    # ---- splitting -------------------------------------------------------------------------

    def split(self) -> None:
        text = self.text
        lines: list[tuple[int, int, int]] = []  # line start, content start, content end
        pos = 0
        for raw in text.split("\n"):
            ls, le = pos, pos + len(raw)
            pos = le + 1
            body = raw.strip(_WS)
            if body:
                cs = ls + len(raw) - len(raw.lstrip(_WS))
                lines.append((ls, cs, cs + len(body)))
            else:
                lines.append((ls, ls, ls))
        first = 0
        if self.markdown:
            first = self._front_matter(lines)
        first = self._date_line(lines, first)
        chunk: list[tuple[int, int, int]] = []
        for ln in lines[first:]:
            if ln[1] == ln[2]:
                self._chunk(chunk)
                chunk = []
            else:
                chunk.append(ln)
        self._chunk(chunk)

    def _front_matter(self, lines: list[tuple[int, int, int]]) -> int:
        """YAML front matter of a Markdown file: its date and title are metadata, not prose."""
        text = self.text
        if not lines or text[lines[0][1] : lines[0][2]] != "---" or lines[0][1] != lines[0][0]:
            return 0
        for k in range(1, min(len(lines), 80)):
            if text[lines[k][1] : lines[k][2]] in ("---", "..."):
                start, end = lines[0][1], lines[k][2]
                self.removed.append(RemovedBlock("front-matter", text[start:end], start, end))
                for ls, cs, ce in lines[1:k]:
                    m = re.match(r"([A-Za-z_-]+)\s*:\s*(.*)$", text[cs:ce])
                    if m:
                        self.front[m[1].lower()] = m[2].strip().strip("\"'")
                return k + 1
        return 0

    def _date_line(self, lines: list[tuple[int, int, int]], first: int) -> int:
        """An optional first line ``date YYYY-MM-DD``; the rest of that line is still content."""
        k = first
        while k < len(lines) and lines[k][1] == lines[k][2]:
            k += 1
        if k == len(lines):
            return first
        ls, cs, ce = lines[k]
        m = _DATE_LINE_RE.match(self.text, cs, ce)
        if not m:
            return first
        end = m.end()
        while end > cs and self.text[end - 1] in _WS:
            end -= 1
        self.removed.append(RemovedBlock("date-line", self.text[cs:end], cs, end))
        try:
            self.dates["date-line"] = (_dt.date(int(m[1]), int(m[2]), int(m[3])), None)
        except ValueError:
            self.notices.append(f"ignored an invalid date on the first line: {self.text[cs:end]!r}")
        rest = m.end()
        while rest < ce and self.text[rest] in _WS:
            rest += 1
        # The rest of the date line stands alone: a headline or a menu, never half a paragraph.
        if rest < ce:
            self._chunk([(rest, rest, ce)])
        return k + 1

    def _chunk(self, lines: list[tuple[int, int, int]]) -> None:
        """Turn a run of non-blank lines into items."""
        if not lines:
            return
        text = self.text
        parsed: list[_Item] = []
        indents: list[int] = []
        for ls, cs, ce in lines:
            body = text[cs:ce]
            m_head = _HEADING_RE.match(body) if self.markdown else None
            m_bullet = _BULLET_RE.match(body)
            if m_head:
                end = ce
                trail = re.search(r"[ \t]+#+$", body)
                if trail:
                    end = cs + trail.start()
                parsed.append(_Item(cs, cs + m_head.end(), end, "", "heading"))
            elif _SEPARATOR_RE.fullmatch(body):
                if self.markdown and body[0] in "=-" and parsed and parsed[-1].marker == "" and len(set(body)) == 1:
                    parsed[-1].marker = "heading"  # a setext underline makes the line above a heading
                parsed.append(_Item(cs, cs, ce, "", "", removed="markup"))
            elif m_bullet and not (body[0] in "-–—" and _PRICE_RE.match(body)):  # "- 1,29 %" is a price
                parsed.append(_Item(cs, cs + m_bullet.end(), ce, "", "bullet"))
            elif parsed and parsed[-1].marker == "bullet" and cs - ls > indents[-1] and not parsed[-1].removed:
                parsed[-1].end = ce  # an indented line under a list item continues it
                continue
            else:
                parsed.append(_Item(cs, cs, ce, ""))
            indents.append(cs - ls)
        # Markdown joins a paragraph's lines. Plain text joins them only when the chunk is hard-wrapped:
        # most lines nearly as long as the longest. Web copy pasted as text, one short item a line
        # (a menu, a headline, a byline), is not, and its lines stay separate items.
        plain = [it for it in parsed if it.marker == "" and not it.removed]
        width = max((it.end - it.cstart for it in plain), default=0)
        lengths = [it.end - it.cstart for it in plain[:-1]]
        long_lines = sum(1 for n in lengths if n >= 0.7 * width)
        may_wrap = (
            not self.markdown
            and bool(lengths)
            and long_lines * 3 >= len(lengths) * 2
            and not any(it.marker == "bullet" for it in parsed)
        )
        merged: list[_Item] = []
        for it in parsed:
            prev = merged[-1] if merged else None
            if prev is not None and prev.marker == "" and it.marker == "" and not prev.removed and not it.removed:
                if self.markdown or (
                    may_wrap and self._wrapped(prev, it, width) and not self._solo(prev) and not self._solo(it)
                ):
                    prev.end = it.end
                    continue
            merged.append(it)
        for it in merged:
            it.text = text[it.cstart : it.end]
            self.items.append(it)

    def _solo(self, it: _Item) -> bool:
        """Boilerplate on its own (a byline, "Partager"): never half of a wrapped paragraph."""
        line = self.text[it.cstart : it.end].rsplit("\n", 1)[-1]
        return bool(_strong_kind(line, False) or _parse_byline(line))

    def _wrapped(self, prev: _Item, nxt: _Item, width: int) -> bool:
        if not 50 <= width <= 100:
            return False
        last_line = self.text[prev.cstart : prev.end].rsplit("\n", 1)[-1]
        if len(last_line) < max(40, 0.7 * width):
            return False
        first = self.text[nxt.cstart : nxt.cstart + 1]
        return not _TERMINAL_RE.search(last_line) or first.islower()

    # ---- classification --------------------------------------------------------------------

    def classify(self) -> None:
        items = self.items
        for it in items:
            if it.removed:
                continue
            kind = _strong_kind(it.text, self.markdown)
            if kind is None and it.marker != "heading":
                kind = self._byline(it.text)
            if kind:
                it.removed = kind
        self._quote_boxes()
        self._list_headers()
        self._author_bio()
        self._toc()
        self._zones()

    def _kept(self) -> list[int]:
        return [i for i, it in enumerate(self.items) if not it.removed]

    def _byline(self, s: str) -> str | None:
        """Bylines and date stamps: the metadata goes to meta, the line to removed."""
        found = _parse_byline(s)
        if found is None:
            return None
        hits, tm, source, name = found
        if name and not self.meta.byline:
            self.meta.byline = name
        self._set_byline_meta(hits, tm, source)
        return "byline"

    def _set_byline_meta(self, hits: list[_DateHit], tm: str | None, source: str | None) -> None:
        full = [h for h in hits if h.year]
        if full and "byline" not in self.dates:
            h = full[0]
            self.dates["byline"] = (_dt.date(h.year, h.month, h.day), h)
            if tm and not self.meta.time:
                self.meta.time = tm
        elif tm and not self.meta.time and "byline" not in self.dates:
            self.meta.time = tm
        if source and not self.meta.source:
            self.meta.source = re.sub(r"\s+", " ", source)

    def _quote_boxes(self) -> None:
        """"Valeurs associées" and the company / price lines under it."""
        items = self.items
        for i, it in enumerate(items):
            if it.removed or not _QUOTE_BOX_RE.match(_norm(it.text)):
                continue
            it.removed = "quote-box"
            j = i + 1
            while j < len(items):
                s = items[j].text
                if items[j].removed and items[j].removed not in ("counter",):
                    break
                upper = len(s) <= 60 and not re.search(r"[a-zà-ÿ]{3}", s)
                price = len(s) <= 80 and _PRICE_RE.search(s) and len(_words(s)) <= 8
                nxt = items[j + 1].text if j + 1 < len(items) else ""
                name_then_price = len(s) <= 40 and len(_words(s)) <= 5 and len(nxt) <= 80 and _PRICE_RE.search(nxt)
                if not (upper or price or name_then_price):
                    break
                items[j].removed = "quote-box"
                j += 1

    def _list_headers(self) -> None:
        """A "Navigation :", "Lire aussi" or "En savoir plus" header takes the list under it along."""
        items = self.items
        for i, it in enumerate(items):
            if it.marker == "bullet" or _norm(it.text) not in _LIST_HEADERS:
                continue
            if it.removed not in (None, "navigation"):
                continue
            it.removed = "navigation"
            j = i + 1
            while j < len(items) and items[j].marker == "bullet":
                items[j].removed = "navigation"
                j += 1

    def _author_bio(self) -> None:
        items = self.items
        n = len(items)
        # rest_removed[k]: everything from item k on is already boilerplate
        rest_removed = [True] * (n + 1)
        for k in range(n - 1, -1, -1):
            rest_removed[k] = rest_removed[k + 1] and bool(items[k].removed)
        for i, it in enumerate(items):
            if it.removed == "author-bio" and _AUTHOR_HEADER_RE.match(it.text):
                for j in range(i + 1, min(n, i + 3)):
                    if items[j].removed or len(items[j].text) > 500 or items[j].marker == "heading":
                        break
                    items[j].removed = "author-bio"
                continue
            if it.removed or it.marker or not _is_name(it.text) or i + 1 >= n:
                continue
            bio = items[i + 1]
            if bio.removed or len(bio.text) > 500:
                continue
            quoted = bool(re.match(r"^[\"«“]", bio.text) and re.search(r"[\"»”]\s*$", bio.text))
            sentences = [s for s in re.split(r"[.!?]+", bio.text.strip("\"«»“” ")) if s.strip()]
            choppy = bool(sentences) and len(_words(bio.text)) / len(sentences) <= 5
            first = it.text.split()[0]
            about = bio.text.startswith(first) and re.search(r"\s(?:est|is)\s", bio.text[:80])
            if not ((quoted or about) and (_BIO_WORDS_RE.search(bio.text) or choppy)):
                continue
            if rest_removed[i + 2]:
                it.removed = bio.removed = "author-bio"
                if not self.meta.byline:
                    self.meta.byline = it.text.strip()

    def _toc(self) -> None:
        """List items repeating the article's own sub-headings are a table of contents."""
        kept_plain = {_norm(it.text) for it in self.items if not it.removed and it.marker != "bullet"}
        for it in self.items:
            if not it.removed and it.marker == "bullet" and _norm(it.text) in kept_plain:
                it.removed = "navigation"

    def _zones(self) -> None:
        """Before the first prose paragraph: headline, menus, labels; after the last: site footer."""
        items = self.items
        kept = self._kept()
        prose = [i for i in kept if _is_prose(items[i].text) and items[i].marker != "heading"]
        if not prose:
            top = items[kept[0]] if kept else None
            if len(kept) >= 2 and top.marker != "bullet" and not _TERMINAL_RE.search(top.text):
                top.headline = True
            return
        first, last = prose[0], prose[-1]
        header = [i for i in kept if i < first]
        candidates = [i for i in header if items[i].marker != "bullet"]
        headings = [i for i in candidates if items[i].marker == "heading"]
        substantial = [i for i in candidates if len(_words(items[i].text)) >= 4 or len(items[i].text) >= 25]
        headline = headings[0] if headings else (substantial[0] if substantial else None)
        if headline is None and len(candidates) == 1:
            headline = candidates[0]
        if headline is not None:
            items[headline].headline = True
        for i in header:
            it = items[i]
            if i == headline:
                continue
            if it.marker == "bullet" and not _TERMINAL_RE.search(it.text):
                # Menus sit above the headline; below it only one-to-three-word items are menus.
                if (headline is not None and i < headline) or len(_words(it.text)) <= 3:
                    it.removed = "navigation"
            elif it.marker != "heading" and _is_short_label(it.text) and headline is not None:
                it.removed = "navigation"  # section labels and the site name above the article
        for i in kept:
            if i <= last:
                continue
            it = items[i]
            s = it.text
            if it.marker == "bullet" and len(_words(s)) <= 4 and not _TERMINAL_RE.search(s):
                it.removed = "navigation"
            elif len(s) <= 200 and _NEWSLETTER_WORDS_RE.search(s) and not _is_prose(s):
                it.removed = "newsletter"
            elif len(s) <= 200 and re.match(r"^(?:vous aimez|vous avez aimé|did you (?:like|enjoy))\b", s, re.I):
                it.removed = "newsletter"
            elif _is_short_label(s):
                it.removed = "navigation"

    # ---- inside kept items ------------------------------------------------------------------

    def spans(self) -> list[tuple[_Item, int, int]]:
        """The kept spans of every kept item, after inline removals (notices, credits, dateline)."""
        text = self.text
        out: list[tuple[_Item, int, int]] = []
        dateline_done = False
        paragraphs_seen = 0
        for it in self.items:
            if it.removed:
                continue
            segs = [(it.cstart, it.end)]
            for m in _NOTICE_INLINE_RE.finditer(text, it.cstart, it.end):
                self.removed.append(RemovedBlock("translation-notice", m[0], m.start(), m.end()))
                new = []
                for a, b in segs:
                    if a <= m.start() and m.end() <= b:
                        new += [(a, m.start()), (m.end(), b)]
                    else:
                        new.append((a, b))
                segs = new
            segs = [self._trim(a, b) for a, b in segs]
            segs = [(a, b) for a, b in segs if b > a]
            if segs:
                a, b = segs[-1]
                m = _CREDITS_TAIL_RE.search(text, a, b)
                if m and m.end() == b and m.start() > a:
                    cs = m.start() + len(m[0]) - len(m[0].lstrip())
                    self.removed.append(RemovedBlock("credits", text[cs:b], cs, b))
                    segs[-1] = self._trim(a, m.start())
            if segs and not dateline_done and not it.headline and it.marker == "" and paragraphs_seen < 3:
                paragraphs_seen += 1
                a, b = segs[0]
                cut = self._dateline(a, b)
                if cut is not None:
                    dateline_done = True
                    segs[0] = self._trim(cut, b)
            segs = [(a, b) for a, b in segs if b > a]
            if not segs:
                it.removed = it.removed or "markup"
                continue
            for a, b in segs:
                self._inline_links(a, b)
                out.append((it, a, b))
        return out

    def _trim(self, a: int, b: int) -> tuple[int, int]:
        while a < b and (self.text[a] in _WS or self.text[a] == "\n"):
            a += 1
        while b > a and (self.text[b - 1] in _WS or self.text[b - 1] == "\n"):
            b -= 1
        return a, b

    def _dateline(self, a: int, b: int) -> int | None:
        """``PARIS, 27 février (Reuters) -`` at the start of a paragraph: to meta, out of the prose."""
        head = self.text[a : min(b, a + 160)]
        m = _DATELINE_SRC_RE.search(head)
        if not m:
            return None
        dash = re.match(r"\s*[-–—]{1,2}\s*", head[m.end() :])
        if not dash:
            return None
        before = head[: m.start()].strip()
        hits = _find_dates(before) if before else []
        city = before
        if hits:
            h = hits[-1]
            if before[h.end :].strip(" ,"):
                return None
            city = before[: h.start].strip(" ,")
        if city:
            # A city: capitalised, at most five words, no digits and no clause.
            if len(city) > 45 or re.search(r"\d", city) or not city[0].isupper() or len(city.split()) > 5:
                return None
            if not all(w[0].isupper() or w.lower() in _NAME_PARTICLES for w in re.split(r"[\s/-]+", city) if w):
                return None
        end = a + m.end() + dash.end()
        dl = self.text[a:end].rstrip(_WS)
        self.removed.append(RemovedBlock("dateline", dl, a, a + len(dl)))
        self.meta.dateline = re.sub(r"\s+", " ", dl)
        if not self.meta.source:
            self.meta.source = re.sub(r"\s+", " ", m["agency"])
        if hits:
            self.dates["dateline"] = (None, hits[-1])
        return end

    def _inline_links(self, a: int, b: int) -> None:
        """Link targets inside kept prose: listed (offsets inside the block) so later stages skip them."""
        if self.markdown:
            for m in re.finditer(r"(?<!!)\[[^\]\n]+\](\([^)\s]+(?:\s+\"[^\"\n]*\")?\))", self.text[a:b]):
                s, e = a + m.start(1), a + m.end(1)
                self.removed.append(RemovedBlock("link", self.text[s:e], s, e))
        for m in re.finditer(r",\s*opens new tab\b", self.text[a:b]):
            s, e = a + m.start(), a + m.end()
            self.removed.append(RemovedBlock("link", self.text[s:e], s, e))

    # ---- metadata --------------------------------------------------------------------------

    def resolve_dates(self, html_meta: dict[str, str]) -> None:
        meta = self.meta
        if self.front.get("date"):
            hits = _find_dates(self.front["date"])
            if hits and hits[0].year and "date-line" not in self.dates:
                h = hits[0]
                self.dates["date-line"] = (_dt.date(h.year, h.month, h.day), h)
        html_date = None
        if html_meta.get("date"):
            try:
                html_date = _dt.date.fromisoformat(html_meta["date"][:10])
            except ValueError:
                html_date = None
        for source in ("date-line", "byline"):
            if self.dates.get(source, (None, None))[0]:
                meta.date, meta.date_source = self.dates[source][0], source
                break
        if "dateline" in self.dates:
            hit = self.dates["dateline"][1]
            assert hit is not None
            year = hit.year or self._dateline_year(hit, meta.date or html_date)
            if meta.date is None and year:
                try:
                    meta.date, meta.date_source = _dt.date(year, hit.month, hit.day), "dateline"
                except ValueError:
                    pass
        if meta.date is None and html_date:
            meta.date, meta.date_source = html_date, "html"
        if html_meta.get("author") and not meta.byline:
            meta.byline = html_meta["author"]

    def _dateline_year(self, hit: _DateHit, ref: _dt.date | None) -> int | None:
        """The year of a dateline that has none: from another date of the article, else the copyright."""
        if ref is not None:
            return self._closest_year(hit, ref)
        for kind, body in self.removed_texts():
            m = re.search(r"(?:19|20)\d\d", body) if kind == "copyright" else None
            if m:
                return int(m[0])
        # Last resort, the latest full date the text mentions: nearer publication than older ones.
        full = [h for h in _find_dates(self.text[:200_000]) if h.year]
        if full:
            latest = max(_dt.date(h.year, h.month, h.day) for h in full)  # type: ignore[arg-type]
            return self._closest_year(hit, latest)
        return None

    def removed_texts(self) -> list[tuple[str, str]]:
        """(kind, text) of everything removed so far, items and inline spans alike."""
        return [(r.kind, r.text) for r in self.removed] + [(it.removed, it.text) for it in self.items if it.removed]

    @staticmethod
    def _closest_year(hit: _DateHit, ref: _dt.date) -> int:
        best = ref.year
        best_gap = None
        for y in (ref.year - 1, ref.year, ref.year + 1):
            try:
                gap = abs((_dt.date(y, hit.month, hit.day) - ref).days)
            except ValueError:
                continue
            if best_gap is None or gap < best_gap:
                best, best_gap = y, gap
        return best


# --------------------------------------------------------------------------------------------
# Tickers
# --------------------------------------------------------------------------------------------

_RIC_SUFFIXES = (
    "OQ|O|N|A|K|PA|DE|F|L|T|HK|SS|SZ|TO|V|AS|MI|MC|SW|S|ST|CO|HE|OL|BR|LS|AX|NZ|KS|KQ|TW|SI|BO|NS|JK|BK|KL|"
    "IS|SA|MX|JO|VI|WA|TA|I|IR|SG|BE|MU|DU|HA|PR|BU|AT|QA|AD|SE|CA|SN|BA|TWO"
)
_TICKER_RE = re.compile(
    r"(?<![\w.&@/\\-])(?P<sym>(?:(?P<base>[A-Z][A-Z0-9]{0,5}[a-z]?|\d{3,6})\.(?P<suffix>" + _RIC_SUFFIXES + r"))"
    r"|\.(?P<index>[A-Z][A-Z0-9]{2,8}))(?![\w&@/-])(?!\.[^\W_])"
)
_NOT_INDEXES = frozenset({"NET", "COM", "ORG", "GOV", "EDU", "TXT", "PDF", "HTML", "PHP", "EXE", "JPG", "PNG", "CSV"})
_CONNECTORS = frozenset({"of", "de", "du", "des", "&"})
_COMPANY_SUFFIXES = frozenset("inc inc. corp corp. co co. ltd ltd. plc sa s.a. se ag nv n.v. llc group".split())


def find_tickers(text: str, start: int = 0, end: int | None = None) -> list[Ticker]:
    """Stock tickers and RICs (``AMZN.O``, ``7203.T``, ``<VOD.L>``, ``.FCHI``) in text[start:end]."""
    end = len(text) if end is None else end
    found: list[Ticker] = []
    for m in _TICKER_RE.finditer(text, start, end):
        s, e = m.start(), m.end()
        bracketed = s > start and e < end and (text[s - 1], text[e]) in (("<", ">"), ("(", ")"))
        if m["index"]:
            if m["index"] in _NOT_INDEXES or not (bracketed or s == start or text[s - 1] in " \t\n\u00a0"):
                continue
        elif len(m["base"]) == 1 and not bracketed:
            # "U.S.", "S.A.", "U.N." look like one-letter RICs; only F.N-style ones with a N/O suffix pass.
            if m["suffix"] not in ("N", "O") or (e < len(text) and text[e] == "."):
                continue
        if bracketed:
            s, e = s - 1, e + 1
        company = _company_before(text, max(start, s - 120), s)
        found.append(Ticker(symbol=m["sym"], start=s, end=e, company=company))
    return found


def _company_before(text: str, lo: int, hi: int) -> str | None:
    """The name just before a ticker: "Amazon.com AMZN.O" → "Amazon.com", "d'Amazon AMZN.O" → "Amazon"."""
    taken: list[str] = []
    for tok in reversed(re.findall(r"\S+", text[lo:hi])):
        if tok.endswith((",", ";", ":", "»", '"', "”", ")", "!", "?")):
            break
        if tok.endswith(".") and tok.lower() not in _COMPANY_SUFFIXES and not re.search(r"\w\.\w", tok):
            break
        elided = re.match(r"^(?:[dlDL]|[Qq]u|[Jj]usqu|[Ll]orsqu|[Pp]uisqu)['’](.+)$", tok)
        word = elided[1] if elided else tok
        low = word.lower()
        if re.search(r"['’]s$", word):
            break  # "Germany's DAX": the owner is not part of the name
        capitalised = word[0].isupper() or (word[0].islower() and any(c.isupper() for c in word[1:]))
        if capitalised or word.isdigit():  # digits only inside a name: "CAC 40", "FTSE 100"
            taken.append(word)
        elif taken and low in _CONNECTORS:
            taken.append(word)
        else:
            break
        if elided or len(taken) >= 6:
            break  # an elided article ("d'Amazon") starts the name
    name = list(reversed(taken))
    while name and (name[0].lower() in _CONNECTORS or name[0].lower() in _CAP_STOPWORDS or name[0].isdigit()):
        name.pop(0)
    return " ".join(name) or None


# --------------------------------------------------------------------------------------------
# Language
# --------------------------------------------------------------------------------------------


def _language_name(code: str) -> str:
    from babel import Locale

    return Locale("en").languages.get(code, code)


def _normalize_lang(lang: str | None) -> str | None:
    if lang is None:
        return None
    code = str(lang).strip().lower().replace("_", "-").split("-")[0]
    if not re.fullmatch(r"[a-z]{2}", code) or _language_name(code) == code:
        raise UsageError(f"unknown language {lang!r}: give an ISO 639-1 code such as fr or en")
    return code


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def parse_article(text: str, lang: str | None = None, fmt: str = "text", path: str | None = None) -> Article:
    """Ingest decoded text: strip boilerplate, find metadata, tickers and prose blocks."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}: use text, markdown or html")
    want = _normalize_lang(lang)
    name = path or "the text"
    notices: list[str] = []
    html_meta: dict[str, str] = {}
    if fmt == "text" and _looks_like_html(text):  # score_pair() callers pass strings, not files
        fmt = "html"
        notices.append(f"{os.path.basename(name) if path else name} looks like HTML: parsed as HTML")
    layout = fmt == "markdown"
    if fmt == "html":
        text, html_meta, extra, layout = _html_to_text(text, name)
        notices += extra
    if not text.strip(_WS + "\n"):
        raise InputError(f"{name}: no text")

    p = _Parser(text, markdown=layout)
    p.split()
    p.classify()
    spans = p.spans()
    blocks: list[Block] = []
    for it, a, b in spans:
        kind = "headline" if it.headline else ("bullet" if it.marker == "bullet" else "paragraph")
        blocks.append(Block(start=a, end=b, text=text[a:b], kind=kind))
    if not blocks:
        raise InputError(f"{name}: no article text found (everything in it looks like boilerplate)")

    meta = p.meta
    head = next((bl for bl in blocks if bl.kind == "headline"), None)
    if head is not None:
        meta.headline = re.sub(r"\s+", " ", head.text)
    elif p.front.get("title"):
        meta.headline = p.front["title"]
    elif html_meta.get("title"):
        meta.headline = html_meta["title"]
    p.resolve_dates(html_meta)
    if not meta.source:  # "© 2026 Thomson Reuters" says whose copy it is
        for kind, body in p.removed_texts():
            ag = _AGENCY_RE.search(body) if kind == "copyright" else None
            if ag:
                meta.source = ag[0]
                break

    removed = list(p.removed)
    for it in p.items:
        if it.removed:
            removed.append(RemovedBlock(it.removed, text[it.start : it.end], it.start, it.end))
    removed = _merge_removed(removed, text)

    # Only removals made inside items (links, a dateline) can overlap a block; they do not overlap each other.
    inline = sorted((r.start, r.end) for r in p.removed)
    starts = [a for a, _ in inline]
    tickers: list[Ticker] = []
    for bl in blocks:
        for t in find_tickers(text, bl.start, bl.end):
            k = bisect.bisect_left(starts, t.end)
            if not (k > 0 and inline[k - 1][1] > t.start):
                tickers.append(t)

    article_lang = _resolve_language(blocks, tickers, text, want, name, notices)
    notices = p.notices + notices
    return Article(
        text=text,
        lang=article_lang,
        blocks=blocks,
        meta=meta,
        tickers=tickers,
        removed=removed,
        notices=notices,
        path=path,
        format=fmt,
    )


def _merge_removed(removed: list[RemovedBlock], text: str) -> list[RemovedBlock]:
    """Sorted, with runs of the same kind separated only by whitespace joined (one menu, one entry)."""
    removed = sorted(removed, key=lambda r: (r.start, r.end))
    out: list[RemovedBlock] = []
    for r in removed:
        last = out[-1] if out else None
        if (
            last is not None
            and last.kind == r.kind != "link"
            and last.end <= r.start
            and not text[last.end : r.start].strip(_WS + "\n")
        ):
            out[-1] = RemovedBlock(last.kind, text[last.start : r.end], last.start, r.end)
        else:
            out.append(r)
    return out


def _resolve_language(
    blocks: list[Block], tickers: list[Ticker], text: str, want: str | None, name: str, notices: list[str]
) -> str:
    # Tickers out: "AMZN.O" is no word of any language.
    parts, pos = [], 0
    for t in sorted(tickers, key=lambda t: t.start):
        parts += [text[pos : t.start], " " * (t.end - t.start)]
        pos = t.end
    blanked = "".join(parts) + text[pos:]
    prose_blocks = [b for b in blocks if b.kind != "headline"] or blocks
    prose = "\n".join(blanked[b.start : b.end] for b in prose_blocks)
    confidences = langid.language_confidences(prose)
    detected = None
    if confidences:
        code, value = max(confidences.items(), key=lambda kv: kv[1])
        detected = code if value >= 0.5 else None
    if want:
        if (
            detected
            and detected != want
            and want in confidences
            and confidences[detected] >= 0.9
            and confidences[want] <= 0.05
            and len(_words(prose)) >= 8
        ):
            hint = ": swap the arguments?" if {detected, want} == {"en", "fr"} else ""
            raise InputError(f"{name} looks like {_language_name(detected)}, not {_language_name(want)}{hint}")
        return want
    if detected is None:
        notices.append("could not tell the language of the text")
        return "und"
    return detected
