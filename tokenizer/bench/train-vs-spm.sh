#!/usr/bin/env bash
# Trains Unigram and BPE tokenizers (vocabulary 8000, coverage 0.9995, byte fallback, 2 threads)
# with lmserve and with spm_train (Debian `sentencepiece`) on the same corpus, one after the other,
# and prints wall and CPU seconds of each. Usage: tokenizer/bench/train-vs-spm.sh [CORPUS]
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
CORPUS="${1:-$ROOT/../shared/fixtures/tokenizers/corpus/spm_train.txt}"
command -v spm_train >/dev/null || { echo "spm_train missing: apt-get install -y sentencepiece" >&2; exit 1; }
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
"$ROOT/bin/lmserve" train-tokenizer --help >/dev/null   # builds if needed, outside the timings
run() {
  local name="$1"; shift
  /usr/bin/time -f "$name: %e s wall, %U s user CPU, %M KB max RSS" "$@" >"$OUT/$name.log" 2>"$OUT/$name.err" ||
    { cat "$OUT/$name.err" >&2; exit 1; }
  tail -1 "$OUT/$name.err"
}
for type in unigram bpe; do
  lm_type=$type; [ "$type" = bpe ] && lm_type=spm-bpe
  run "spm_train $type" spm_train --input="$CORPUS" --vocab_size=8000 --character_coverage=0.9995 \
    --byte_fallback=true --num_threads=2 --model_type=$type --model_prefix="$OUT/spm-$type"
  run "lmserve $lm_type" "$ROOT/bin/lmserve" train-tokenizer --type $lm_type --vocab-size 8000 \
    --byte-fallback --threads 2 --quiet --out "$OUT/lmserve-$lm_type" "$CORPUS"
done
