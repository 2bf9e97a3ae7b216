package io.lmserve.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The texts every contender encodes: one per line of a UTF-8 file, split on {@code \n} only (CR,
 * U+0085 and U+2028 stay inside a text), whole lines up to the first {@code maxBytes} bytes.
 *
 * @param bytes UTF-8 size of the texts, newlines not counted: the figure MB/s is based on
 */
record Corpus(Path file, List<String> texts, long bytes) {

  Corpus {
    texts = List.copyOf(texts);
  }

  static Corpus read(Path file, long maxBytes) throws IOException {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("corpus size must be positive, got " + maxBytes);
    }
    String all = Files.readString(file, StandardCharsets.UTF_8);
    List<String> texts = new ArrayList<>();
    long bytes = 0;
    int start = 0;
    while (start < all.length() && bytes < maxBytes) {
      int nl = all.indexOf('\n', start);
      int end = nl < 0 ? all.length() : nl;
      String text = all.substring(start, end);
      texts.add(text);
      bytes += utf8Length(text);
      start = end + 1;
    }
    if (texts.isEmpty()) {
      throw new IllegalArgumentException(file + " holds no text");
    }
    return new Corpus(file, texts, bytes);
  }

  /** Every {@code step}-th text, at most {@code max} of them: the sample ids are checked on. */
  List<String> sample(int max) {
    int step = Math.max(1, texts.size() / max);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < texts.size() && out.size() < max; i += step) {
      out.add(texts.get(i));
    }
    return out;
  }

  /** The texts cut into consecutive batches of {@code size}, as a batch API receives them. */
  List<List<String>> batches(int size) {
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < texts.size(); i += size) {
      out.add(texts.subList(i, Math.min(texts.size(), i + size)));
    }
    return out;
  }

  private static long utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
