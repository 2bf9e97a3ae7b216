package io.lmserve.tokenizer.sentencepiece;

import io.lmserve.tokenizer.sentencepiece.proto.MalformedModelException;
import java.nio.charset.StandardCharsets;

/**
 * A compiled normalization rule as SentencePiece stores it: a little-endian {@code uint32} size, a
 * Darts double-array trie of that many bytes over UTF-8 source strings, then the replacement
 * strings, each ending in {@code \0}, which the trie's values point into.
 *
 * <p>The trie is used as stored (no rebuilding): every read is bounds-checked, so a damaged blob
 * gives "no match" where SentencePiece would read out of bounds, and replacement offsets are all
 * validated when the map is loaded.
 */
public final class PrecompiledCharsMap {

  /** SentencePiece looks at no more than this many matches of one prefix search. */
  private static final int MAX_TRIE_RESULTS = 32;

  private final int[] units;
  private final byte[] replacements;

  private PrecompiledCharsMap(int[] units, byte[] replacements) {
    this.units = units;
    this.replacements = replacements;
  }

  /** Parses a blob; fails with a message naming the problem if it is not a compiled rule. */
  public static PrecompiledCharsMap parse(byte[] blob) {
    if (blob.length <= 4) {
      throw broken("blob of " + blob.length + " bytes is too short");
    }
    long trieSize =
        (blob[0] & 0xFFL)
            | (blob[1] & 0xFFL) << 8
            | (blob[2] & 0xFFL) << 16
            | (blob[3] & 0xFFL) << 24;
    if (trieSize >= blob.length - 4L + 1 || trieSize % 4 != 0 || trieSize == 0) {
      throw broken("trie size " + trieSize + " does not fit a blob of " + blob.length + " bytes");
    }
    int[] units = new int[(int) (trieSize / 4)];
    for (int i = 0; i < units.length; i++) {
      int p = 4 + 4 * i;
      units[i] =
          (blob[p] & 0xFF)
              | (blob[p + 1] & 0xFF) << 8
              | (blob[p + 2] & 0xFF) << 16
              | blob[p + 3] << 24;
    }
    byte[] replacements = java.util.Arrays.copyOfRange(blob, 4 + (int) trieSize, blob.length);
    PrecompiledCharsMap map = new PrecompiledCharsMap(units, replacements);
    map.validateValues();
    return map;
  }

  private void validateValues() {
    // Leaf units carry the replacement's offset; every one must start a terminated string.
    for (int unit : units) {
      if (unit < 0 && (unit & 0x7FFF_FFFF) >= replacements.length) {
        throw broken("a rule points at offset " + (unit & 0x7FFF_FFFF) + " past the replacements");
      }
    }
    if (replacements.length > 0 && replacements[replacements.length - 1] != 0) {
      throw broken("the replacement strings are not terminated");
    }
  }

  private static MalformedModelException broken(String problem) {
    return new MalformedModelException("precompiled_charsmap is broken: " + problem);
  }

  /**
   * The longest rule matching a prefix of {@code input[from, to)}, as SentencePiece's normalizer
   * picks it (among the first 32 matches), packed as {@code length << 32 | replacementOffset}, or
   * -1 when no rule matches.
   */
  public long longestMatch(byte[] input, int from, int to) {
    return prefixSearch(input, from, to, MAX_TRIE_RESULTS, false);
  }

  /**
   * The shortest rule matching a prefix of {@code input[from, to)}, packed like {@link
   * #longestMatch}, as HF tokenizers' {@code Precompiled} normalizer takes it (which stops
   * searching at a NUL byte).
   */
  public long shortestMatch(byte[] input, int from, int to) {
    return prefixSearch(input, from, to, 1, true);
  }

  /** The last of the first {@code maxResults} rules that match a prefix, packed, or -1. */
  private long prefixSearch(byte[] input, int from, int to, int maxResults, boolean stopAtNul) {
    long found = -1;
    int results = 0;
    int id = offset(unit(0));
    for (int i = from; i < to && results < maxResults; i++) {
      int label = input[i] & 0xFF;
      if (label == 0 && stopAtNul) {
        break;
      }
      id ^= label;
      int unit = unit(id);
      if ((unit & 0x8000_00FF) != label) {
        break;
      }
      id ^= offset(unit);
      if (hasLeaf(unit)) {
        found = (long) (i + 1 - from) << 32 | (unit(id) & 0x7FFF_FFFF);
        results++;
      }
    }
    return found;
  }

  /** The replacement string at {@code offset}. */
  public String replacement(int offset) {
    return new String(replacements, offset, replacementLength(offset), StandardCharsets.UTF_8);
  }

  /** The length in bytes of the replacement string at {@code offset}. */
  public int replacementLength(int offset) {
    int end = offset;
    while (replacements[end] != 0) {
      end++;
    }
    return end - offset;
  }

  public byte replacementByte(int index) {
    return replacements[index];
  }

  /** A unit, or a value that can match nothing when the index is outside the array. */
  private int unit(int index) {
    return index >= 0 && index < units.length ? units[index] : Integer.MIN_VALUE;
  }

  private static boolean hasLeaf(int unit) {
    return ((unit >>> 8) & 1) == 1;
  }

  private static int offset(int unit) {
    return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
  }
}
