package io.lmserve.tokenizer.normalizer;

import io.lmserve.tokenizer.sentencepiece.PrecompiledCharsMap;
import java.nio.charset.StandardCharsets;
import java.text.BreakIterator;
import java.util.Base64;
import java.util.Locale;

/**
 * HF tokenizers' {@code Precompiled} normalizer: a SentencePiece compiled rule (the {@code
 * precompiled_charsmap} of a {@code .model}) applied the way HF applies it, which is not quite the
 * way SentencePiece does: per grapheme cluster, a cluster shorter than 6 UTF-8 bytes is replaced by
 * the shortest rule matching its start, otherwise each character by the shortest rule matching it.
 * Alignments follow HF's bookkeeping of the change, so offsets equal HF's.
 */
public final class Precompiled implements Normalizer {

  private static final int WHOLE_CLUSTER_LIMIT = 6;

  private final byte[] charsMap;
  private final PrecompiledCharsMap map;

  public Precompiled(byte[] charsMap) {
    this.charsMap = charsMap.clone();
    this.map = PrecompiledCharsMap.parse(charsMap);
  }

  /** From the base64 text of a {@code tokenizer.json}. */
  public static Precompiled fromBase64(String base64) {
    return new Precompiled(Base64.getDecoder().decode(base64));
  }

  public String charsMapBase64() {
    return Base64.getEncoder().encodeToString(charsMap);
  }

  @Override
  public NormalizedString normalize(NormalizedString text) {
    String s = text.normalized();
    if (s.isEmpty()) {
      return text;
    }
    Changes changes = new Changes(s.length());
    boolean modified = false;
    BreakIterator clusters = BreakIterator.getCharacterInstance(Locale.ROOT);
    clusters.setText(s);
    for (int start = clusters.first(), end = clusters.next();
        end != BreakIterator.DONE;
        start = end, end = clusters.next()) {
      byte[] cluster = s.substring(start, end).getBytes(StandardCharsets.UTF_8);
      if (cluster.length < WHOLE_CLUSTER_LIMIT) {
        long match = map.shortestMatch(cluster, 0, cluster.length);
        if (match >= 0) {
          changes.replace(s.codePointCount(start, end), map.replacement((int) match));
          modified = true;
          continue;
        }
      }
      for (int i = start; i < end; ) {
        int cp = s.codePointAt(i);
        byte[] one = Character.toString(cp).getBytes(StandardCharsets.UTF_8);
        long match = map.shortestMatch(one, 0, one.length);
        if (match >= 0) {
          changes.replace(1, map.replacement((int) match));
          modified = true;
        } else {
          changes.keep(cp);
        }
        i += Character.charCount(cp);
      }
    }
    return modified ? changes.apply(text) : text;
  }

  /**
   * HF's list of (character, change) pairs: change 0 replaces the next original character, a
   * positive change inserts, a negative one also removes that many original characters.
   */
  private static final class Changes {
    private int[] chars;
    private int[] change;
    private int size;

    Changes(int capacity) {
      chars = new int[capacity + 4];
      change = new int[capacity + 4];
    }

    void keep(int cp) {
      add(cp, 0);
    }

    /** {@code oldCount} original characters become {@code replacement}, recorded as HF does. */
    void replace(int oldCount, String replacement) {
      int newCount = replacement.codePointCount(0, replacement.length());
      int first = size;
      replacement.codePoints().forEach(cp -> add(cp, 0));
      int diff = newCount - oldCount;
      if (diff > 0) {
        for (int k = Math.max(first, size - diff); k < size; k++) {
          change[k] = 1;
        }
      } else if (diff < 0 && size > 0) {
        // HF puts the removal on the last change so far, even one of an earlier character.
        change[size - 1] += diff;
      }
    }

    private void add(int cp, int c) {
      if (size == chars.length) {
        chars = java.util.Arrays.copyOf(chars, size * 2);
        change = java.util.Arrays.copyOf(change, size * 2);
      }
      chars[size] = cp;
      change[size] = c;
      size++;
    }

    NormalizedString apply(NormalizedString text) {
      String s = text.normalized();
      NormalizedString.Builder out = text.builder();
      int at = 0; // next original unit of s
      for (int k = 0; k < size; k++) {
        int alignStart;
        int alignEnd;
        if (change[k] > 0) {
          // Inserted: aligned like the unit before it.
          alignStart = at == 0 ? text.originalStart() : text.alignStart(at - 1);
          alignEnd = at == 0 ? text.originalStart() : text.alignEnd(at - 1);
        } else {
          alignStart = text.alignStart(at);
          alignEnd = text.alignEnd(at);
          at += Character.charCount(s.codePointAt(at));
          for (int r = 0; r < -change[k] && at < s.length(); r++) {
            at += Character.charCount(s.codePointAt(at));
          }
        }
        out.append(chars[k], alignStart, alignEnd);
      }
      return out.build();
    }
  }
}
