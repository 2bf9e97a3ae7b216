package io.lmserve.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The result of encoding one text or pair. All arrays have one entry per token.
 *
 * @param offsets UTF-16 {@code [start, end)} into the original text of the token's sequence (the
 *     pair text for sequence 1); tokens added by the post-processor and padding have {@code [0, 0]}
 * @param wordIds index of the pre-tokenized word within its sequence, -1 for added special tokens
 *     and padding
 * @param sequenceIds 0 or 1 for the first or second text, -1 for added special tokens and padding
 * @param overflowing the windows cut off by truncation, each a full encoding
 */
public record Encoding(
    int[] ids,
    String[] tokens,
    int[] typeIds,
    int[] attentionMask,
    int[] specialTokensMask,
    int[][] offsets,
    int[] wordIds,
    int[] sequenceIds,
    List<Encoding> overflowing) {

  public Encoding {
    overflowing = List.copyOf(overflowing);
  }

  static final Encoding EMPTY =
      new Encoding(
          new int[0],
          new String[0],
          new int[0],
          new int[0],
          new int[0],
          new int[0][],
          new int[0],
          new int[0],
          List.of());

  public int length() {
    return ids.length;
  }

  /** Tokens added by a post-processor, e.g. BERT's {@code [CLS]}, with offsets [0, 0]. */
  public static Encoding special(int[] ids, String[] tokens, int typeId) {
    int n = ids.length;
    int[][] offsets = new int[n][];
    for (int i = 0; i < n; i++) {
      offsets[i] = new int[] {0, 0};
    }
    int[] none = filled(n, -1);
    return new Encoding(
        ids.clone(),
        tokens.clone(),
        filled(n, typeId),
        filled(n, 1),
        filled(n, 1),
        offsets,
        none,
        none.clone(),
        List.of());
  }

  /**
   * A sequence whose offsets and word ids are not computed (all [0, 0] and 0), for post-processing
   * when only the ids are wanted.
   */
  static Encoding withoutOffsets(int[] ids, String[] tokens, int sequenceId) {
    int n = ids.length;
    int[][] offsets = new int[n][];
    Arrays.fill(offsets, new int[2]);
    return new Encoding(
        ids,
        tokens,
        filled(n, sequenceId),
        filled(n, 1),
        new int[n],
        offsets,
        new int[n],
        filled(n, sequenceId),
        List.of());
  }

  /** This encoding with every type id set to {@code typeId}. */
  public Encoding withTypeId(int typeId) {
    return with(filled(ids.length, typeId), offsets, sequenceIds, overflowing);
  }

  /** This encoding with every sequence id set to {@code sequenceId}. */
  public Encoding withSequenceId(int sequenceId) {
    return with(typeIds, offsets, filled(ids.length, sequenceId), overflowing);
  }

  public Encoding withOffsets(int[][] newOffsets) {
    return with(typeIds, newOffsets, sequenceIds, overflowing);
  }

  public Encoding withOverflowing(List<Encoding> newOverflowing) {
    return with(typeIds, offsets, sequenceIds, newOverflowing);
  }

  private Encoding with(
      int[] newTypeIds, int[][] newOffsets, int[] newSequenceIds, List<Encoding> newOverflowing) {
    return new Encoding(
        ids,
        tokens,
        newTypeIds,
        attentionMask,
        specialTokensMask,
        newOffsets,
        wordIds,
        newSequenceIds,
        newOverflowing);
  }

  /** Tokens {@code [from, to)}, without overflowing windows. */
  public Encoding slice(int from, int to) {
    int[][] o = new int[to - from][];
    for (int i = from; i < to; i++) {
      o[i - from] = offsets[i].clone();
    }
    return new Encoding(
        Arrays.copyOfRange(ids, from, to),
        Arrays.copyOfRange(tokens, from, to),
        Arrays.copyOfRange(typeIds, from, to),
        Arrays.copyOfRange(attentionMask, from, to),
        Arrays.copyOfRange(specialTokensMask, from, to),
        o,
        Arrays.copyOfRange(wordIds, from, to),
        Arrays.copyOfRange(sequenceIds, from, to),
        List.of());
  }

  /** The encodings one after the other; overflowing windows are not carried over. */
  public static Encoding concat(List<Encoding> parts) {
    if (parts.size() == 1) {
      return parts.getFirst().withOverflowing(List.of());
    }
    int n = 0;
    for (Encoding e : parts) {
      n += e.length();
    }
    int[] ids = new int[n];
    String[] tokens = new String[n];
    int[] typeIds = new int[n];
    int[] attention = new int[n];
    int[] special = new int[n];
    int[][] offsets = new int[n][];
    int[] words = new int[n];
    int[] sequences = new int[n];
    int at = 0;
    for (Encoding e : parts) {
      int len = e.length();
      System.arraycopy(e.ids, 0, ids, at, len);
      System.arraycopy(e.tokens, 0, tokens, at, len);
      System.arraycopy(e.typeIds, 0, typeIds, at, len);
      System.arraycopy(e.attentionMask, 0, attention, at, len);
      System.arraycopy(e.specialTokensMask, 0, special, at, len);
      System.arraycopy(e.offsets, 0, offsets, at, len);
      System.arraycopy(e.wordIds, 0, words, at, len);
      System.arraycopy(e.sequenceIds, 0, sequences, at, len);
      at += len;
    }
    return new Encoding(
        ids, tokens, typeIds, attention, special, offsets, words, sequences, List.of());
  }

  /**
   * Offsets in {@code unit}. {@code text} and {@code pair} are the texts this encoding was made
   * from ({@code pair} may be null for a single text). Tokens of no sequence keep [0, 0].
   */
  public int[][] offsets(OffsetUnit unit, String text, String pair) {
    int[][] out = new int[offsets.length][];
    OffsetConverter first = new OffsetConverter(text, unit);
    OffsetConverter second = pair == null ? null : new OffsetConverter(pair, unit);
    for (int i = 0; i < offsets.length; i++) {
      int seq = sequenceIds[i];
      OffsetConverter c = seq == 1 && second != null ? second : seq == 0 ? first : null;
      out[i] =
          c == null
              ? new int[] {offsets[i][0], offsets[i][1]}
              : new int[] {c.convert(offsets[i][0]), c.convert(offsets[i][1])};
    }
    return out;
  }

  /** Offsets in code points, HF Python's unit (single text). */
  public int[][] codePointOffsets(String text) {
    return offsets(OffsetUnit.CODE_POINT, text, null);
  }

  /** Offsets in UTF-8 bytes, HF Rust's unit (single text). */
  public int[][] utf8Offsets(String text) {
    return offsets(OffsetUnit.UTF8, text, null);
  }

  /** Every encoding reachable from this one: itself, then its overflowing windows. */
  public List<Encoding> withAllWindows() {
    List<Encoding> all = new ArrayList<>(1 + overflowing.size());
    all.add(this);
    all.addAll(overflowing);
    return all;
  }

  static int[] filled(int n, int value) {
    int[] a = new int[n];
    if (value != 0) {
      Arrays.fill(a, value);
    }
    return a;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Encoding e
        && Arrays.equals(ids, e.ids)
        && Arrays.equals(tokens, e.tokens)
        && Arrays.equals(typeIds, e.typeIds)
        && Arrays.equals(attentionMask, e.attentionMask)
        && Arrays.equals(specialTokensMask, e.specialTokensMask)
        && Arrays.deepEquals(offsets, e.offsets)
        && Arrays.equals(wordIds, e.wordIds)
        && Arrays.equals(sequenceIds, e.sequenceIds)
        && overflowing.equals(e.overflowing);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ids) * 31 + Arrays.deepHashCode(offsets);
  }

  @Override
  public String toString() {
    return "Encoding" + Arrays.toString(tokens);
  }
}
