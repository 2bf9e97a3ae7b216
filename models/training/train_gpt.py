"""Trains the GPT-2-architecture causal LM on the KJV and exports it to models/gpt-kjv.

  /usr/bin/python3 models/training/corpus.py
  bin/lmserve train-tokenizer --type byte-bpe --vocab-size 4096 --out models/training/build/tok-gpt \
      models/training/build/corpus/train.txt
  /usr/bin/python3 models/training/train_gpt.py --steps N        (see models/gpt-kjv/README.md)
  /usr/bin/python3 models/training/train_gpt.py --steps N --check-repro

Training text: the training verses, each followed by a newline, as one token stream; a batch is
--batch windows of --seq tokens at random offsets drawn from a seeded generator. Writes the folder,
loss_log.jsonl (one line per step) and eval.json: held-out windows and the loss PyTorch computes on
them with the exported float16 weights, which lmserve's test must reproduce.
"""
import json
import math
import os

import torch

import common
from modeling import GptLm, gpt_config

EVAL_WINDOWS = 64


def stream(tokenizer, path, newline_id):
    ids = []
    for verse in common.encode(tokenizer, path):
        ids.extend(verse)
        ids.append(newline_id)
    return torch.tensor(ids, dtype=torch.long)


def windows(ids, seq):
    """All non-overlapping windows of seq tokens."""
    n = (len(ids) - 1) // seq
    return ids[: n * seq].view(n, seq)


@torch.no_grad()
def mean_loss(model, rows, batch=32):
    """Mean next-token loss over rows [N, T], every prediction weighted equally."""
    total, count = 0.0, 0
    for i in range(0, len(rows), batch):
        chunk = rows[i:i + batch]
        total += model.loss(chunk).item() * chunk.shape[0] * (chunk.shape[1] - 1)
        count += chunk.shape[0] * (chunk.shape[1] - 1)
    return total / count


def main():
    args = common.base_arguments(__doc__, "gpt-kjv", "tok-gpt").parse_args()
    vocab = common.vocab(args.tokenizer)
    eos = vocab["<|endoftext|>"]
    newline = vocab["\u010a"]  # the byte-level symbol of "\n"
    train_ids = stream(args.tokenizer, os.path.join(common.CORPUS, "train.txt"), newline)
    held_ids = stream(args.tokenizer, os.path.join(common.CORPUS, "heldout.txt"), newline)
    print("train tokens %d, held-out tokens %d" % (len(train_ids), len(held_ids)))

    torch.manual_seed(args.seed)
    config = gpt_config(len(vocab), args.hidden, args.layers, args.heads, args.seq, eos)
    model = GptLm(config)
    print("parameters %d" % common.parameters(model))
    batches = torch.Generator().manual_seed(args.seed + 1)
    span = args.seq + 1

    def loss_at(step):
        starts = torch.randint(0, len(train_ids) - span, (args.batch,), generator=batches)
        return model.loss(torch.stack([train_ids[s:s + span] for s in starts.tolist()]))

    trained = common.train_and_export(model, loss_at, config, args)
    if trained is None:
        return
    losses, seconds = trained
    all_held = windows(held_ids, args.seq)
    eval_rows = all_held[common.evenly_spaced(len(all_held), EVAL_WINDOWS)]
    eval_loss = mean_loss(model, eval_rows)
    held_loss = mean_loss(model, all_held)
    common.write_json(os.path.join(args.out, "eval.json"), {
        "kind": "causal-lm",
        "description": "%d held-out windows of %d tokens (every %dth KJV chapter); loss = mean next-token "
                       "cross-entropy in nats, computed by PyTorch with the exported float16 weights"
                       % (EVAL_WINDOWS, args.seq, 20),
        "loss": eval_loss,
        "perplexity": math.exp(eval_loss),
        "windows": eval_rows.tolist(),
    })
    summary = {
        "parameters": common.parameters(model), "steps": args.steps, "batch": args.batch, "seq": args.seq,
        "lr": args.lr, "warmup": args.warmup, "seed": args.seed, "threads": args.threads,
        "train_seconds": round(seconds), "train_tokens": len(train_ids), "heldout_tokens": len(held_ids),
        "final_train_loss": sum(losses[-50:]) / len(losses[-50:]),
        "eval_set_loss": eval_loss, "heldout_loss": held_loss, "heldout_perplexity": math.exp(held_loss),
        "heldout_windows": len(all_held),
    }
    with open(os.path.join(args.out, "training.json"), "w") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
