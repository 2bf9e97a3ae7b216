#!/usr/bin/env bash
# Rebuilds models/gpt-kjv and models/bert-kjv from scratch with the settings they shipped with.
# Needs Debian's bible-kjv-text and python3-torch; takes about 80 minutes on 2 cores (the GPT's
# 12 minutes run beside the BERT's first stage).
# ./models/training/train.sh --check-repro   instead re-runs the first 50 steps of the GPT and of the
# BERT's first stage and compares them with the committed loss logs.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
BUILD=models/training/build
GPT=(--steps 700 --batch 16 --hidden 192 --layers 4 --heads 4 --lr 1e-3 --warmup 50 --threads 1)
# The BERT trains in two stages: a post-LN BERT this small sits on the token-frequency plateau for
# about 3,500 steps before it uses the context, and the first stage's cosine schedule ends while the
# loss is still falling fast; the second starts from its weights with a fresh schedule and seed.
BERT1=(--steps 6500 --batch 32 --hidden 128 --layers 4 --heads 4 --lr 2e-3 --warmup 300 --threads 1
       --sinusoidal-positions --seed 1234)
BERT2=(--steps 3200 --batch 32 --hidden 128 --layers 4 --heads 4 --lr 1e-3 --warmup 100 --threads 1
       --seed 1235 --init-from $BUILD/bert-stage1)

$PY models/training/corpus.py
[ -f $BUILD/tok-gpt/tokenizer.json ] ||
  bin/lmserve train-tokenizer --type byte-bpe --vocab-size 4096 --out $BUILD/tok-gpt $BUILD/corpus/train.txt
[ -f $BUILD/tok-bert/tokenizer.json ] ||
  bin/lmserve train-tokenizer --type wordpiece --vocab-size 4096 --out $BUILD/tok-bert $BUILD/corpus/train.txt

if [ "${1:-}" = "--check-repro" ]; then
  $PY models/training/train_gpt.py "${GPT[@]}" --check-repro
  $PY models/training/train_bert.py "${BERT1[@]}" --out models/bert-kjv --log loss_log_stage1.jsonl --check-repro
  exit
fi

# The GPT and the BERT's first stage use one thread each and run side by side (2 cores).
$PY models/training/train_gpt.py "${GPT[@]}" > $BUILD/gpt.log 2>&1 &
gpt=$!
$PY models/training/train_bert.py "${BERT1[@]}" --out $BUILD/bert-stage1 > $BUILD/bert-stage1.log 2>&1
$PY models/training/train_bert.py "${BERT2[@]}" > $BUILD/bert.log 2>&1
cp $BUILD/bert-stage1/loss_log.jsonl models/bert-kjv/loss_log_stage1.jsonl
wait $gpt
tail -n 1 $BUILD/gpt.log $BUILD/bert-stage1.log $BUILD/bert.log
