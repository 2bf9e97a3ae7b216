package io.lmserve.tokenizer.decoder;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs of byte tokens {@code <0xXX>} become the text they encode, or one U+FFFD per byte when they
 * are not valid UTF-8.
 */
public record ByteFallbackDecoder() implements Decoder {
  @Override
  public List<String> decodeChain(List<String> tokens) {
    List<String> out = new ArrayList<>(tokens.size());
    byte[] pending = new byte[16];
    int count = 0;
    for (String token : tokens) {
      int b = byteValue(token);
      if (b >= 0) {
        if (count == pending.length) {
          pending = java.util.Arrays.copyOf(pending, count * 2);
        }
        pending[count++] = (byte) b;
        continue;
      }
      flush(pending, count, out);
      count = 0;
      out.add(token);
    }
    flush(pending, count, out);
    return out;
  }

  /** The byte of a {@code <0xXX>} token, or -1. */
  static int byteValue(String token) {
    if (token.length() != 6 || !token.startsWith("<0x") || token.charAt(5) != '>') {
      return -1;
    }
    int hi = Character.digit(token.charAt(3), 16);
    int lo = Character.digit(token.charAt(4), 16);
    return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
  }

  private static void flush(byte[] bytes, int count, List<String> out) {
    if (count == 0) {
      return;
    }
    try {
      out.add(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes, 0, count))
              .toString());
    } catch (CharacterCodingException e) {
      for (int i = 0; i < count; i++) {
        out.add("\uFFFD");
      }
    }
  }
}
