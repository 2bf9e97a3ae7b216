package io.lmserve.transformer.gpt2;

import io.lmserve.transformer.Session;
import java.util.Arrays;

/** A GPT-2 sequence: its KV cache, its length and the scratch memory of a one-token step. */
final class Gpt2Session implements Session {

  private final Gpt2Model model;
  private KvCache cache;
  private int length;
  private final Gpt2Model.Workspace decodeSpace;
  private final int[] oneToken = new int[1];
  private final int[] onePosition = new int[1];
  private final KvCache[] oneCache = new KvCache[1];
  private final int[] firstRow = {0};

  Gpt2Session(Gpt2Model model, KvCache cache) {
    this.model = model;
    this.cache = cache;
    this.decodeSpace = model.newWorkspace(1, 1);
    this.oneCache[0] = cache;
  }

  Gpt2Model model() {
    return model;
  }

  KvCache cache() {
    checkOpen();
    return cache;
  }

  void advance(int tokens) {
    length += tokens;
  }

  void checkRoom(int tokens) {
    checkOpen();
    if (length + tokens > cache.capacity) {
      throw new IllegalStateException(
          "session holds "
              + length
              + " tokens; "
              + tokens
              + " more exceed its capacity of "
              + cache.capacity);
    }
  }

  @Override
  public float[] prefill(int[] tokens) {
    float[][] last = run(tokens, false);
    return last[0];
  }

  /**
   * Rows per step when every row's logits are kept: their scratch is rows × vocabulary floats (13
   * MB at 64 rows of GPT-2's 50,257, 103 MB at a full prefill chunk of 512).
   */
  static final int ALL_LOGITS_CHUNK = 64;

  @Override
  public float[][] prefillAllLogits(int[] tokens) {
    return run(tokens, true);
  }

  private float[][] run(int[] tokens, boolean allLogits) {
    if (tokens.length == 0) {
      throw new IllegalArgumentException("no tokens to prefill");
    }
    checkRoom(tokens.length);
    int vocab = model.vocab();
    float[][] out = new float[allLogits ? tokens.length : 1][];
    int chunk = Math.min(tokens.length, allLogits ? ALL_LOGITS_CHUNK : Gpt2Model.PREFILL_CHUNK);
    Gpt2Model.Workspace ws = model.newWorkspace(chunk, allLogits ? chunk : 1);
    KvCache[] caches = new KvCache[chunk];
    Arrays.fill(caches, cache);
    int[] positions = new int[chunk];
    int[] rows = new int[chunk];
    for (int start = 0; start < tokens.length; start += chunk) {
      int n = Math.min(chunk, tokens.length - start);
      int[] part = Arrays.copyOfRange(tokens, start, start + n);
      for (int r = 0; r < n; r++) {
        positions[r] = length + r;
        rows[r] = r;
      }
      boolean lastChunk = start + n == tokens.length;
      int logitCount = allLogits ? n : (lastChunk ? 1 : 0);
      if (!allLogits) {
        rows[0] = n - 1;
      }
      model.step(n, part, positions, caches, ws, rows, logitCount, null);
      length += n;
      for (int i = 0; i < logitCount; i++) {
        out[allLogits ? start + i : 0] = Arrays.copyOfRange(ws.logits, i * vocab, (i + 1) * vocab);
      }
    }
    return out;
  }

  @Override
  public float[] decode(int token) {
    checkRoom(1);
    oneToken[0] = token;
    onePosition[0] = length;
    model.step(1, oneToken, onePosition, oneCache, decodeSpace, firstRow, 1, null);
    length++;
    return decodeSpace.logits.clone();
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public int capacity() {
    checkOpen();
    return cache.capacity;
  }

  @Override
  public void reset() {
    checkOpen();
    length = 0;
  }

  @Override
  public void close() {
    cache = null;
    oneCache[0] = null;
  }

  private void checkOpen() {
    if (cache == null) {
      throw new IllegalStateException("session is closed");
    }
  }
}
