package io.lmserve.generation.model;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * A model that, after any prompt, greedily produces a fixed script of tokens (then repeats the
 * last): the logits peak at the script's next token. Text tests use it with a real tokenizer to
 * produce chosen text token by token.
 */
public final class ScriptedModel implements BatchModel {

  private final int vocabSize;
  private final int[] script;
  private final OptionalInt eos;

  public ScriptedModel(int vocabSize, int[] script, OptionalInt eos) {
    this.vocabSize = vocabSize;
    this.script = script.clone();
    this.eos = eos;
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public int contextLength() {
    return 1024;
  }

  @Override
  public OptionalInt eosTokenId() {
    return eos;
  }

  @Override
  public Sequence newSequence(int capacity) {
    return new Sequence() {
      int length;
      int generated;

      @Override
      public float[] prefill(int[] tokens) {
        length += tokens.length;
        return next();
      }

      @Override
      public float[] decode(int token) {
        length++;
        generated++;
        return next();
      }

      private float[] next() {
        float[] logits = new float[vocabSize];
        Arrays.fill(logits, -5f);
        logits[script[Math.min(generated, script.length - 1)]] = 5f;
        return logits;
      }

      @Override
      public int length() {
        return length;
      }

      @Override
      public long cacheBytes() {
        return 0;
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public float[][] decodeBatch(List<Sequence> sequences, int[] tokens) {
    float[][] logits = new float[sequences.size()][];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = sequences.get(i).decode(tokens[i]);
    }
    return logits;
  }
}
