"""Trains the BERT-architecture masked LM on the KJV and exports it to models/bert-kjv.

  /usr/bin/python3 models/training/corpus.py
  bin/lmserve train-tokenizer --type wordpiece --vocab-size 4096 --out models/training/build/tok-bert \
      models/training/build/corpus/train.txt
  /usr/bin/python3 models/training/train_bert.py --steps N        (see models/bert-kjv/README.md)
  /usr/bin/python3 models/training/train_bert.py --steps N --check-repro

Training text: the training verses as one token stream (lower-cased WordPiece); a sample is
[CLS] + seq-2 tokens from a random offset + [SEP]. BERT's masking: 15 % of the non-special positions
are predicted; of those 80 % become [MASK], 10 % a random token, 10 % stay. All randomness comes from
seeded generators. eval.json holds held-out samples with 15 % of the positions replaced by [MASK] (all
of them: what fill-mask sees), the labels, and PyTorch's loss and top-1 accuracy there with the exported
float16 weights.
"""
import json
import math
import os

import torch

import common
from modeling import BertMlm, bert_config

MASK_FRACTION = 0.15
EVAL_SAMPLES = 64


def stream(tokenizer, path):
    return torch.tensor([i for verse in common.encode(tokenizer, path) for i in verse], dtype=torch.long)


def with_specials(body, cls_id, sep_id):
    """[CLS] body [SEP] for each row of body [B, T-2]."""
    b = body.shape[0]
    return torch.cat([torch.full((b, 1), cls_id), body, torch.full((b, 1), sep_id)], dim=1)


def choose_positions(shape, generator):
    """Boolean [B, T]: about MASK_FRACTION of the positions 1..T-2, at least one per row."""
    chosen = torch.rand(shape, generator=generator) < MASK_FRACTION
    chosen[:, 0] = chosen[:, -1] = False
    first = torch.randint(1, shape[1] - 1, (shape[0],), generator=generator)
    chosen[torch.arange(shape[0]), first] = True
    return chosen


@torch.no_grad()
def scores(model, inputs, chosen, labels, batch=32):
    """(mean loss, top-1 accuracy) over the chosen positions of inputs."""
    total, correct, count = 0.0, 0, 0
    for i in range(0, len(inputs), batch):
        ids, pick = inputs[i:i + batch], chosen[i:i + batch]
        positions = pick.reshape(-1).nonzero().squeeze(1)
        want = labels[i:i + batch].reshape(-1)[positions]
        logits = model.logits_at(ids, positions)
        total += torch.nn.functional.cross_entropy(logits, want, reduction="sum").item()
        correct += (logits.argmax(dim=-1) == want).sum().item()
        count += len(positions)
    return total / count, correct / count


def masked_eval_set(held, seq, cls_id, sep_id, mask_id, seed):
    n = len(held) // (seq - 2)
    labels = with_specials(held[: n * (seq - 2)].view(n, seq - 2), cls_id, sep_id)
    chosen = choose_positions(labels.shape, torch.Generator().manual_seed(seed + 2))
    return labels.masked_fill(chosen, mask_id), chosen, labels


def main():
    ap = common.base_arguments(__doc__, "bert-kjv", "tok-bert")
    ap.add_argument("--sinusoidal-positions", action="store_true",
                    help="start the position embeddings from the sine/cosine table")
    args = ap.parse_args()
    vocab = common.vocab(args.tokenizer)
    pad, cls, sep, mask = vocab["[PAD]"], vocab["[CLS]"], vocab["[SEP]"], vocab["[MASK]"]
    first_word = max(pad, cls, sep, mask, vocab["[UNK]"]) + 1   # random replacements are real tokens
    train_ids = stream(args.tokenizer, os.path.join(common.CORPUS, "train.txt"))
    held_ids = stream(args.tokenizer, os.path.join(common.CORPUS, "heldout.txt"))
    print("train tokens %d, held-out tokens %d" % (len(train_ids), len(held_ids)))

    torch.manual_seed(args.seed)
    config = bert_config(len(vocab), args.hidden, args.layers, args.heads, args.seq, pad, mask)
    model = BertMlm(config, args.sinusoidal_positions)
    print("parameters %d" % common.parameters(model))
    batches = torch.Generator().manual_seed(args.seed + 1)
    body = args.seq - 2

    def loss_at(step):
        starts = torch.randint(0, len(train_ids) - body, (args.batch,), generator=batches)
        labels = with_specials(torch.stack([train_ids[s:s + body] for s in starts.tolist()]), cls, sep)
        chosen = choose_positions(labels.shape, batches)
        action = torch.rand(labels.shape, generator=batches)
        random_ids = torch.randint(first_word, len(vocab), labels.shape, generator=batches)
        inputs = labels.masked_fill(chosen & (action < 0.8), mask)
        swap = chosen & (action >= 0.8) & (action < 0.9)
        inputs = torch.where(swap, random_ids, inputs)
        positions = chosen.reshape(-1).nonzero().squeeze(1)
        return model.loss(inputs, positions, labels.reshape(-1)[positions])

    trained = common.train_and_export(model, loss_at, config, args)
    if trained is None:
        return
    losses, seconds = trained
    inputs, chosen, labels = masked_eval_set(held_ids, args.seq, cls, sep, mask, args.seed)
    picked = common.evenly_spaced(len(inputs), EVAL_SAMPLES)
    eval_loss, eval_top1 = scores(model, inputs[picked], chosen[picked], labels[picked])
    held_loss, held_top1 = scores(model, inputs, chosen, labels)
    common.write_json(os.path.join(args.out, "eval.json"), {
        "kind": "masked-lm",
        "description": "%d held-out samples of %d tokens (every %dth KJV chapter) with %.0f%% of the positions "
                       "replaced by [MASK]; loss = mean cross-entropy in nats at those positions and top1 = "
                       "argmax accuracy there, computed by PyTorch with the exported float16 weights"
                       % (EVAL_SAMPLES, args.seq, 20, 100 * MASK_FRACTION),
        "loss": eval_loss,
        "top1": eval_top1,
        "inputs": inputs[picked].tolist(),
        "positions": [row.nonzero().squeeze(1).tolist() for row in chosen[picked]],
        "labels": [labels[i][chosen[i]].tolist() for i in picked],
    })
    summary = {
        "parameters": common.parameters(model), "steps": args.steps, "batch": args.batch, "seq": args.seq,
        "lr": args.lr, "warmup": args.warmup, "seed": args.seed, "threads": args.threads,
        "train_seconds": round(seconds), "train_tokens": len(train_ids), "heldout_tokens": len(held_ids),
        "final_train_loss": sum(losses[-50:]) / len(losses[-50:]),
        "eval_set_loss": eval_loss, "eval_set_top1": eval_top1,
        "heldout_loss": held_loss, "heldout_top1": held_top1, "heldout_samples": len(inputs),
        "heldout_masked_positions": int(chosen.sum()),
    }
    if args.init_from:
        with open(os.path.join(args.init_from, "training.json")) as f:
            summary["first_stage"] = json.load(f)
    with open(os.path.join(args.out, "training.json"), "w") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
