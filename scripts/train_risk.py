#!/usr/bin/env python3
"""Train the risk model (logistic regression, torch) on feature dumps of scripts/eval_scoring.py.

Each aligned pair touching a line is one example, labelled by whether the line was corrupted. The
corruption types are weighted equally, and all corrupted pairs together weigh as much as the clean
ones, so the output is the probability of a corruption under even odds. Features are standardised;
mean, scale, weight and bias ship in models/risk.safetensors (a few hundred bytes), with the
feature names in its metadata. One article in five of the training set is held out to compare
with the hand-set weights: the model is written only when it beats them there (unless --force).

Usage:
    python scripts/eval_scoring.py --set newstest2012 --dump out/scoring-newstest2012.jsonl
    python scripts/train_risk.py out/scoring-newstest2012.jsonl [--test out/scoring-newstest2013.jsonl]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def examples(items, feats):
    """Pair-level matrix, labels and weights (equal weight per corruption type, even odds overall)."""
    import numpy as np

    xs, ys, types = [], [], []
    for it, (x, _) in zip(items, feats):
        for row in x:
            xs.append(row)
            ys.append(it.label)
            types.append(it.type)
    x, y = np.array(xs), np.array(ys, dtype=float)
    counts = {t: types.count(t) for t in set(types)}
    n_types = len([t for t in counts if t != "clean"])
    w = np.array([0.5 / counts[t] if t == "clean" else 0.5 / (n_types * counts[t]) for t in types])
    return x, y, w * len(w)


def fit(x, y, w, l2: float = 1e-3, steps: int = 300, nonneg: bool = True):
    """Weighted logistic regression on standardised features (L-BFGS), weights ≥ 0; returns the RiskModel."""
    import torch

    from mtcheck.risk import RiskModel

    mean = x.mean(0)
    scale = x.std(0)
    scale[scale < 1e-6] = 1.0
    xt = torch.tensor((x - mean) / scale, dtype=torch.float64)
    yt, wt = torch.tensor(y, dtype=torch.float64), torch.tensor(w, dtype=torch.float64)
    torch.manual_seed(0)
    # Every feature measures something wrong, so no weight may be negative: more findings, a worse
    # length ratio or a lower similarity never lower the risk (softplus keeps the weights positive).
    raw = torch.full((x.shape[1],), -2.0, dtype=torch.float64, requires_grad=True)
    bias = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([raw, bias], max_iter=steps, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        weight = torch.nn.functional.softplus(raw) if nonneg else raw
        logits = xt @ weight + bias
        loss = (torch.nn.functional.binary_cross_entropy_with_logits(logits, yt, reduction="none") * wt).mean()
        loss = loss + l2 * (weight ** 2).sum()
        loss.backward()
        return loss

    opt.step(closure)
    weight = torch.nn.functional.softplus(raw) if nonneg else raw
    return RiskModel(weight.detach().numpy().copy(), float(bias.item()), "logreg", mean, scale)


def mean_auc(items, feats, model) -> float:
    """Mean over corruption types of the ROC AUC against clean lines."""
    import numpy as np

    from eval_scoring import TYPES, item_scores, roc_auc

    s = item_scores(feats, model)
    clean = [s[i] for i, it in enumerate(items) if it.type == "clean"]
    aucs = [roc_auc([s[i] for i, it in enumerate(items) if it.type == t], clean) for t in TYPES]
    return float(np.nanmean(aucs))


def save(model, path: Path, source: str) -> None:
    """Write weight, bias, mean and scale as float32 safetensors with the feature names in the metadata."""
    import numpy as np
    from safetensors.numpy import save_file

    from mtcheck.risk import FEATURES

    tensors = {"weight": model.weights.astype(np.float32), "bias": np.array([model.bias], dtype=np.float32),
               "mean": model.mean.astype(np.float32), "scale": model.scale.astype(np.float32)}
    meta = {"features": ",".join(FEATURES), "name": model.name, "trained_on": source,
            "date": dt.date.today().isoformat(), "trainer": "scripts/train_risk.py"}
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(path), metadata=meta)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("train", type=Path, help="Feature dump of the training set.")
    ap.add_argument("--test", type=Path, help="Feature dump of a held-out set, for the report.")
    ap.add_argument("--out", type=Path, default=ROOT / "models" / "risk.safetensors")
    ap.add_argument("--l2", type=float, default=1e-3)
    ap.add_argument("--force", action="store_true", help="Write the model even if the hand weights do better.")
    args = ap.parse_args()

    from eval_scoring import auc_table, features, load_items

    from mtcheck.risk import FEATURES, hand_model

    items = load_items(args.train)
    dev = [it for it in items if it.article % 5 == 0]
    fit_items = [it for it in items if it.article % 5 != 0]
    f_fit, f_dev = features(fit_items), features(dev)
    model = fit(*examples(fit_items, f_fit), l2=args.l2)
    model.name = f"logreg@{args.train.stem.replace('scoring-', '')}"
    hand_dev, model_dev = mean_auc(dev, f_dev, hand_model()), mean_auc(dev, f_dev, model)
    print(f"held-out fifth of {args.train.name}: mean AUC hand {hand_dev:.3f}, logistic {model_dev:.3f}")
    # The shipped model is refitted on the whole training set once it has earned its place.
    final = fit(*examples(items, features(items)), l2=args.l2)
    final.name = model.name
    for name, wv in zip(FEATURES, final.weights / final.scale):
        print(f"  {name:13} {wv:+.3f} per unit")
    if model_dev > hand_dev or args.force:
        save(final, args.out, args.train.name)
        print(f"saved {args.out} ({args.out.stat().st_size} bytes)")
    else:
        print("not saved: the hand weights do as well on the held-out articles")
    if args.test:
        test = load_items(args.test)
        print(f"\n{args.test.name}:\n")
        print(auc_table(test, {"hand": hand_model(), "logistic": final}))


if __name__ == "__main__":
    main()
