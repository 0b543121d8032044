#!/usr/bin/env python3
"""Build a tiny French→English MarianMT model in seconds, for tests and plumbing benchmarks.

It has its own sentencepiece vocabulary (trained on the pairs), two encoder and two decoder layers
of width 32, and a few hundred training steps: its translations are poor, but the files and the
load → translate → score path are exactly those of ``Helsinki-NLP/opus-mt-fr-en``.

Usage:
    python scripts/make_tiny_marian.py [OUT_DIR] [--pairs N] [--steps N] [--builtin]

OUT_DIR defaults to models/tiny-marian-fr-en/ (git-ignored). With ../shared/data/tatoeba-fra-eng/fra.txt
present it trains on the first N short pairs of that file; otherwise (or with --builtin) on the
built-in pairs below.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TATOEBA = ROOT.parent / "shared" / "data" / "tatoeba-fra-eng" / "fra.txt"
DEFAULT_OUT = ROOT / "models" / "tiny-marian-fr-en"
MODEL_NAME = "mtcheck/tiny-marian-fr-en"

# Written for this project: short wire-style pairs, French first.
BUILTIN_PAIRS: list[tuple[str, str]] = [
    ("La banque a relevé ses taux.", "The bank raised its rates."),
    ("La banque a abaissé ses taux.", "The bank cut its rates."),
    ("Les marchés ont reculé lundi.", "Markets fell on Monday."),
    ("Les marchés ont progressé mardi.", "Markets rose on Tuesday."),
    ("Le gouvernement a annoncé un plan.", "The government announced a plan."),
    ("Le ministre a démissionné jeudi.", "The minister resigned on Thursday."),
    ("L'entreprise a publié ses résultats.", "The company published its results."),
    ("Le chiffre d'affaires a augmenté de 5 %.", "Revenue rose 5%."),
    ("Le bénéfice net a baissé de 3 %.", "Net profit fell 3%."),
    ("Les prix du pétrole ont grimpé.", "Oil prices climbed."),
    ("L'inflation a ralenti en mars.", "Inflation slowed in March."),
    ("Le chômage est resté stable.", "Unemployment was stable."),
    ("La Bourse de Paris a fini en hausse.", "The Paris bourse ended higher."),
    ("La Bourse de Tokyo a fini en baisse.", "The Tokyo stock exchange ended lower."),
    ("Le président a rencontré le premier ministre.", "The president met the prime minister."),
    ("Le groupe va supprimer des emplois.", "The group will cut jobs."),
    ("Le groupe va créer des emplois.", "The group will create jobs."),
    ("La société n'a pas commenté.", "The company did not comment."),
    ("Le porte-parole n'a pas répondu.", "The spokesman did not respond."),
    ("Les analystes attendaient une baisse.", "Analysts expected a fall."),
    ("Les analystes attendaient une hausse.", "Analysts expected a rise."),
    ("Le dollar a gagné du terrain.", "The dollar gained ground."),
    ("L'euro a perdu du terrain.", "The euro lost ground."),
    ("La banque centrale a maintenu ses taux.", "The central bank kept its rates."),
    ("Le pays a signé un accord.", "The country signed an agreement."),
    ("Les ventes ont progressé au premier trimestre.", "Sales rose in the first quarter."),
    ("Les ventes ont reculé au deuxième trimestre.", "Sales fell in the second quarter."),
    ("Le conseil a approuvé la fusion.", "The board approved the merger."),
    ("Le conseil a rejeté l'offre.", "The board rejected the offer."),
    ("Les actionnaires ont voté jeudi.", "Shareholders voted on Thursday."),
    ("La croissance a été plus forte que prévu.", "Growth was stronger than expected."),
    ("La croissance a été plus faible que prévu.", "Growth was weaker than expected."),
    ("Le titre a chuté de 10 %.", "The shares fell 10%."),
    ("Le titre a bondi de 8 %.", "The shares jumped 8%."),
    ("Les investisseurs restent prudents.", "Investors remain cautious."),
    ("La demande a faibli en Chine.", "Demand weakened in China."),
    ("La demande a augmenté en Europe.", "Demand rose in Europe."),
    ("Le projet a été retardé.", "The project was delayed."),
    ("Le contrat a été signé à Paris.", "The contract was signed in Paris."),
    ("Il a dit que la situation était grave.", "He said the situation was serious."),
    ("Elle a dit que les prix allaient baisser.", "She said prices would fall."),
    ("Les syndicats ont appelé à la grève.", "Unions called for a strike."),
    ("La police a arrêté deux personnes.", "Police arrested two people."),
    ("Le tribunal a rendu sa décision.", "The court issued its ruling."),
    ("La compagnie aérienne a annulé des vols.", "The airline cancelled flights."),
    ("Le constructeur a rappelé des voitures.", "The carmaker recalled cars."),
    ("Les exportations ont baissé en mai.", "Exports fell in May."),
    ("Les importations ont augmenté en juin.", "Imports rose in June."),
    ("Le déficit s'est creusé.", "The deficit widened."),
    ("La dette a atteint un record.", "Debt hit a record."),
    ("Le marché attend la décision de la Fed.", "The market awaits the Fed decision."),
    ("Les taux resteront bas cette année.", "Rates will stay low this year."),
    ("La banque ne prévoit pas de baisse.", "The bank does not expect a cut."),
    ("Le groupe n'a pas donné de détails.", "The group gave no details."),
    ("Les résultats seront publiés mardi.", "Results will be published on Tuesday."),
    ("Le directeur général a quitté ses fonctions.", "The chief executive stepped down."),
    ("La fusion doit être finalisée en juin.", "The merger is due to close in June."),
    ("Les prix de l'énergie ont flambé.", "Energy prices soared."),
    ("La production industrielle a reculé.", "Industrial output fell."),
    ("Le pays est entré en récession.", "The country entered a recession."),
]


def tatoeba_pairs(n: int, max_chars: int = 60) -> list[tuple[str, str]]:
    """The first ``n`` short (French, English) pairs of the shared Tatoeba file, or [] when it is absent."""
    if not TATOEBA.is_file():
        return []
    out = []
    with open(TATOEBA, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and len(parts[0]) <= max_chars and len(parts[1]) <= max_chars:
                out.append((parts[1], parts[0]))  # file is English<TAB>French
            if len(out) >= n:
                break
    return out


def _train_spm(texts: list[str], out_dir: Path, vocab_size: int) -> Path:
    """A joint French+English unigram model laid out as Marian expects: </s>=0, <unk>=1, no BOS, no pad."""
    import sentencepiece as spm

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.txt"
        corpus.write_text("\n".join(texts) + "\n", encoding="utf-8")
        prefix = Path(tmp) / "spm"
        spm.SentencePieceTrainer.train(
            input=str(corpus), model_prefix=str(prefix), vocab_size=vocab_size, model_type="unigram",
            character_coverage=1.0, eos_id=0, unk_id=1, bos_id=-1, pad_id=-1, hard_vocab_limit=False,
            num_threads=1, minloglevel=2,
        )
        target = out_dir / "source.spm"
        target.write_bytes(prefix.with_suffix(".model").read_bytes())
    (out_dir / "target.spm").write_bytes(target.read_bytes())
    return target


def build_tiny_marian(out_dir: str | Path = DEFAULT_OUT, pairs: list[tuple[str, str]] | None = None,
                      steps: int = 300, seed: int = 0, d_model: int = 32, layers: int = 2,
                      vocab_size: int = 400, max_positions: int = 128, quiet: bool = True) -> Path:
    """Train and save a tiny MarianMT fr→en model (safetensors) with its tokenizer into ``out_dir``."""
    import warnings

    import sentencepiece as spm
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    pairs = list(pairs or BUILTIN_PAIRS)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    random.seed(seed)
    torch.manual_seed(seed)

    spm_path = _train_spm([t for p in pairs for t in p], out, vocab_size)
    sp = spm.SentencePieceProcessor(model_file=str(spm_path))
    vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
    pad_id = len(vocab)
    vocab["<pad>"] = pad_id  # Marian keeps pad last
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=0), encoding="utf-8")

    config = MarianConfig(
        vocab_size=len(vocab), decoder_vocab_size=len(vocab), d_model=d_model,
        encoder_layers=layers, decoder_layers=layers, encoder_attention_heads=4, decoder_attention_heads=4,
        encoder_ffn_dim=d_model * 2, decoder_ffn_dim=d_model * 2, max_position_embeddings=max_positions,
        pad_token_id=pad_id, eos_token_id=0, decoder_start_token_id=pad_id, forced_eos_token_id=0,
        scale_embedding=True, share_encoder_decoder_embeddings=True, dropout=0.0, attention_dropout=0.0,
        activation_dropout=0.0,
    )
    model = MarianMTModel(config)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Recommended: pip install sacremoses"
        tok = MarianTokenizer(source_spm=str(out / "source.spm"), target_spm=str(out / "target.spm"),
                              vocab=str(out / "vocab.json"), source_lang="fr", target_lang="en",
                              model_max_length=max_positions)

    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    batch = min(32, len(pairs))
    t0 = time.perf_counter()
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # a width-32 model is all thread overhead: one thread is ~50x faster on busy cores
    try:
        for step in range(steps):
            chunk = random.sample(pairs, batch)
            enc = tok([f for f, _ in chunk], text_target=[e for _, e in chunk], padding=True, return_tensors="pt")
            enc["labels"][enc["labels"] == pad_id] = -100
            loss = model(**enc).loss
            opt.zero_grad()
            loss.backward()
            opt.step()
            if not quiet and (step % 50 == 0 or step == steps - 1):
                print(f"step {step:4d}  loss {loss.item():.3f}  {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    finally:
        torch.set_num_threads(threads)
    model.eval()
    model.generation_config = GenerationConfig(
        max_length=max_positions, num_beams=1, do_sample=False, pad_token_id=pad_id, eos_token_id=0,
        decoder_start_token_id=pad_id, forced_eos_token_id=0, bad_words_ids=[[pad_id]],
    )
    from mtcheck.models import quiet_transformers, write_manifest

    with quiet_transformers():
        model.save_pretrained(out, safe_serialization=True)
        tok.save_pretrained(out)

    write_manifest(out, MODEL_NAME, kind="marian", revision="local", source="scripts/make_tiny_marian.py")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", nargs="?", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--pairs", type=int, default=3000, help="Tatoeba pairs to train on, when the file is there.")
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--builtin", action="store_true", help="Train on the built-in pairs even if Tatoeba is there.")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    pairs = None if args.builtin else tatoeba_pairs(args.pairs) or None
    t = time.perf_counter()
    out = build_tiny_marian(args.out_dir, pairs=pairs, steps=args.steps, seed=args.seed,
                            vocab_size=800 if pairs else 400, quiet=False)
    print(f"saved {out} ({'Tatoeba' if pairs else 'built-in'} pairs, {time.perf_counter() - t:.1f}s)")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
