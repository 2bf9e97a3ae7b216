package io.lmserve.generation.model;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic stand-in for a causal LM: the logits after a sequence of tokens are a fixed
 * pseudo-random function of those tokens, so batched and alone runs must agree exactly. Records the
 * batch sizes it was asked for and lets tests run code before every step (gates, fake clocks).
 */
public final class FakeModel implements BatchModel {

  public static final long BYTES_PER_SEQUENCE = 4096;

  private final int vocabSize;
  private final int contextLength;
  private final OptionalInt eos;
  private final AtomicInteger open = new AtomicInteger();
  private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
  private final List<String> operations = new CopyOnWriteArrayList<>();
  private volatile Runnable beforeStep = () -> {};

  public FakeModel(int vocabSize, int contextLength, OptionalInt eos) {
    this.vocabSize = vocabSize;
    this.contextLength = contextLength;
    this.eos = eos;
  }

  /** Runs before every batched step, on the stepping thread. */
  public void beforeStep(Runnable hook) {
    this.beforeStep = hook;
  }

  public int openSequences() {
    return open.get();
  }

  public List<Integer> batchSizes() {
    return List.copyOf(batchSizes);
  }

  /** "prefill:n" and "step:batch" in the order they ran. */
  public List<String> operations() {
    return List.copyOf(operations);
  }

  /** The logits this model gives after {@code tokens}. */
  public float[] logitsAfter(List<Integer> tokens) {
    long seed = 17;
    for (int t : tokens) {
      seed = seed * 1_000_003 + t;
    }
    SplittableRandom random = new SplittableRandom(seed);
    float[] logits = new float[vocabSize];
    for (int i = 0; i < vocabSize; i++) {
      logits[i] = (float) (random.nextDouble() * 8 - 4);
    }
    return logits;
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public int contextLength() {
    return contextLength;
  }

  @Override
  public OptionalInt eosTokenId() {
    return eos;
  }

  @Override
  public Sequence newSequence(int capacity) {
    if (capacity < 1 || capacity > contextLength) {
      throw new IllegalArgumentException("capacity " + capacity);
    }
    open.incrementAndGet();
    return new FakeSequence(capacity);
  }

  @Override
  public float[][] decodeBatch(List<Sequence> sequences, int[] tokens) {
    beforeStep.run();
    batchSizes.add(sequences.size());
    operations.add("step:" + sequences.size());
    float[][] logits = new float[sequences.size()][];
    for (int i = 0; i < sequences.size(); i++) {
      logits[i] = sequences.get(i).decode(tokens[i]);
    }
    return logits;
  }

  private final class FakeSequence implements Sequence {
    private final List<Integer> tokens = new ArrayList<>();
    private final int capacity;
    private boolean closed;

    FakeSequence(int capacity) {
      this.capacity = capacity;
    }

    @Override
    public float[] prefill(int[] prompt) {
      operations.add("prefill:" + prompt.length);
      for (int t : prompt) {
        append(t);
      }
      return logitsAfter(tokens);
    }

    @Override
    public float[] decode(int token) {
      append(token);
      return logitsAfter(tokens);
    }

    private void append(int token) {
      if (closed) {
        throw new IllegalStateException("sequence used after close");
      }
      if (tokens.size() == capacity) {
        throw new IllegalStateException("sequence full (capacity " + capacity + ")");
      }
      tokens.add(token);
    }

    @Override
    public int length() {
      return tokens.size();
    }

    @Override
    public long cacheBytes() {
      return BYTES_PER_SEQUENCE;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        open.decrementAndGet();
      }
    }
  }
}
