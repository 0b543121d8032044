"""Risk: features, labels, the shipped model, and the risk the pipeline puts on pairs and articles."""

from __future__ import annotations

import importlib.util
import sys
import random

import numpy as np
import pytest

from conftest import DATA, DEMO, ROOT
from mtcheck.errors import MtcheckError
from mtcheck.records import AlignedPair, ArticleScores, Finding, Severity
from mtcheck.risk import (
    FEATURES,
    LABELS,
    MODEL_PATH,
    RISK_CHECK,
    RISK_WRONG,
    apply_risk,
    english_negations,
    french_negations,
    hand_model,
    load_model,
    missing_anchors,
    negation_mismatch,
    pair_features,
    risk_label,
    risk_level,
)

EN = "The European Central Bank cut its key interest rates by 25 basis points on Thursday."
FR = "La Banque centrale européenne a abaissé jeudi ses taux directeurs de 25 points de base."


def pair(en=EN, fr=FR, sim=0.86, index=0, en_idx=(0,), fr_idx=(0,)) -> AlignedPair:
    ratio = round(len(fr) / len(en), 4) if en and fr else None
    return AlignedPair(index, list(en_idx) if en else [], list(fr_idx) if fr else [], en, fr,
                       similarity=sim if en and fr else None, length_ratio=ratio)


def test_negations_counted_in_both_languages():
    assert english_negations("He did not come and won't, never.") == 3
    assert french_negations("Il ne viendra pas.") == 1
    assert french_negations("Aucun responsable n'a commenté.") == 1
    assert french_negations("Il n'a que deux enfants.") == 0  # restrictive ne ... que
    assert french_negations("La personne est venue sans son frère.") == 0  # sans / without: left out
    assert english_negations("He came without his brother.") == 0
    assert french_negations("Le port est non loin du centre.") == 0  # "non" as a prefix
    assert french_negations("Non, a-t-il dit.") == 1
    assert french_negations("Il est plus fort que jamais.") == 0  # "than ever"
    assert french_negations("Après un premier faux pas, il a réussi.") == 0  # a step
    assert french_negations("Il n'attend plus que le feu vert.") == 0  # "only"
    assert french_negations("Il n'attend plus le feu vert.") == 1
    assert negation_mismatch("The bank did not cut rates.", "La banque a abaissé ses taux.") == 1
    assert negation_mismatch("The bank did not cut rates.", "La banque n'a pas abaissé ses taux.") == 0


def test_labels_and_levels():
    assert (risk_label(0.1), risk_label(RISK_CHECK), risk_label(RISK_WRONG)) == ("ok", "check", "wrong")
    assert [risk_level(v) for v in (0.0, 0.49, 0.5, 0.79, 0.8, 1.0)] == [0, 0, 1, 1, 2, 2]
    assert [LABELS[int(v)] for v in (0.0, 1.0, 2.0)] == ["ok", "check", "wrong"]


def test_features_of_bead_shapes():
    f = pair_features(pair())
    assert list(f) == list(FEATURES) and f["gap"] == 0 and 0 < f["dissim"] < 0.2
    omission = pair_features(pair(fr="", sim=None))
    assert omission["gap"] == 1 and omission["dissim"] == 0
    short = pair_features(pair(en="Reuters", fr="", sim=None))
    assert short["gap"] == 0  # a dateline is not an omission
    copied = pair_features(pair(fr=EN, sim=0.99))
    assert copied["copy"] > 0.9 and f["copy"] < 0.4
    truncated = pair_features(pair(fr=FR[:30]))
    assert truncated["len_short"] > 0.5 and truncated["len_long"] == 0
    merged = pair(en=EN + " " + EN, fr=FR + " " + FR[:30], en_idx=(0, 1), fr_idx=(0, 1))
    whole = pair_features(merged)
    split = pair_features(merged, [], [EN, EN], [FR, FR[:30]])
    assert whole["merge"] == 1 and whole["sub_short"] == 0
    assert split["sub_short"] > 0.5 > whole["len_short"]  # the cut sentence shows once looked at alone
    finding = Finding("figure", Severity.ERROR, "changed", pair=0)
    with_finding = pair_features(pair(), [finding])
    assert with_finding["errors"] == 1 and with_finding["figure"] == 1


def test_features_of_a_dropped_clause():
    en = ("More than 7.5m voters turned out on November 27th, 70% of those eligible, to elect mayors in five "
          "districts, in what is seen as a broad assessment of the president, Ma Ying-jeou.")
    fr = ("Plus de 7,5 millions d'électeurs se sont présentés le 27 novembre, soit 70% des personnes admissibles, "
          "pour élire les maires de cinq districts, dans ce qui est vu comme un jugement porté sur le président, "
          "Ma Ying-jeou.")
    cut = "Plus de 7,5 millions d'électeurs se sont présentés le 27 novembre, Ma Ying-jeou."
    whole, dropped = pair_features(pair(en, fr)), pair_features(pair(en, cut))
    assert whole["anchor_miss"] == 0 and dropped["anchor_miss"] == 1  # 70 (%) is gone
    assert dropped["punct_less"] > whole["punct_less"] == 0
    assert dropped["ngram_gap"] > whole["ngram_gap"]
    assert dropped["short_z"] > 2 > whole["short_z"]
    # the same ratio is stranger in a long sentence than in a short one (human ratios vary less there)
    short, long_ = pair_features(pair("a" * 40, "b" * 36)), pair_features(pair("a" * 240, "b" * 216))
    assert short["len_short"] == pytest.approx(long_["len_short"], abs=0.03) and long_["short_z"] > short["short_z"]
    assert missing_anchors("Mr Obama met Angela Merkel in Berlin on Monday.",
                           "M. Obama a rencontré Angela Merkel lundi à Berlin.") == 0
    assert missing_anchors("Sales rose 12% to $3.4bn.", "Les ventes ont augmenté de 12 % à 3,4 milliards.") == 0


@pytest.mark.parametrize("model", [hand_model(), load_model()], ids=["hand", "shipped"])
def test_risk_orders_obvious_cases(model):
    pairs = [
        pair(index=0),
        pair(fr="", sim=None, index=1),  # omission
        pair(fr=EN, sim=0.98, index=2),  # untranslated
        pair(fr=FR[:35], sim=0.7, index=3),  # truncated
        pair(index=4),
    ]
    findings = [Finding("untranslated", Severity.ERROR, "English", pair=2),
                Finding("figure", Severity.ERROR, "25 → 52", pair=4)]
    scores = ArticleScores()
    apply_risk(pairs, findings, scores, model)
    risk = [p.scores["risk"] for p in pairs]
    assert all(0 <= r <= 1 for r in risk)
    assert risk[0] < RISK_CHECK and pairs[0].scores["risk_level"] == 0
    assert min(risk[1], risk[2], risk[4]) >= RISK_WRONG and risk[3] >= RISK_CHECK
    assert scores.extra["risk"] == max(risk)
    assert scores.extra["risk_wrong"] == sum(p.scores["risk_level"] == 2 for p in pairs)
    assert 0 <= scores.extra["risk_mean"] <= 1


def test_back_translation_raises_risk_when_poor():
    good, poor = pair(index=0), pair(index=1)
    good.scores["bt_chrf"], poor.scores["bt_chrf"] = 80.0, 10.0
    apply_risk([good, poor], [], ArticleScores(), hand_model())
    assert poor.scores["risk"] > good.scores["risk"]


def test_model_file_round_trip_and_feature_check(tmp_path):
    from safetensors.numpy import save_file

    w = np.linspace(-1, 1, len(FEATURES)).astype(np.float32)
    path = tmp_path / "risk.safetensors"
    save_file({"weight": w, "bias": np.array([0.25], dtype=np.float32),
               "mean": np.zeros(len(FEATURES), np.float32), "scale": np.ones(len(FEATURES), np.float32)},
              str(path), metadata={"features": ",".join(FEATURES), "name": "test"})
    m = load_model(path)
    x = np.random.default_rng(0).random((4, len(FEATURES)))
    assert m.name == "test"
    assert np.allclose(m.predict(x), 1 / (1 + np.exp(-(x @ w.astype(float) + 0.25))), atol=1e-6)
    bad = tmp_path / "bad.safetensors"
    save_file({"weight": w[:3], "bias": np.array([0.0], np.float32)}, str(bad), metadata={"features": "a,b,c"})
    with pytest.raises(MtcheckError, match="retrain"):
        load_model(bad)


def test_model_with_a_hidden_layer_round_trip(tmp_path):
    from safetensors.numpy import save_file

    rng = np.random.default_rng(1)
    hw, hb = rng.random((3, len(FEATURES))).astype(np.float32), rng.random(3).astype(np.float32)
    w = rng.random(3).astype(np.float32)
    path = tmp_path / "mlp.safetensors"
    save_file({"weight": w, "bias": np.array([-1.0], np.float32), "hidden.weight": hw, "hidden.bias": hb},
              str(path), metadata={"features": ",".join(FEATURES), "name": "mlp-test"})
    m = load_model(path)
    x = rng.random((5, len(FEATURES)))
    expected = 1 / (1 + np.exp(-(np.log1p(np.exp(x @ hw.T.astype(float) + hb)) @ w.astype(float) - 1.0)))
    assert m.kind == "mlp-3" and np.allclose(m.predict(x), expected, atol=1e-6)
    assert load_model().kind in ("logistic", "mlp-4")


def test_shipped_model_is_small_safetensors():
    assert MODEL_PATH.is_file(), "models/risk.safetensors is shipped: retrain it with scripts/train_risk.py"
    assert MODEL_PATH.stat().st_size < 4096
    assert MODEL_PATH.read_bytes()[8:9] == b"{"  # a safetensors header, not a pickle
    assert load_model().name != "hand"


def test_pipeline_puts_risk_on_pairs_and_article(encoder):
    from mtcheck.gate import article_risk
    from mtcheck.pipeline import score_pair

    fr = (DEMO / "07-japan.fr.txt").read_text(encoding="utf-8")
    en = (DEMO / "07-japan.en.txt").read_text(encoding="utf-8")
    result = score_pair(fr, en, encoder=encoder)
    assert result.scorers[-1] == "risk"
    risks = [p.scores["risk"] for p in result.pairs]
    assert result.scores.extra["risk"] == max(risks) == article_risk(result)
    omitted = [p for p in result.pairs if p.kind == "1-0" and len(p.en_text) > 40]
    assert omitted and all(p.scores["risk_level"] == 2 for p in omitted)
    row = result.to_dataframe().iloc[0]
    assert "risk" in row and "risk_level" in row


def _eval_module():
    spec = importlib.util.spec_from_file_location("eval_scoring", ROOT / "scripts" / "eval_scoring.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the script runs
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (DATA / "opus-mt-testsets-eng-fra").is_dir(), reason="needs ../shared/data")
def test_corrupted_newstest_lines_outscore_clean_ones(encoder):
    from mtcheck.config import Config

    ev = _eval_module()
    en, fr = ev.load_set("newstest2013")
    article = list(zip(en[100:106], fr[100:106]))
    clean, _, _ = ev.run_article(article, encoder, Config())
    broken = list(article)
    broken[1] = (article[1][0], article[1][0])  # untranslated
    broken[4] = (article[4][0], ev.truncated(article[4][0], article[4][1], random.Random(0), None))
    bad, _, _ = ev.run_article(broken, encoder, Config())

    def risk(rows):
        return max(r["risk"] for r in rows)

    assert risk(bad[1]) >= RISK_WRONG  # English left in the French
    assert all(risk(bad[k]) > risk(clean[k]) + 0.1 for k in (1, 4))
    assert ev.roc_auc([0.9, 0.8], [0.1, 0.85]) == 0.75
