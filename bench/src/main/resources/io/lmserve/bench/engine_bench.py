"""PyTorch (the reference's HF-faithful refmodels.py) as the engine benchmark's contender.

Driven over stdin/stdout by io.lmserve.bench.TorchEngine, one command per line and one JSON reply per
command, so the Java harness can interleave its rounds with lmserve's and process start-up, model
loading and the pipe are never timed. Each timed command times only its own work (wall seconds):
  load DIR              -> {"type": "gpt2"|"bert"}   loads a model folder (the current model)
  prefill T             -> {"wall"}  GPT-2 prompt of T random tokens, KV cache kept, last-position logits
  decode B PROMPT NEW   -> {"wall"}  B rows: prefill PROMPT tokens (untimed), then NEW greedy steps (timed)
  bert B L              -> {"wall"}  BERT MLM logits of B sequences of L tokens, all attended
  quit
usage: python3 engine_bench.py REFERENCE_DIR THREADS   (REFERENCE_DIR holds refmodels.py)
"""
import json
import sys
import time

sys.path.insert(0, sys.argv[1])
import torch  # noqa: E402

import refmodels as R  # noqa: E402


def main():
    torch.set_num_threads(int(sys.argv[2]))
    gen = torch.Generator().manual_seed(0)
    model, kind = None, None
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        cmd = line.split()
        if not cmd or cmd[0] == "quit":
            return
        try:
            with torch.inference_mode():
                if cmd[0] == "load":
                    model = None
                    model = R.load_model(cmd[1])
                    kind = "gpt2" if hasattr(model, "transformer") else "bert"
                    reply = {"type": kind}
                elif cmd[0] == "prefill":
                    ids = torch.randint(0, model.config["vocab_size"], (1, int(cmd[1])), generator=gen)
                    t0 = time.perf_counter()
                    o = model.transformer(ids, use_cache=True)
                    model.lm_head(o["last_hidden_state"][:, -1:])
                    reply = {"wall": time.perf_counter() - t0}
                elif cmd[0] == "decode":
                    b, prompt, new = int(cmd[1]), int(cmd[2]), int(cmd[3])
                    ids = torch.randint(0, model.config["vocab_size"], (b, prompt), generator=gen)
                    out = model(ids, use_cache=True)
                    past = out["past_key_values"]
                    nxt = out["logits"][:, -1].argmax(-1, keepdim=True)
                    t0 = time.perf_counter()
                    for _ in range(new):
                        out = model(nxt, past_key_values=past, use_cache=True)
                        past = out["past_key_values"]
                        nxt = out["logits"][:, -1].argmax(-1, keepdim=True)
                    reply = {"wall": time.perf_counter() - t0}
                elif cmd[0] == "bert":
                    b, length = int(cmd[1]), int(cmd[2])
                    ids = torch.randint(1000, model.config["vocab_size"], (b, length), generator=gen)
                    am = torch.ones_like(ids)
                    tt = torch.zeros_like(ids)
                    t0 = time.perf_counter()
                    model(ids, attention_mask=am, token_type_ids=tt)
                    reply = {"wall": time.perf_counter() - t0}
                else:
                    reply = {"error": "unknown command " + cmd[0]}
        except Exception as e:  # reported to the harness, which stops with the message
            reply = {"error": "%s: %s" % (type(e).__name__, e)}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
