#!/usr/bin/env bash
# Rebuilds models/gpt-kjv and models/bert-kjv from scratch with the settings they shipped with.
# Needs Debian's bible-kjv-text and python3-torch; takes about 35 minutes on 2 busy cores.
# ./models/training/train.sh --check-repro   instead re-runs the first 50 steps of both and compares
# them with the committed loss logs.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
BUILD=models/training/build
GPT=(--steps 700 --batch 16 --hidden 192 --layers 4 --heads 4 --lr 1e-3 --warmup 50 --threads 1)
BERT=(--steps 1200 --batch 16 --hidden 128 --layers 4 --heads 4 --lr 2e-3 --warmup 100 --threads 1 --sinusoidal-positions)

$PY models/training/corpus.py
[ -f $BUILD/tok-gpt/tokenizer.json ] ||
  bin/lmserve train-tokenizer --type byte-bpe --vocab-size 4096 --out $BUILD/tok-gpt $BUILD/corpus/train.txt
[ -f $BUILD/tok-bert/tokenizer.json ] ||
  bin/lmserve train-tokenizer --type wordpiece --vocab-size 4096 --out $BUILD/tok-bert $BUILD/corpus/train.txt

# The two runs use one thread each and run side by side (2 cores).
$PY models/training/train_gpt.py "${GPT[@]}" "$@" > $BUILD/gpt.log 2>&1 &
gpt=$!
$PY models/training/train_bert.py "${BERT[@]}" "$@" > $BUILD/bert.log 2>&1 &
bert=$!
status=0
wait $gpt || status=1
wait $bert || status=1
tail -n 1 $BUILD/gpt.log $BUILD/bert.log
exit $status
