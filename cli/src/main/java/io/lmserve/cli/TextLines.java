package io.lmserve.cli;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Lines of UTF-8 text split on {@code \n} only ({@code \r}, U+0085 and U+2028 stay in the line, as
 * in the reference data). A final empty line is not reported. Lines longer than {@link #MAX_LINE}
 * characters are refused rather than read into memory without bound.
 */
final class TextLines {

  static final int MAX_LINE = 1 << 26;

  private final Reader in;
  private final StringBuilder line = new StringBuilder();
  private int number;
  private boolean done;

  TextLines(Reader in) {
    this.in = in;
  }

  /** Lines of {@code System.in}, read as UTF-8. */
  static TextLines stdin() {
    return new TextLines(
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16));
  }

  /** A buffered UTF-8 writer on {@code System.out}; flush it at the end. */
  static Writer stdout() {
    return new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
  }

  /** The next line, or null at the end. */
  String next() throws IOException {
    if (done) {
      return null;
    }
    line.setLength(0);
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        number++;
        return line.toString();
      }
      if (line.length() == MAX_LINE) {
        throw new IOException(
            "line " + (number + 1) + " is longer than " + MAX_LINE + " characters");
      }
      line.append((char) c);
    }
    done = true;
    if (line.isEmpty()) {
      return null;
    }
    number++;
    return line.toString();
  }

  /** 1-based number of the line last returned. */
  int number() {
    return number;
  }
}
