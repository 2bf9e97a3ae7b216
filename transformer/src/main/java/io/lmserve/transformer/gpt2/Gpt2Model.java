package io.lmserve.transformer.gpt2;

import io.lmserve.transformer.CausalLm;
import io.lmserve.transformer.ModelConfig;
import io.lmserve.transformer.ModelLoadException;
import io.lmserve.transformer.Quantization;
import io.lmserve.transformer.Session;
import io.lmserve.transformer.nn.Attention;
import io.lmserve.transformer.nn.Kernels;
import io.lmserve.transformer.nn.ModelBase;
import io.lmserve.transformer.nn.WorkerPool;
import io.lmserve.transformer.safetensors.Checkpoint;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * GPT-2 ({@code GPT2LMHeadModel}): token + position embeddings, pre-LN blocks of causal
 * self-attention and a GELU MLP, a final LayerNorm and an LM head (tied to the token embeddings
 * unless the config says otherwise).
 *
 * <p>Every entry point comes down to {@link #step}: a batch of rows, each a new token of some
 * sequence at some position, whose keys and values go into that sequence's {@link KvCache} and
 * whose queries attend to that cache up to their own position. A prefill is many rows of one
 * sequence, a decode one row, a batched decode one row of each of several sequences.
 */
public final class Gpt2Model extends ModelBase implements CausalLm {

  /**
   * Rows per step in a prefill: bounds the scratch memory of long prompts (~34 KB per row for
   * GPT-2-small, 17 MB at 512). Every step reads every weight once, so fewer, larger steps matter:
   * a 512-token prompt took 1.45 CPU-s in steps of 64 rows, 1.08 in one step of 512.
   */
  static final int PREFILL_CHUNK = 512;

  /** Largest logits array {@link #forward} will build, in floats. */
  static final long MAX_OUTPUT_FLOATS = 1L << 28;

  private final Gpt2Weights weights;
  private final int inner;

  private Gpt2Model(
      ModelConfig config,
      Checkpoint checkpoint,
      Gpt2Weights weights,
      Kernels kernels,
      WorkerPool pool) {
    super(config, checkpoint, kernels, pool);
    this.weights = weights;
    this.inner = config.intermediateSize();
  }

  /** Builds the model over {@code checkpoint}, which it owns from now on. */
  public static Gpt2Model create(
      ModelConfig config,
      Checkpoint checkpoint,
      Kernels kernels,
      WorkerPool pool,
      Quantization quantization)
      throws ModelLoadException {
    Gpt2Weights weights =
        quantization.apply(Gpt2Weights.load(checkpoint, config), Gpt2Weights::quantizedInt8, pool);
    return new Gpt2Model(config, checkpoint, weights, kernels, pool);
  }

  @Override
  public Session newSession() {
    return newSession(config.maxPositions());
  }

  @Override
  public Session newSession(int capacity) {
    if (capacity < 1 || capacity > config.maxPositions()) {
      throw new IllegalArgumentException(
          "session capacity " + capacity + " out of range [1, " + config.maxPositions() + "]");
    }
    return new Gpt2Session(this, newCache(capacity));
  }

  KvCache newCache(int capacity) {
    return new KvCache(config.numLayers(), capacity, heads, headDim);
  }

  Workspace newWorkspace(int rows, int logitRows) {
    return new Workspace(rows, logitRows);
  }

  @Override
  public float[][] decodeBatch(List<Session> sessions, int[] tokens) {
    if (sessions.size() != tokens.length) {
      throw new IllegalArgumentException(
          sessions.size() + " sessions but " + tokens.length + " tokens");
    }
    int n = tokens.length;
    if (n == 0) {
      return new float[0][];
    }
    Map<Session, Boolean> seen = new IdentityHashMap<>();
    Gpt2Session[] own = new Gpt2Session[n];
    int[] positions = new int[n];
    KvCache[] caches = new KvCache[n];
    for (int i = 0; i < n; i++) {
      if (!(sessions.get(i) instanceof Gpt2Session s) || s.model() != this) {
        throw new IllegalArgumentException("session " + i + " was not made by this model");
      }
      if (seen.put(s, Boolean.TRUE) != null) {
        throw new IllegalArgumentException("session " + i + " appears twice in the batch");
      }
      s.checkRoom(1);
      own[i] = s;
      positions[i] = s.length();
      caches[i] = s.cache();
    }
    Workspace ws = batchSpace.get();
    if (ws == null || ws.rows < n) {
      ws = new Workspace(n, n);
      batchSpace.set(ws);
    }
    step(n, tokens, positions, caches, ws, ws.firstRows, n, null);
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) {
      own[i].advance(1);
      out[i] = java.util.Arrays.copyOfRange(ws.logits, i * vocab, (i + 1) * vocab);
    }
    return out;
  }

  @Override
  public float[][][] forward(int[][] ids, int[][] mask) {
    Packed p = pack(ids, mask, (long) vocab);
    Workspace ws = new Workspace(p.rows, p.rows);
    int[] logitRows = new int[p.rows];
    for (int r = 0; r < p.rows; r++) {
      logitRows[r] = r;
    }
    step(p.rows, p.tokens, p.positions, p.caches, ws, logitRows, p.rows, null);
    float[][][] out = new float[ids.length][][];
    for (int b = 0; b < ids.length; b++) {
      out[b] = new float[ids[b].length][vocab];
    }
    for (int r = 0; r < p.rows; r++) {
      System.arraycopy(ws.logits, r * vocab, out[p.batchOf[r]][p.columnOf[r]], 0, vocab);
    }
    return out;
  }

  @Override
  public float[][][][] hiddenStates(int[][] ids, int[][] mask) {
    Packed p = pack(ids, mask, (long) hidden * (config.numLayers() + 1));
    Workspace ws = new Workspace(p.rows, 0);
    float[][] capture = new float[config.numLayers() + 1][p.rows * hidden];
    step(p.rows, p.tokens, p.positions, p.caches, ws, new int[0], 0, capture);
    float[][][][] out = new float[capture.length][ids.length][][];
    for (int l = 0; l < capture.length; l++) {
      for (int b = 0; b < ids.length; b++) {
        out[l][b] = new float[ids[b].length][hidden];
      }
      for (int r = 0; r < p.rows; r++) {
        System.arraycopy(capture[l], r * hidden, out[l][p.batchOf[r]][p.columnOf[r]], 0, hidden);
      }
    }
    return out;
  }

  /** The real tokens of a padded batch as rows of independent sequences, one cache each. */
  private record Packed(
      int rows, int[] tokens, int[] positions, KvCache[] caches, int[] batchOf, int[] columnOf) {}

  private Packed pack(int[][] ids, int[][] mask, long floatsPerPosition) {
    if (ids == null || ids.length == 0) {
      throw new IllegalArgumentException("empty batch");
    }
    if (mask != null && mask.length != ids.length) {
      throw new IllegalArgumentException("mask has " + mask.length + " rows but ids " + ids.length);
    }
    long positionsTotal = 0;
    int rows = 0;
    int[] lengths = new int[ids.length];
    for (int b = 0; b < ids.length; b++) {
      if (mask != null && mask[b].length != ids[b].length) {
        throw new IllegalArgumentException(
            "row " + b + ": mask has " + mask[b].length + " entries but ids " + ids[b].length);
      }
      positionsTotal += ids[b].length;
      for (int t = 0; t < ids[b].length; t++) {
        int m = mask == null ? 1 : mask[b][t];
        if (m != 0 && m != 1) {
          throw new IllegalArgumentException("row " + b + ": mask value " + m + " is not 0 or 1");
        }
        lengths[b] += m;
      }
      if (lengths[b] > config.maxPositions()) {
        throw new IllegalArgumentException(
            "row "
                + b
                + " has "
                + lengths[b]
                + " tokens; the model takes at most "
                + config.maxPositions());
      }
      rows += lengths[b];
    }
    if (positionsTotal * floatsPerPosition > MAX_OUTPUT_FLOATS) {
      throw new IllegalArgumentException(
          "batch of " + positionsTotal + " positions is too large for one call; split it");
    }
    int[] tokens = new int[rows];
    int[] positions = new int[rows];
    KvCache[] caches = new KvCache[rows];
    int[] batchOf = new int[rows];
    int[] columnOf = new int[rows];
    int r = 0;
    for (int b = 0; b < ids.length; b++) {
      KvCache cache = lengths[b] == 0 ? null : newCache(lengths[b]);
      int position = 0;
      for (int t = 0; t < ids[b].length; t++) {
        if (mask == null || mask[b][t] == 1) {
          tokens[r] = ids[b][t];
          positions[r] = position++;
          caches[r] = cache;
          batchOf[r] = b;
          columnOf[r] = t;
          r++;
        }
      }
    }
    return new Packed(rows, tokens, positions, caches, batchOf, columnOf);
  }

  /**
   * Each calling thread's scratch for {@link #decodeBatch}, kept at the largest batch seen, so a
   * scheduler's steps allocate nothing but the logits they return.
   */
  private final ThreadLocal<Workspace> batchSpace = new ThreadLocal<>();

  /** Scratch arrays for a step of up to {@code rows} rows and {@code logitRows} logit rows. */
  final class Workspace {
    final int rows;
    final int[] firstRows;
    final float[] x;
    final float[] h;
    final float[] qkv;
    final float[] att;
    final float[] tmp;
    final float[] ff;
    final float[] headIn;
    final float[] logits;

    Workspace(int rows, int logitRows) {
      this.rows = rows;
      firstRows = java.util.stream.IntStream.range(0, logitRows).toArray();
      x = new float[rows * hidden];
      h = new float[rows * hidden];
      qkv = new float[rows * 3 * hidden];
      att = new float[rows * hidden];
      tmp = new float[rows * hidden];
      ff = new float[rows * inner];
      headIn = new float[logitRows * hidden];
      logits = new float[logitRows * vocab];
    }
  }

  /**
   * Runs {@code n} rows through the model: row r is token {@code tokens[r]} at position {@code
   * positions[r]} of the sequence cached in {@code caches[r]}. Rows of one sequence must be in
   * position order and contiguous with what its cache holds. Writes the logits of rows {@code
   * logitRows[0, logitCount)} to {@code ws.logits}; with {@code capture}, also the hidden states.
   */
  void step(
      int n,
      int[] tokens,
      int[] positions,
      KvCache[] caches,
      Workspace ws,
      int[] logitRows,
      int logitCount,
      float[][] capture) {
    for (int r = 0; r < n; r++) {
      if (tokens[r] < 0 || tokens[r] >= vocab) {
        throw new IllegalArgumentException(
            "token id " + tokens[r] + " out of range [0, " + vocab + ")");
      }
      if (positions[r] >= caches[r].capacity) {
        throw new IllegalStateException("position " + positions[r] + " is past the cache");
      }
    }
    float[] x = ws.x;
    for (int r = 0; r < n; r++) {
      weights.tokenEmbedding().read(tokens[r], x, r * hidden, kernels);
      kernels.readRow(weights.positionEmbedding(), positions[r], ws.tmp, r * hidden);
      add(x, ws.tmp, r * hidden, hidden);
    }
    capture(capture, 0, x, n);
    Gpt2Weights.Block[] blocks = weights.blocks();
    blocks[0].ln1().apply(x, ws.h, n, pool);
    for (int l = 0; l < blocks.length; l++) {
      Gpt2Weights.Block b = blocks[l];
      b.qkv().forward(ws.h, n, ws.qkv, kernels, pool);
      storeKeysAndValues(l, n, positions, caches, ws.qkv);
      attend(l, n, positions, caches, ws);
      b.attnProj().forward(ws.att, n, ws.tmp, kernels, pool);
      b.ln2().addThenApply(x, ws.tmp, ws.h, n, pool);
      b.fc().forward(ws.h, n, ws.ff, kernels, pool);
      float[] ff = ws.ff;
      pool.parallelFor(n * inner, 4096, (from, to) -> kernels.activate(activation, ff, from, to));
      b.proj().forward(ws.ff, n, ws.tmp, kernels, pool);
      // The residual add and the next LayerNorm (the next block's first, or the final one).
      boolean last = l + 1 == blocks.length;
      (last ? weights.finalNorm() : blocks[l + 1].ln1()).addThenApply(x, ws.tmp, ws.h, n, pool);
      if (!last) {
        capture(capture, l + 1, x, n);
      }
    }
    capture(capture, blocks.length, ws.h, n);
    for (int i = 0; i < logitCount; i++) {
      System.arraycopy(ws.h, logitRows[i] * hidden, ws.headIn, i * hidden, hidden);
    }
    weights.lmHead().forward(ws.headIn, logitCount, ws.logits, kernels, pool);
  }

  private void storeKeysAndValues(
      int layer, int n, int[] positions, KvCache[] caches, float[] qkv) {
    for (int r = 0; r < n; r++) {
      int src = r * 3 * hidden;
      KvCache cache = caches[r];
      for (int head = 0; head < heads; head++) {
        int dst = cache.offset(head, positions[r]);
        int from = src + head * headDim;
        System.arraycopy(qkv, from + hidden, cache.keys[layer], dst, headDim);
        System.arraycopy(qkv, from + 2 * hidden, cache.values[layer], dst, headDim);
      }
    }
  }

  private void attend(int layer, int n, int[] positions, KvCache[] caches, Workspace ws) {
    float scale = (float) (1.0 / Math.sqrt(headDim));
    if (config.scaleAttnByInverseLayerIdx()) {
      scale /= layer + 1;
    }
    float s = scale;
    boolean blocked = Attention.blocked(kernels, headDim);
    // Rows attended as a block; null while there is none (decode allocates nothing).
    boolean[] done = null;
    int single = 0;
    for (int r0 = 0; r0 < n; ) {
      int r1 = r0 + 1;
      while (r1 < n && caches[r1] == caches[r0] && positions[r1] == positions[r0] + (r1 - r0)) {
        r1++;
      }
      if (blocked && r1 - r0 >= MIN_BLOCKED_ROWS) {
        attendRun(layer, r0, r1 - r0, positions[r0], caches[r0], s, ws);
        done = done == null ? new boolean[n] : done;
        java.util.Arrays.fill(done, r0, r1, true);
      } else {
        single += r1 - r0;
      }
      r0 = r1;
    }
    if (single > 0) {
      attendRows(layer, n, positions, caches, ws, s, done);
    }
  }

  /**
   * Rows of one sequence that attend as a block: at least a microkernel tile's worth of consecutive
   * positions (a prefill, or one sequence of {@link #forward}).
   */
  private static final int MIN_BLOCKED_ROWS = 8;

  /** The causal attention of rows {@code [r0, r0 + rows)}, at positions from {@code past} on. */
  private void attendRun(
      int layer, int r0, int rows, int past, KvCache cache, float scale, Workspace ws) {
    // One task per head: the two products of a head share its transposed keys.
    pool.parallelFor(
        heads,
        1,
        (from, to) -> {
          for (int head = from; head < to; head++) {
            int off = head * headDim;
            Attention.attendCausal(
                ws.qkv,
                r0 * 3 * hidden + off,
                3 * hidden,
                cache.keys[layer],
                cache.values[layer],
                cache.offset(head, 0),
                headDim,
                past,
                rows,
                scale,
                headDim,
                ws.att,
                r0 * hidden + off,
                hidden);
          }
        });
  }

  /**
   * Rows not in a long enough run, one (row, head) at a time with the online softmax; rows whose
   * {@code done} is true (if not null) were attended by {@link #attendRun}.
   */
  private void attendRows(
      int layer,
      int n,
      int[] positions,
      KvCache[] caches,
      Workspace ws,
      float scale,
      boolean[] done) {
    int tasks = n * heads;
    long work = 0;
    for (int r = 0; r < n; r++) {
      work += done != null && done[r] ? 0 : (long) (positions[r] + 1) * hidden;
    }
    // Short contexts are cheaper to attend to on one thread than to hand out (a hand-off costs a
    // few microseconds; one row's 12 heads over 21 positions take about as long).
    int grain = work < (1 << 14) ? tasks : Math.max(1, tasks / (4 * pool.parallelism()));
    pool.parallelFor(
        tasks,
        grain,
        (from, to) -> {
          for (int task = from; task < to; task++) {
            int r = task / heads;
            if (done != null && done[r]) {
              continue;
            }
            int head = task % heads;
            KvCache cache = caches[r];
            Attention.attend(
                ws.qkv,
                r * 3 * hidden + head * headDim,
                cache.keys[layer],
                cache.values[layer],
                headDim,
                cache.offset(head, 0),
                positions[r] + 1,
                null,
                0,
                scale,
                headDim,
                ws.att,
                r * hidden + head * headDim,
                kernels);
          }
        });
  }

  private void capture(float[][] capture, int index, float[] x, int n) {
    if (capture != null) {
      System.arraycopy(x, 0, capture[index], 0, n * hidden);
    }
  }

  private static void add(float[] x, float[] y, int off, int len) {
    for (int i = off; i < off + len; i++) {
      x[i] += y[i];
    }
  }

  int vocab() {
    return vocab;
  }

  @Override
  public String toString() {
    return "Gpt2Model[" + config.numLayers() + " layers, hidden " + hidden + ", " + kernels + "]";
  }
}
