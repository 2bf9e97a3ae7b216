"""SentencePiece (the python binding of libsentencepiece) as a benchmark contender.

Driven over stdin/stdout by io.lmserve.bench.SpmPython, one command per line, so the Java harness can
interleave its rounds with the other contenders and process start-up and model loading are never timed:
  ids FILE      -> one JSON line: the ids of every text of FILE (texts split on "\n" only)
  pass          -> one JSON line {"tokens","wall","cpu"}: one timed encode of every corpus text, one per call
  batch N       -> the same with the whole corpus as one list on N threads (num_threads=N)
  quit
usage: python3 spm_bench.py MODEL CORPUS_FILE   (CORPUS_FILE: the benchmark's texts, joined with "\n")
"""
import json
import sys
import time

import sentencepiece as spm


def read_texts(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8").split("\n")


def timed(fn):
    c0, t0 = time.process_time(), time.perf_counter()
    tokens = fn()
    return {"tokens": tokens, "wall": time.perf_counter() - t0, "cpu": time.process_time() - c0}


def main():
    sp = spm.SentencePieceProcessor(model_file=sys.argv[1])
    texts = read_texts(sys.argv[2])
    encode = sp.encode
    print(json.dumps({"ready": len(texts), "version": spm.__version__}), flush=True)
    for line in sys.stdin:
        cmd = line.split()
        if not cmd or cmd[0] == "quit":
            return
        if cmd[0] == "ids":
            print(json.dumps([encode(t) for t in read_texts(cmd[1])]), flush=True)
        elif cmd[0] == "pass":
            print(json.dumps(timed(lambda: sum(len(encode(t)) for t in texts))), flush=True)
        elif cmd[0] == "batch":
            n = int(cmd[1])
            print(json.dumps(timed(lambda: sum(len(x) for x in encode(texts, num_threads=n)))), flush=True)
        else:
            print(json.dumps({"error": "unknown command " + cmd[0]}), flush=True)


if __name__ == "__main__":
    main()
