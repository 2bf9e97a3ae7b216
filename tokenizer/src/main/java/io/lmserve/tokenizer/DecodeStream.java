package io.lmserve.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Incremental decoding for generation: {@link #next(int)} takes one id and returns only the text
 * that became complete, never half a character (while the decoded text ends in U+FFFD, more bytes
 * are awaited). It decodes a short window that keeps the previous tokens as context, so spacing
 * rules that depend on the neighbour (WordPiece's ##, Metaspace's first ▁) come out as in {@link
 * Tokenizer#decode}. Not thread-safe: one stream per generation.
 */
public final class DecodeStream {

  private final Tokenizer tokenizer;
  private final boolean skipSpecialTokens;
  private final List<Integer> window = new ArrayList<>();
  private String prefix = "";
  private int prefixIndex;

  DecodeStream(Tokenizer tokenizer, boolean skipSpecialTokens) {
    this.tokenizer = tokenizer;
    this.skipSpecialTokens = skipSpecialTokens;
  }

  /** Adds {@code id}; returns the newly completed text, possibly "". */
  public String next(int id) {
    window.add(id);
    String text = decodeWindow();
    if (text.length() <= prefix.length() || text.endsWith("\uFFFD")) {
      return "";
    }
    if (!text.startsWith(prefix)) {
      throw new IllegalStateException(
          "decoder output changed already emitted text: '" + prefix + "' → '" + text + "'");
    }
    String fresh = text.substring(prefix.length());
    int newPrefixIndex = window.size() - prefixIndex;
    window.subList(0, prefixIndex).clear();
    prefix = decodeWindow();
    prefixIndex = newPrefixIndex;
    return fresh;
  }

  /** The text still held back (e.g. an incomplete character at the very end), then resets. */
  public String flush() {
    String text = decodeWindow();
    String rest = text.length() > prefix.length() ? text.substring(prefix.length()) : "";
    window.clear();
    prefix = "";
    prefixIndex = 0;
    return rest;
  }

  private String decodeWindow() {
    int[] ids = new int[window.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = window.get(i);
    }
    return tokenizer.decode(ids, skipSpecialTokens);
  }
}
