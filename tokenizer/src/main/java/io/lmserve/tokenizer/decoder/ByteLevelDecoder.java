package io.lmserve.tokenizer.decoder;

import io.lmserve.tokenizer.pretokenizer.ByteAlphabet;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Maps byte-alphabet characters back to bytes and decodes them as UTF-8 (invalid sequences become
 * U+FFFD). A token with characters outside the alphabet (an added token) is taken as text.
 */
public record ByteLevelDecoder() implements Decoder {
  @Override
  public List<String> decodeChain(List<String> tokens) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (String token : tokens) {
      if (inAlphabet(token)) {
        for (int i = 0; i < token.length(); i++) {
          bytes.write(ByteAlphabet.byteOf(token.charAt(i)));
        }
      } else {
        bytes.writeBytes(token.getBytes(StandardCharsets.UTF_8));
      }
    }
    return List.of(bytes.toString(StandardCharsets.UTF_8));
  }

  private static boolean inAlphabet(String token) {
    for (int i = 0; i < token.length(); i++) {
      if (ByteAlphabet.byteOf(token.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }
}
