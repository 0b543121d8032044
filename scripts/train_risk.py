#!/usr/bin/env python3
"""Train the risk model (torch) on feature dumps of scripts/eval_scoring.py; ship it as safetensors.

Each aligned pair touching a line is one example, labelled by whether the line was corrupted. All
corrupted pairs together weigh as much as the clean ones, so the output is the probability of a
corruption at even odds; among corruption types, each weighs the same except those given a
``--boost`` (default: dropped-clause 3, negation 1.5, the two types the default path finds worst,
chosen on the 2011-vs-2012 split below, never on the test set). Features are standardised.

The model is a logistic regression (default) or, with ``--hidden N``, a network with one hidden
layer of N softplus units; both keep every weight ≥ 0 (more evidence never lowers the risk), and
with ``--hidden`` both are fitted and shown. They are compared with the hand-set weights on the
training dump's own split: trained on the articles of one test set (newstest2011), scored on the
other's (newstest2012) and the other way round (or, for a dump of one set, on a held-out fifth of
the articles). The model is written only when it beats the hand weights there (unless --force),
after a final fit on the whole dump. Mean, scale, weights and bias ship in models/risk.safetensors
(under a kilobyte), with the feature names and the training recipe in its metadata.

Usage:
    python scripts/eval_scoring.py --set newstest2011,newstest2012 --articles 150 --seed 11 \\
        --dump out/scoring-train-2011-2012.jsonl
    python scripts/train_risk.py out/scoring-train-2011-2012.jsonl [--test out/scoring-test-2013.jsonl]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

DEFAULT_BOOST = "dropped-clause=3,negation=1.5"


def parse_boost(text: str) -> dict[str, float]:
    """``"dropped-clause=3,negation=1.5"`` → ``{"dropped-clause": 3.0, "negation": 1.5}``."""
    out = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.partition("=")
        out[name.strip()] = float(value)
    return out


def examples(items, feats, boost: dict[str, float] | None = None):
    """Pair-level matrix, labels and weights: clean pairs weigh 1/2 in all, corrupted ones 1/2 shared
    among the corruption types in proportion to their boost (1 unless given)."""
    import numpy as np

    boost = boost or {}
    xs, ys, types = [], [], []
    for it, (x, _) in zip(items, feats):
        for row in x:
            xs.append(row)
            ys.append(it.label)
            types.append(it.type)
    x, y = np.array(xs), np.array(ys, dtype=float)
    counts = {t: types.count(t) for t in set(types)}
    total = sum(boost.get(t, 1.0) for t in counts if t != "clean")
    w = np.array([0.5 / counts[t] if t == "clean" else 0.5 * boost.get(t, 1.0) / (total * counts[t]) for t in types])
    return x, y, w * len(w)


def fit(x, y, w, l2: float = 1e-5, steps: int = 400, hidden: int = 0, seed: int = 0):
    """Weighted logistic regression (``hidden=0``) or one-hidden-layer network on standardised features
    (L-BFGS), every weight ≥ 0 through a softplus; returns the RiskModel."""
    import torch

    from mtcheck.risk import RiskModel

    mean = x.mean(0)
    scale = x.std(0)
    scale[scale < 1e-6] = 1.0
    xt = torch.tensor((x - mean) / scale, dtype=torch.float64)
    yt, wt = torch.tensor(y, dtype=torch.float64), torch.tensor(w, dtype=torch.float64)
    gen = torch.Generator().manual_seed(seed)
    softplus = torch.nn.functional.softplus
    n_in = x.shape[1]
    # Every feature measures something wrong, so no weight may be negative: more findings, a worse
    # length ratio or a lower similarity never lower the risk.
    if hidden:
        raw_h = (torch.randn(hidden, n_in, generator=gen, dtype=torch.float64) * 0.5 - 2.0).requires_grad_()
        bias_h = torch.zeros(hidden, dtype=torch.float64, requires_grad=True)
        raw = (torch.randn(hidden, generator=gen, dtype=torch.float64) * 0.5).requires_grad_()
        params = [raw_h, bias_h]
    else:
        raw = torch.full((n_in,), -2.0, dtype=torch.float64, requires_grad=True)
        params = []
    bias = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    params += [raw, bias]

    def forward():
        h = softplus(xt @ softplus(raw_h).T + bias_h) if hidden else xt
        return h @ softplus(raw) + bias

    opt = torch.optim.LBFGS(params, max_iter=steps, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = (torch.nn.functional.binary_cross_entropy_with_logits(forward(), yt, reduction="none") * wt).mean()
        loss = loss + l2 * (softplus(raw) ** 2).sum()
        if hidden:
            loss = loss + l2 * (softplus(raw_h) ** 2).sum()
        loss.backward()
        return loss

    torch.manual_seed(seed)
    opt.step(closure)
    weight = softplus(raw).detach().numpy().copy()
    if not hidden:
        return RiskModel(weight, float(bias.item()), "logreg", mean, scale)
    return RiskModel(weight, float(bias.item()), "mlp", mean, scale,
                     softplus(raw_h).detach().numpy().copy(), bias_h.detach().numpy().copy())


def aucs(items, feats, model) -> dict[str, float]:
    """ROC AUC of each corruption type against the clean lines, and their mean."""
    import numpy as np

    from eval_scoring import TYPES, item_scores, roc_auc

    s = item_scores(feats, model)
    clean = [s[i] for i, it in enumerate(items) if it.type == "clean"]
    out = {t: roc_auc([s[i] for i, it in enumerate(items) if it.type == t], clean) for t in TYPES}
    out["mean"] = float(np.nanmean([out[t] for t in TYPES]))
    return out


def splits(items) -> list[tuple[str, list, list]]:
    """(name, fit items, held-out items): one set against the other when the dump has two, else a fifth."""
    sources = sorted({getattr(it, "source", "") for it in items} - {""})
    if len(sources) >= 2:
        a, b = sources[0], sources[1]
        one = [it for it in items if it.source == a]
        two = [it for it in items if it.source == b]
        return [(f"{a} → {b}", one, two), (f"{b} → {a}", two, one)]
    return [("held-out fifth", [it for it in items if it.article % 5], [it for it in items if not it.article % 5])]


def save(model, path: Path, source: str, boost: dict[str, float]) -> None:
    """Write the tensors as float32 safetensors with the feature names and the training recipe in the metadata."""
    import numpy as np
    from safetensors.numpy import save_file

    from mtcheck.risk import FEATURES

    tensors = {"weight": model.weights.astype(np.float32), "bias": np.array([model.bias], dtype=np.float32),
               "mean": model.mean.astype(np.float32), "scale": model.scale.astype(np.float32)}
    if model.hidden_weight is not None:
        tensors["hidden.weight"] = model.hidden_weight.astype(np.float32)
        tensors["hidden.bias"] = model.hidden_bias.astype(np.float32)
    meta = {"features": ",".join(FEATURES), "name": model.name, "kind": model.kind, "trained_on": source,
            "boost": ",".join(f"{k}={v:g}" for k, v in sorted(boost.items())),
            "date": dt.date.today().isoformat(), "trainer": "scripts/train_risk.py"}
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(path), metadata=meta)
    path.chmod(0o644)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("train", type=Path, help="Feature dump of the training set.")
    ap.add_argument("--test", type=Path, help="Feature dump of a held-out set, for the report.")
    ap.add_argument("--out", type=Path, default=ROOT / "models" / "risk.safetensors")
    ap.add_argument("--hidden", type=int, default=0,
                    help="Hidden units of the shipped model (default 0: logistic regression).")
    ap.add_argument("--boost", default=DEFAULT_BOOST,
                    help=f"Weight of corruption types relative to the others (default {DEFAULT_BOOST}); '' for none.")
    ap.add_argument("--l2", type=float, default=1e-5, help="L2 penalty on the weights (default 1e-5).")
    ap.add_argument("--force", action="store_true", help="Write the model even if the hand weights do better.")
    args = ap.parse_args()

    from eval_scoring import TYPES, auc_table, features, load_items

    from mtcheck.risk import FEATURES, hand_model

    boost = parse_boost(args.boost)
    items = load_items(args.train)
    kinds = {"logistic": 0, f"mlp-{args.hidden}": args.hidden} if args.hidden else {"logistic": 0}
    chosen = f"mlp-{args.hidden}" if args.hidden else "logistic"
    cv: dict[str, list[dict[str, float]]] = {"hand": [], **{k: [] for k in kinds}}
    for name, fit_items, held in splits(items):
        f_fit, f_held = features(fit_items), features(held)
        cv["hand"].append(aucs(held, f_held, hand_model()))
        for kind, hidden in kinds.items():
            model = fit(*examples(fit_items, f_fit, boost), l2=args.l2, hidden=hidden)
            cv[kind].append(aucs(held, f_held, model))
    cols = list(TYPES) + ["mean"]
    print(f"{args.train.name}, trained on one part, scored on the other ({', '.join(n for n, _, _ in splits(items))};"
          f" mean of the two), boost {boost or 'none'}:\n")
    print("| model | " + " | ".join(c.replace("-", " ") for c in cols) + " |")
    print("|---" * (len(cols) + 1) + "|")
    mean_of = {}
    for kind, runs in cv.items():
        mean_of[kind] = {c: sum(r[c] for r in runs) / len(runs) for c in cols}
        print(f"| {kind} | " + " | ".join(f"{mean_of[kind][c]:.3f}" for c in cols) + " |")

    # The shipped model is refitted on the whole training set once it has earned its place.
    feats = features(items)
    finals = {kind: fit(*examples(items, feats, boost), l2=args.l2, hidden=hidden) for kind, hidden in kinds.items()}
    stem = args.train.stem.replace("scoring-", "")
    for kind, model in finals.items():
        model.name = f"{'logreg' if kind == 'logistic' else kind}@{stem}"
    final = finals[chosen]
    if final.hidden_weight is None:
        print("\nweights per raw unit:")
        for name, wv in zip(FEATURES, final.weights / final.scale):
            print(f"  {name:13} {wv:+.3f}")
    else:
        print(f"\nhidden units (weight per raw unit, output weight {', '.join(f'{v:.2f}' for v in final.weights)}):")
        for name, col in zip(FEATURES, (final.hidden_weight / final.scale).T):
            print(f"  {name:13} " + " ".join(f"{v:+7.3f}" for v in col))
    if mean_of[chosen]["mean"] > mean_of["hand"]["mean"] or args.force:
        save(final, args.out, args.train.name, boost)
        print(f"saved {args.out} ({final.name}, {args.out.stat().st_size} bytes)")
    else:
        print(f"not saved: the hand weights do as well on the held-out articles ({mean_of['hand']['mean']:.3f})")
    if args.test:
        test = load_items(args.test)
        print(f"\n{args.test.name}:\n")
        print(auc_table(test, {"hand": hand_model(), **{k: m for k, m in finals.items() if k != chosen},
                               chosen: final}))


if __name__ == "__main__":
    main()
