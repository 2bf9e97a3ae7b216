"""What train_gpt.py and train_bert.py share: tokenizing with lmserve, the optimisation loop with its
per-step log, the reproducibility check, and the export to an HF model folder.

Build-time only (Debian's python3-torch 1.13 and numpy); lmserve itself never runs Python.
"""
import argparse
import json
import math
import os
import shutil
import struct
import subprocess
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BUILD = os.path.join(HERE, "build")
CORPUS = os.path.join(BUILD, "corpus")
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")
REPRO_STEPS = 50


def base_arguments(description, out, tokenizer):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--out", default=os.path.join(ROOT, "models", out), help="model folder to write")
    ap.add_argument("--tokenizer", default=os.path.join(BUILD, tokenizer),
                    help="folder with tokenizer.json (made by lmserve train-tokenizer)")
    ap.add_argument("--steps", type=int, required=True)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--clip", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--init-from", metavar="FOLDER",
                    help="start from the weights of a model folder this script exported (a further stage "
                         "of training: new optimiser state, new schedule)")
    ap.add_argument("--log", default="loss_log.jsonl",
                    help="file name, inside --out, of the per-step loss log (written, or read by --check-repro)")
    ap.add_argument("--check-repro", action="store_true",
                    help="re-run the first %d steps and compare with the folder's loss log" % REPRO_STEPS)
    ap.add_argument("--probe", type=int, default=0, help="only time this many steps, then exit")
    return ap


def encode(tokenizer_dir, path):
    """Token ids of every line of path, by lmserve's own tokenizer (bin/lmserve encode)."""
    with open(path, "rb") as f:
        out = subprocess.run([os.path.join(ROOT, "bin", "lmserve"), "encode", "--tokenizer", tokenizer_dir,
                              "--no-special"], stdin=f, check=True, capture_output=True).stdout
    return [json.loads(line)["ids"] for line in out.decode("utf-8").splitlines()]


def vocab(tokenizer_dir):
    with open(os.path.join(tokenizer_dir, "tokenizer.json"), encoding="utf-8") as f:
        tok = json.load(f)
    v = dict(tok["model"]["vocab"])
    for added in tok.get("added_tokens", []):
        v[added["content"]] = added["id"]
    return v


def evenly_spaced(n_items, count):
    """count indices spread over range(n_items), first and last included."""
    return [i * (n_items - 1) // (count - 1) for i in range(count)]


def lr_at(step, args):
    """Linear warm-up to args.lr, then cosine decay to 10 % of it at the last step."""
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    progress = (step - args.warmup) / max(1, args.steps - args.warmup)
    return args.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))


def optimizer(model, args):
    """AdamW; matrices and embeddings decay, biases and LayerNorm gains do not."""
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    return torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                              {"params": no_decay, "weight_decay": 0.0}],
                             lr=args.lr, betas=(0.9, 0.98), eps=1e-8)


def train(model, loss_at, args, log_path):
    """Runs args.steps optimisation steps; loss_at(step) computes the loss of that step's batch.

    Writes one JSON line per step to log_path. Returns the list of step losses."""
    torch.set_num_threads(args.threads)
    if args.init_from:
        load_rounded(model, read_safetensors(os.path.join(args.init_from, "model.safetensors")))
    opt = optimizer(model, args)
    steps = args.probe or (REPRO_STEPS if args.check_repro else args.steps)
    losses, start = [], time.time()
    log = None if (args.check_repro or args.probe) else open(log_path, "w")
    model.train()
    for step in range(steps):
        lr = lr_at(step, args)
        for group in opt.param_groups:
            group["lr"] = lr
        loss = loss_at(step)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
        opt.step()
        losses.append(loss.item())
        elapsed = time.time() - start
        if log:
            log.write(json.dumps({"step": step, "loss": round(losses[-1], 6), "lr": lr,
                                  "grad_norm": round(norm.item(), 4), "seconds": round(elapsed, 1)}) + "\n")
            log.flush()
        if step % 25 == 0 or step == steps - 1:
            print("step %d/%d loss %.4f lr %.2e %.1fs (%.2f steps/s)"
                  % (step, steps, losses[-1], lr, elapsed, (step + 1) / elapsed), flush=True)
    if log:
        log.close()
    model.eval()
    return losses, time.time() - start


def train_and_export(model, loss_at, config, args):
    """Trains, then exports the float16 model folder and loads those rounded weights back, so the
    evaluation that follows sees what lmserve sees. Returns (step losses, training seconds), or None
    for --check-repro and --probe runs (which compare or measure and export nothing)."""
    log_path = os.path.join(args.out, args.log)
    if not (args.check_repro or args.probe):
        os.makedirs(args.out, exist_ok=True)
    losses, seconds = train(model, loss_at, args, log_path)
    if args.check_repro:
        check_repro(losses, log_path)
        return None
    if args.probe:
        return None
    state = half_state(model)
    export(model, config, args, state)
    load_rounded(model, state)
    return losses, seconds


def check_repro(losses, log_path):
    """Compares the re-run's losses with the logged ones; prints and returns the max |diff|."""
    with open(log_path) as f:
        logged = [json.loads(line)["loss"] for line in f][:len(losses)]
    diffs = [abs(a - round(b, 6)) for a, b in zip(logged, losses)]
    worst = max(diffs)
    print("check-repro: %d steps, max |loss - logged| = %.3g (%s)"
          % (len(diffs), worst, "identical" if worst == 0 else "differs"))
    return worst


def half_state(model):
    """The state dict rounded to float16, as exported (tied output weights are not repeated)."""
    return {k: v.detach().to(torch.float16) for k, v in model.state_dict().items()}


def load_rounded(model, state):
    """Loads the float16 weights back (widened to float32), so evaluation sees what lmserve sees."""
    model.load_state_dict({k: v.to(torch.float32) for k, v in state.items()})


def write_safetensors(path, tensors):
    """safetensors: u64 header length, JSON header (padded to 8 bytes), tensor bytes in header order."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        data = tensors[name].numpy().astype("<f2").tobytes()
        header[name] = {"dtype": "F16", "shape": list(tensors[name].shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for blob in blobs:
            f.write(blob)


def read_safetensors(path):
    """The tensors of a file write_safetensors wrote (F16)."""
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name != "__metadata__":
            start, end = info["data_offsets"]
            tensors[name] = torch.frombuffer(bytearray(data[start:end]), dtype=torch.float16).reshape(info["shape"])
    return tensors


def export(model, config, args, state):
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    write_safetensors(os.path.join(args.out, "model.safetensors"), state)
    for name in TOKENIZER_FILES:
        shutil.copy(os.path.join(args.tokenizer, name), os.path.join(args.out, name))
    set_model_max_length(args.out, args.seq)


def set_model_max_length(folder, length):
    """tokenizer_config.json's model_max_length (what HF's save_pretrained writes): the context length."""
    path = os.path.join(folder, "tokenizer_config.json")
    with open(path) as f:
        config = json.load(f)
    config["model_max_length"] = length
    with open(path, "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, separators=(",", ":"))
        f.write("\n")


def parameters(model):
    return sum(p.numel() for p in model.parameters())
