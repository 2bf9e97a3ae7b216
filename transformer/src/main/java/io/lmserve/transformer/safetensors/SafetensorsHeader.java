package io.lmserve.transformer.safetensors;

import io.lmserve.transformer.ModelLoadException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The parsed and validated JSON header of a safetensors file. Validation is the official reader's:
 * known dtypes, byte sizes matching dtype × shape, and byte ranges that tile the data section
 * exactly (in range, no overlap, no hole).
 */
public record SafetensorsHeader(Map<String, TensorInfo> tensors, Map<String, String> metadata) {

  /** Header JSON larger than this is refused before it is read (the official limit is 100 MB). */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  public SafetensorsHeader {
    // Header order, so listings read like the file.
    tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /**
   * Parses {@code json} and checks every entry against a data section of {@code dataLength} bytes;
   * {@code source} names the file in error messages.
   */
  public static SafetensorsHeader parse(byte[] json, long dataLength, String source)
      throws ModelLoadException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JacksonException e) {
      throw new ModelLoadException(
          source + ": header is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ModelLoadException(source + ": header is not a JSON object");
    }
    Map<String, TensorInfo> tensors = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (String name : root.propertyNames()) {
      JsonNode entry = root.get(name);
      if (name.equals("__metadata__")) {
        readMetadata(entry, metadata, source);
      } else {
        tensors.put(name, readEntry(name, entry, source));
      }
    }
    checkTiling(tensors, dataLength, source);
    return new SafetensorsHeader(tensors, metadata);
  }

  private static void readMetadata(JsonNode node, Map<String, String> out, String source)
      throws ModelLoadException {
    if (!node.isObject()) {
      throw new ModelLoadException(source + ": __metadata__ must be an object of strings");
    }
    for (String key : node.propertyNames()) {
      JsonNode value = node.get(key);
      if (!value.isString()) {
        throw new ModelLoadException(
            source + ": __metadata__ value of '" + key + "' is not a string");
      }
      out.put(key, value.stringValue());
    }
  }

  private static TensorInfo readEntry(String name, JsonNode e, String source)
      throws ModelLoadException {
    String where = source + ": tensor '" + name + "'";
    if (!e.isObject()) {
      throw new ModelLoadException(where + ": header entry is not an object");
    }
    JsonNode dtypeNode = e.get("dtype");
    if (dtypeNode == null || !dtypeNode.isString()) {
      throw new ModelLoadException(where + ": missing dtype");
    }
    DType dtype =
        DType.parse(dtypeNode.stringValue())
            .orElseThrow(
                () ->
                    new ModelLoadException(
                        where + ": unknown dtype '" + dtypeNode.stringValue() + "'"));
    JsonNode shapeNode = e.get("shape");
    if (shapeNode == null || !shapeNode.isArray()) {
      throw new ModelLoadException(where + ": missing shape");
    }
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = nonNegativeLong(shapeNode.get(i), where + ": shape");
    }
    JsonNode offsets = e.get("data_offsets");
    if (offsets == null || !offsets.isArray() || offsets.size() != 2) {
      throw new ModelLoadException(where + ": data_offsets must be [begin, end]");
    }
    long begin = nonNegativeLong(offsets.get(0), where + ": data_offsets");
    long end = nonNegativeLong(offsets.get(1), where + ": data_offsets");
    if (end < begin) {
      throw new ModelLoadException(where + ": data_offsets end " + end + " < begin " + begin);
    }
    long expected;
    try {
      expected = dtype.byteSize();
      for (long d : shape) {
        expected = Math.multiplyExact(expected, d);
      }
    } catch (ArithmeticException overflow) {
      throw new ModelLoadException(
          where + ": shape " + java.util.Arrays.toString(shape) + " overflows");
    }
    if (end - begin != expected) {
      throw new ModelLoadException(
          where
              + ": holds "
              + (end - begin)
              + " bytes but "
              + dtype
              + " "
              + java.util.Arrays.toString(shape)
              + " needs "
              + expected);
    }
    return new TensorInfo(name, dtype, shape, begin, end);
  }

  private static long nonNegativeLong(JsonNode n, String what) throws ModelLoadException {
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
      throw new ModelLoadException(what + " holds " + n + ", not a non-negative integer");
    }
    return n.longValue();
  }

  private static void checkTiling(Map<String, TensorInfo> tensors, long dataLength, String source)
      throws ModelLoadException {
    List<TensorInfo> byOffset = new ArrayList<>(tensors.values());
    byOffset.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
    long covered = 0;
    TensorInfo previous = null;
    for (TensorInfo t : byOffset) {
      if (t.end() > dataLength) {
        throw new ModelLoadException(
            source
                + ": tensor '"
                + t.name()
                + "' ends at byte "
                + t.end()
                + " past the data section ("
                + dataLength
                + " bytes; file truncated?)");
      }
      if (t.begin() < covered) {
        throw new ModelLoadException(
            source
                + ": tensor '"
                + t.name()
                + "' overlaps tensor '"
                + previous.name()
                + "' (bytes "
                + t.begin()
                + ".."
                + covered
                + ")");
      }
      if (t.begin() > covered) {
        throw new ModelLoadException(
            source
                + ": hole before tensor '"
                + t.name()
                + "' (bytes "
                + covered
                + ".."
                + t.begin()
                + " belong to no tensor)");
      }
      covered = t.end();
      previous = t;
    }
    if (covered != dataLength) {
      throw new ModelLoadException(
          source
              + ": data section has "
              + dataLength
              + " bytes but tensors cover "
              + covered
              + " (trailing bytes)");
    }
  }
}
