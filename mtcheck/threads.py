"""How many BLAS threads numpy may use while mtcheck computes.

The matrices are small (a sentence batch, an article-by-article similarity grid): a second OpenBLAS thread
gains nothing there and, on a shared machine, spins against other work. One thread also makes results
bit-identical between ``score``, ``report`` workers and library use, whatever the machine's default is.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from functools import lru_cache


def default_threads() -> int:
    """``$MTCHECK_THREADS``, else 1."""
    try:
        return max(1, int(os.environ.get("MTCHECK_THREADS", "1")))
    except ValueError:
        return 1


@lru_cache(maxsize=1)
def _controller():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()  # scans the loaded BLAS libraries once per process


@contextlib.contextmanager
def blas_threads(n: int | None = None) -> Iterator[None]:
    """Limit numpy's BLAS to ``n`` threads (default :func:`default_threads`) inside the block."""
    with _controller().limit(limits=n or default_threads(), user_api="blas"):
        yield
