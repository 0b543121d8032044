"""Figures in news copy: find and normalise them (:mod:`.extract`), render them the French way (:mod:`.render`),
and match English figures to French ones (:mod:`.compare`).

Public API::

    extract_figures(text, lang, exclude=()) -> list[Figure]
    render_figure(fig) -> str                       # "1,3 milliard de dollars"
    compare_figures(en_figs, fr_figs, en_conversions=(), fr_conversions=()) -> list[Comparison]
    find_conversions(text, figs, lang) -> list[Conversion]
    same_figure(en_fig, fr_fig) -> bool
"""

from .compare import Comparison, Conversion, compare_figures, find_conversions, relate, same_figure
from .extract import KINDS, DateParts, Figure, extract_figures
from .render import currency_name, format_number, month_name, render_amount, render_figure, weekday_name

__all__ = [
    "KINDS",
    "Comparison",
    "Conversion",
    "DateParts",
    "Figure",
    "compare_figures",
    "currency_name",
    "extract_figures",
    "find_conversions",
    "format_number",
    "month_name",
    "relate",
    "render_amount",
    "render_figure",
    "same_figure",
    "weekday_name",
]
