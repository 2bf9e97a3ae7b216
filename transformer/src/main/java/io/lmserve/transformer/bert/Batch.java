package io.lmserve.transformer.bert;

import io.lmserve.transformer.ModelConfig;

/**
 * A padded BERT batch flattened to rows {@code b * width + t}: token, segment and position of each
 * row, and which rows are real tokens (attention never looks at the others).
 */
record Batch(int batch, int width, int[] ids, int[] types, int[] positions, boolean[] keep) {

  int rows() {
    return batch * width;
  }

  static Batch of(
      int[][] ids, int[][] typeIds, int[][] mask, ModelConfig config, long floatsPerPosition) {
    if (ids == null || ids.length == 0) {
      throw new IllegalArgumentException("empty batch");
    }
    int width = ids[0].length;
    if (width == 0) {
      throw new IllegalArgumentException("empty sequence");
    }
    if (width > config.maxPositions()) {
      throw new IllegalArgumentException(
          "sequence of " + width + " tokens; the model takes at most " + config.maxPositions());
    }
    if ((long) ids.length * width * floatsPerPosition > BertModel.MAX_OUTPUT_FLOATS) {
      throw new IllegalArgumentException(
          "batch of " + ids.length + " x " + width + " is too large for one call; split it");
    }
    check(typeIds, ids, "typeIds");
    check(mask, ids, "attentionMask");
    int n = ids.length * width;
    int[] flatIds = new int[n];
    int[] types = new int[n];
    int[] positions = new int[n];
    boolean[] keep = new boolean[n];
    for (int b = 0; b < ids.length; b++) {
      if (ids[b].length != width) {
        throw new IllegalArgumentException(
            "row "
                + b
                + " has "
                + ids[b].length
                + " ids but row 0 has "
                + width
                + " (pad the batch)");
      }
      for (int t = 0; t < width; t++) {
        int r = b * width + t;
        flatIds[r] = inRange(ids[b][t], config.vocabSize(), "token id");
        types[r] =
            typeIds == null ? 0 : inRange(typeIds[b][t], config.typeVocabSize(), "token type id");
        positions[r] = t;
        int m = mask == null ? 1 : mask[b][t];
        if (m != 0 && m != 1) {
          throw new IllegalArgumentException("row " + b + ": mask value " + m + " is not 0 or 1");
        }
        keep[r] = m == 1;
      }
    }
    return new Batch(ids.length, width, flatIds, types, positions, keep);
  }

  private static void check(int[][] companion, int[][] ids, String what) {
    if (companion == null) {
      return;
    }
    if (companion.length != ids.length) {
      throw new IllegalArgumentException(
          what + " has " + companion.length + " rows but ids " + ids.length);
    }
    for (int b = 0; b < ids.length; b++) {
      if (companion[b].length != ids[b].length) {
        throw new IllegalArgumentException(
            what
                + " row "
                + b
                + " has "
                + companion[b].length
                + " entries but ids "
                + ids[b].length);
      }
    }
  }

  private static int inRange(int value, int limit, String what) {
    if (value < 0 || value >= limit) {
      throw new IllegalArgumentException(what + " " + value + " out of range [0, " + limit + ")");
    }
    return value;
  }

  /** {@code [batch][width][per]} from rows of {@code per} floats. */
  float[][][] unpack(float[] flat, int per) {
    float[][][] out = new float[batch][width][per];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < width; t++) {
        System.arraycopy(flat, (b * width + t) * per, out[b][t], 0, per);
      }
    }
    return out;
  }
}
