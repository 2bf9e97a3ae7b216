package io.lmserve.tokenizer.training;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Writes JSON trees built from ordered maps, so the same model always gives the same bytes. */
final class TokenizerJson {

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private TokenizerJson() {}

  /** The tree of JSON {@link #write} wrote, for reading it back. */
  static tools.jackson.databind.JsonNode read(byte[] json) {
    return JSON.readTree(json);
  }

  static byte[] write(Object tree) {
    return (JSON.writeValueAsString(tree) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** {@code {"type": type, key: value, ...}} in that order. */
  static Map<String, Object> component(String type, Object... keyValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("type", type);
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put((String) keyValues[i], keyValues[i + 1]);
    }
    return map;
  }
}
