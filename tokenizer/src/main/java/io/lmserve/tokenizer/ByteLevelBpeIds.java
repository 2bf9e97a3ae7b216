package io.lmserve.tokenizer;

import io.lmserve.tokenizer.model.Bpe;
import io.lmserve.tokenizer.model.Model;
import io.lmserve.tokenizer.pretokenizer.ByteAlphabet;
import io.lmserve.tokenizer.pretokenizer.ByteLevel;
import io.lmserve.tokenizer.pretokenizer.Gpt2Pattern;
import io.lmserve.tokenizer.pretokenizer.PreTokenizer;

/**
 * The ids of byte-level BPE (GPT-2, RoBERTa, …) without offsets, tokens or alignments: the GPT-2
 * pattern runs over the text itself and each word's ids come from a cache keyed by the word as
 * written, so a known word costs one hash and one comparison, with no byte mapping and no
 * allocation. Only a cache miss maps the word to the byte alphabet and asks the model, which gives
 * the same ids as the full pipeline by construction.
 */
final class ByteLevelBpeIds {

  /** Words longer than this are not cached (they are rare, and a long key is a slow compare). */
  private static final int CACHE_MAX_WORD = 64;

  /**
   * Cache slots: fixed, so memory is bounded whatever the input (entries of at most ~0.5 KB, so 17
   * MB at the very worst; natural text fills a few MB).
   */
  private static final int CACHE_SLOTS = 1 << 15;

  private final ByteLevel byteLevel;
  private final Model model;
  private final WordIdsCache cache = new WordIdsCache(CACHE_SLOTS);

  private ByteLevelBpeIds(ByteLevel byteLevel, Model model) {
    this.byteLevel = byteLevel;
    this.model = model;
  }

  /** The fast path for this pipeline, or null when it is not byte-level BPE. */
  static ByteLevelBpeIds of(PreTokenizer preTokenizer, Model model) {
    if (preTokenizer instanceof ByteLevel b
        && model instanceof Bpe bpe
        && (bpe.options().dropout() == null || bpe.options().dropout() == 0f)) {
      return new ByteLevelBpeIds(b, model);
    }
    return null;
  }

  /** Appends the ids of {@code text[from, to)}, one piece between added tokens, to {@code out}. */
  void encode(String text, int from, int to, IdsBuffer out) {
    if (from >= to) {
      return;
    }
    if (byteLevel.addPrefixSpace() && text.charAt(from) != ' ') {
      text = " " + text.substring(from, to);
      from = 0;
      to = text.length();
    }
    if (!byteLevel.useRegex()) {
      word(text, from, to, out);
      return;
    }
    for (int i = from; i < to; ) {
      int end = Gpt2Pattern.matchEnd(text, i, to);
      word(text, i, end, out);
      i = end;
    }
  }

  private void word(String text, int from, int to, IdsBuffer out) {
    boolean cacheable = to - from <= CACHE_MAX_WORD;
    int hash = 0;
    if (cacheable) {
      hash = WordIdsCache.hash(text, from, to);
      if (cache.copyIds(text, from, to, hash, out)) {
        return;
      }
    }
    String bytes = toByteAlphabet(text, from, to);
    if (!cacheable) {
      model.tokenize(bytes, (id, start, end) -> out.add(id));
      return;
    }
    IdsBuffer ids = new IdsBuffer(bytes.length());
    model.tokenize(bytes, (id, start, end) -> ids.add(id));
    int[] result = ids.toArray();
    cache.put(text, from, to, hash, result);
    out.addAll(result);
  }

  /** {@code text[from, to)} as its UTF-8 bytes in GPT-2's byte alphabet, as {@link ByteLevel}. */
  private static String toByteAlphabet(String text, int from, int to) {
    char[] chars = new char[4 * (to - from)];
    int k = 0;
    for (int i = from; i < to; ) {
      char c = text.charAt(i);
      if (c < 0x80) {
        chars[k++] = ByteAlphabet.charOf(c);
        i++;
        continue;
      }
      int cp =
          Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))
              ? text.codePointAt(i)
              : c;
      k += ByteAlphabet.encode(cp, chars, k);
      i += Character.charCount(cp);
    }
    return new String(chars, 0, k);
  }
}
