package io.lmserve.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Hostile HTTP requests for every lmserve JSON endpoint: a plausible body with some fields given
 * anything at all (wrong types, huge and negative numbers, NaN, nulls, nesting, lone surrogates,
 * path-like model names, 10k-item lists), or a broken body (malformed or truncated JSON, invalid
 * UTF-8, 100k-deep nesting, a 10 MB body, the wrong content type). The server's only acceptable
 * answers are a 2xx or a 4xx problem document.
 *
 * <p>Plain Java and seeded: the service's tests, the integration tests and the reliability bench
 * all draw the same cases from the same seeds.
 */
public final class RequestFuzzer {

  /** One request to send: POST {@code path} with {@code body} as {@code contentType}. */
  public record Case(String kind, String path, String contentType, byte[] body) {
    /** The body for a failure message, cut to a readable length. */
    public String describe() {
      String text = new String(body, StandardCharsets.UTF_8);
      String shown =
          text.length() > 300 ? text.substring(0, 300) + "…(" + body.length + " B)" : text;
      return kind + " POST " + path + " [" + contentType + "] " + shown;
    }
  }

  /** A verbatim piece of JSON text (NaN, 1e400, a deep nesting) the writer must not quote. */
  private record Raw(String json) {}

  /** The endpoints and their fields, as the API contract spells them. */
  public static final Map<String, List<String>> FIELDS = fields();

  private static Map<String, List<String>> fields() {
    Map<String, List<String>> f = new LinkedHashMap<>();
    f.put(
        "/v1/tokenize",
        List.of("model", "text", "add_special_tokens", "special_tokens", "offsets"));
    f.put(
        "/v1/encode",
        List.of(
            "model",
            "text",
            "texts",
            "text_pair",
            "text_pairs",
            "add_special_tokens",
            "special_tokens",
            "padding",
            "max_length",
            "pad_to_multiple_of",
            "truncation",
            "stride",
            "return_overflowing",
            "return_offsets",
            "return_word_ids",
            "return_special_tokens_mask",
            "offsets"));
    f.put("/v1/decode", List.of("model", "ids", "ids_batch", "skip_special_tokens"));
    List<String> generate =
        List.of(
            "model",
            "prompt",
            "max_new_tokens",
            "temperature",
            "top_k",
            "top_p",
            "min_p",
            "repetition_penalty",
            "presence_penalty",
            "frequency_penalty",
            "stop",
            "seed",
            "logprobs",
            "truncate_prompt");
    f.put("/v1/generate", generate);
    f.put("/v1/generate/stream", generate);
    f.put(
        "/v1/completions",
        List.of(
            "model",
            "prompt",
            "max_tokens",
            "temperature",
            "top_p",
            "n",
            "stream",
            "stream_options",
            "stop",
            "seed",
            "logprobs",
            "presence_penalty",
            "frequency_penalty",
            "echo",
            "user"));
    f.put("/v1/fill-mask", List.of("model", "text", "texts", "top_k", "targets"));
    return Map.copyOf(f);
  }

  private static final List<Object> INTERESTING =
      List.of(
          0,
          1,
          -1,
          50256,
          30522,
          Integer.MAX_VALUE,
          Integer.MIN_VALUE,
          Long.MAX_VALUE,
          Long.MIN_VALUE,
          1.5,
          -0.0,
          1e308,
          true,
          false,
          "",
          " ",
          "0",
          "NaN",
          "longest",
          "max_length",
          "only_second",
          "parse",
          "reject",
          "utf16");

  private static final List<Object> HOSTILE_NUMBERS =
      List.of(
          new Raw("NaN"),
          new Raw("Infinity"),
          new Raw("-Infinity"),
          new Raw("1e400"),
          new Raw("-1e400"),
          new Raw("1e-400"),
          new Raw("123456789012345678901234567890"),
          new Raw("-123456789012345678901234567890"),
          new Raw("0x10"),
          new Raw("01"),
          new Raw("1."),
          new Raw(".5"),
          new Raw("+1"));

  private static final List<String> MODEL_NAMES =
      List.of(
          "gpt2",
          "bert-base-uncased",
          "gpt-kjv",
          "bert-kjv",
          "",
          " gpt2",
          "GPT2",
          "no-such-model",
          "../../etc/passwd",
          "/etc/passwd",
          "models/tokenizers/gpt2",
          "gpt2/../bert-base-uncased",
          "..",
          ".",
          "~",
          "C:\\Windows\\win.ini",
          "%2e%2e%2fetc",
          "file:///etc/passwd",
          "http://127.0.0.1:1/",
          "gpt2\u0000",
          "x".repeat(10_000));

  private static final String[] PIECES = {
    "Hello",
    " world",
    "[CLS]",
    "[SEP]",
    "[MASK]",
    "<|endoftext|>",
    "\uD83D\uDE42",
    "\uD800",
    "\uDC00",
    "\u0000",
    "\t",
    "\n",
    "  ",
    "é",
    "e\u0301",
    "İ",
    "ﬁ",
    "中文",
    "x".repeat(120),
    "'s",
    "\u202E",
    "\uFEFF",
    "\\",
    "\""
  };

  private final List<String> paths;

  /** A fuzzer over every endpoint of the contract. */
  public RequestFuzzer() {
    this(List.copyOf(FIELDS.keySet()));
  }

  /** A fuzzer over {@code paths} (keys of {@link #FIELDS}). */
  public RequestFuzzer(List<String> paths) {
    for (String path : paths) {
      if (!FIELDS.containsKey(path)) {
        throw new IllegalArgumentException("no field list for " + path);
      }
    }
    this.paths = List.copyOf(paths);
  }

  /** The next hostile (or, one time in four, plausible) request. */
  public Case next(SplittableRandom random) {
    String path = paths.get(random.nextInt(paths.size()));
    Map<String, Object> body = plausibleBody(path, random);
    int kind = random.nextInt(100);
    if (kind < 25) {
      return json("plausible", path, body);
    }
    if (kind < 60) {
      List<String> fields = FIELDS.get(path);
      for (int wild = 1 + random.nextInt(2); wild > 0; wild--) {
        String field = fields.get(random.nextInt(fields.size()));
        body.put(field, anyValue(field, 2, random));
      }
      return json("wild-fields", path, body);
    }
    if (kind < 68) {
      String field = FIELDS.get(path).get(random.nextInt(FIELDS.get(path).size()));
      body.put(field, HOSTILE_NUMBERS.get(random.nextInt(HOSTILE_NUMBERS.size())));
      return json("hostile-number", path, body);
    }
    if (kind < 74) {
      body.put("model", MODEL_NAMES.get(random.nextInt(MODEL_NAMES.size())));
      return json("model-name", path, body);
    }
    if (kind < 80) {
      body.put(random.nextBoolean() ? "stop" : pickList(path), hugeList(random));
      return json("huge-list", path, body);
    }
    byte[] valid = Json.write(body).getBytes(StandardCharsets.UTF_8);
    return switch (kind) {
      case 80, 81, 82 ->
          new Case(
              "truncated",
              path,
              "application/json",
              Arrays.copyOf(valid, random.nextInt(Math.max(1, valid.length))));
      case 83, 84 -> new Case("invalid-utf8", path, "application/json", invalidUtf8(valid, random));
      case 85 ->
          new Case(
              "deep-nesting",
              path,
              "application/json",
              ("{\"text\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}")
                  .getBytes(StandardCharsets.UTF_8));
      case 86 ->
          new Case(
              "deep-object",
              path,
              "application/json",
              ("{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000)).getBytes(StandardCharsets.UTF_8));
      case 87 -> new Case("huge-body", path, "application/json", hugeBody(path));
      case 88 -> new Case("wrong-content-type", path, "text/plain", valid);
      case 89 -> new Case("empty-body", path, "application/json", new byte[0]);
      case 90, 91 -> new Case("not-an-object", path, "application/json", notAnObject(random));
      case 92, 93 -> new Case("random-bytes", path, "application/json", randomBytes(random));
      case 94 ->
          new Case(
              "duplicate-keys",
              path,
              "application/json",
              ("{\"model\":\"gpt2\",\"model\":\"bert-base-uncased\","
                      + Json.write(body).substring(1))
                  .getBytes(StandardCharsets.UTF_8));
      case 95 ->
          new Case(
              "trailing-garbage",
              path,
              "application/json",
              (Json.write(body) + "}{,]").getBytes(StandardCharsets.UTF_8));
      case 96 -> {
        body.put("unknown_field_" + random.nextInt(100), anyValue("model", 1, random));
        yield json("unknown-field", path, body);
      }
      case 97 -> {
        body.put("model", null);
        body.put(pickText(path), "");
        yield json("empty-input", path, body);
      }
      default -> {
        body.put(pickText(path), "x".repeat(300_000));
        yield json("long-text", path, body);
      }
    };
  }

  private static Case json(String kind, String path, Map<String, Object> body) {
    return new Case(
        kind, path, "application/json", Json.write(body).getBytes(StandardCharsets.UTF_8));
  }

  /** A body of the right shape, with random options, that should mostly succeed. */
  private static Map<String, Object> plausibleBody(String path, SplittableRandom random) {
    Map<String, Object> body = new LinkedHashMap<>();
    switch (path) {
      case "/v1/tokenize", "/v1/encode", "/v1/decode" ->
          body.put("model", random.nextBoolean() ? "gpt2" : "bert-base-uncased");
      default -> {}
    }
    switch (path) {
      case "/v1/decode" -> {
        String ids = random.nextBoolean() ? "ids" : "ids_batch";
        body.put(ids, plausible(ids, random));
      }
      case "/v1/encode" -> {
        if (random.nextBoolean()) {
          body.put("text", text(random));
          if (random.nextBoolean()) {
            body.put("text_pair", text(random));
          }
        } else {
          List<Object> texts = list(() -> text(random), random);
          texts.add(text(random));
          body.put("texts", texts);
          if (random.nextBoolean()) {
            body.put("text_pairs", texts.stream().map(t -> (Object) text(random)).toList());
          }
        }
      }
      case "/v1/fill-mask" -> body.put("text", text(random) + "[MASK]" + text(random));
      case "/v1/generate", "/v1/generate/stream", "/v1/completions" ->
          body.put("prompt", "Hello" + text(random));
      default -> body.put("text", text(random));
    }
    for (String field : FIELDS.get(path)) {
      if (!body.containsKey(field)
          && !field.startsWith("text")
          && !field.startsWith("ids")
          && !field.equals("prompt")
          && !field.equals("model")
          && random.nextInt(3) == 0) {
        body.put(field, plausible(field, random));
      }
    }
    return body;
  }

  /** A value of the right type, so requests get past parsing and reach the model. */
  private static Object plausible(String field, SplittableRandom random) {
    return switch (field) {
      case "text", "text_pair", "prompt", "user" -> text(random);
      case "texts", "text_pairs" -> list(() -> text(random), random);
      case "ids" -> list(() -> random.nextInt(30600) - 10, random);
      case "ids_batch" -> list(() -> list(() -> random.nextInt(30600) - 10, random), random);
      case "max_length", "pad_to_multiple_of" -> random.nextInt(20) + 1;
      case "max_new_tokens", "max_tokens" -> random.nextInt(8);
      case "top_k", "logprobs" -> random.nextInt(6);
      case "temperature", "repetition_penalty" -> random.nextDouble() * 2;
      case "top_p", "min_p" -> random.nextDouble();
      case "presence_penalty", "frequency_penalty" -> random.nextDouble() * 4 - 2;
      case "seed" -> random.nextLong();
      case "n" -> 1;
      case "stop" -> list(() -> PIECES[random.nextInt(PIECES.length)], random);
      case "targets" -> list(() -> random.nextBoolean() ? "the" : "lord", random);
      case "stream_options" -> Map.of("include_usage", random.nextBoolean());
      case "stride" -> random.nextInt(4);
      case "padding", "truncation" -> INTERESTING.get(18 + random.nextInt(3));
      case "special_tokens", "offsets" -> INTERESTING.get(21 + random.nextInt(3));
      default -> random.nextBoolean();
    };
  }

  private static Object anyValue(String field, int depth, SplittableRandom random) {
    return switch (random.nextInt(11)) {
      case 0, 1, 2 -> plausible(field, random);
      case 3 -> INTERESTING.get(random.nextInt(INTERESTING.size()));
      case 4 -> null;
      case 5 -> text(random);
      case 6 -> random.nextInt(5_000) - 100;
      case 7 -> depth == 0 ? "x" : list(() -> anyValue(field, depth - 1, random), random);
      case 8 -> {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("k", depth == 0 ? 0 : anyValue(field, depth - 1, random));
        yield object;
      }
      case 9 -> HOSTILE_NUMBERS.get(random.nextInt(HOSTILE_NUMBERS.size()));
      default -> random.nextDouble() * 1e6;
    };
  }

  private static String pickList(String path) {
    return switch (path) {
      case "/v1/decode" -> "ids";
      case "/v1/encode", "/v1/fill-mask" -> "texts";
      case "/v1/fill-mask/targets" -> "targets";
      default -> "stop";
    };
  }

  private static String pickText(String path) {
    return switch (path) {
      case "/v1/generate", "/v1/generate/stream", "/v1/completions" -> "prompt";
      case "/v1/decode" -> "ids";
      default -> "text";
    };
  }

  private static List<Object> hugeList(SplittableRandom random) {
    int n = 10_000;
    List<Object> items = new ArrayList<>(n);
    boolean numbers = random.nextBoolean();
    for (int i = 0; i < n; i++) {
      items.add(numbers ? (Object) i : "s" + i);
    }
    return items;
  }

  private static byte[] hugeBody(String path) {
    String field = pickText(path).equals("ids") ? "text" : pickText(path);
    return ("{\"" + field + "\":\"" + "a".repeat(10 << 20) + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] invalidUtf8(byte[] valid, SplittableRandom random) {
    byte[][] bad = {
      {(byte) 0xFF},
      {(byte) 0xC3, 0x28},
      {(byte) 0xC0, (byte) 0xAF},
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
      {(byte) 0xE2, (byte) 0x82}
    };
    byte[] insert = bad[random.nextInt(bad.length)];
    // Inside a string value when there is one: after the first quote of the last value.
    int at = Math.max(0, lastIndexOf(valid, (byte) '"'));
    byte[] out = new byte[valid.length + insert.length];
    System.arraycopy(valid, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(valid, at, out, at + insert.length, valid.length - at);
    return out;
  }

  private static int lastIndexOf(byte[] bytes, byte b) {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static byte[] notAnObject(SplittableRandom random) {
    String[] shapes = {
      "null", "[]", "[{}]", "\"text\"", "123", "true", "{", "}", "{\"text\":}", "{,}"
    };
    return shapes[random.nextInt(shapes.length)].getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] randomBytes(SplittableRandom random) {
    byte[] bytes = new byte[random.nextInt(64)];
    random.nextBytes(bytes);
    if (bytes.length > 0 && random.nextBoolean()) {
      bytes[0] = '{';
    }
    return bytes;
  }

  private static List<Object> list(Supplier<Object> element, SplittableRandom random) {
    int n = random.nextInt(5);
    List<Object> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(element.get());
    }
    return list;
  }

  private static String text(SplittableRandom random) {
    StringBuilder text = new StringBuilder();
    int n = random.nextInt(8);
    for (int i = 0; i < n; i++) {
      text.append(PIECES[random.nextInt(PIECES.length)]);
    }
    return text.toString();
  }

  /** Just enough JSON writing for request bodies; lone surrogates are written as escapes. */
  static final class Json {
    private Json() {}

    static String write(Object value) {
      StringBuilder out = new StringBuilder();
      write(value, out);
      return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
      switch (value) {
        case null -> out.append("null");
        case Raw raw -> out.append(raw.json());
        case String s -> string(s, out);
        case Map<?, ?> map -> {
          out.append('{');
          boolean first = true;
          for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!first) {
              out.append(',');
            }
            first = false;
            string(String.valueOf(e.getKey()), out);
            out.append(':');
            write(e.getValue(), out);
          }
          out.append('}');
        }
        case List<?> list -> {
          out.append('[');
          for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
              out.append(',');
            }
            write(list.get(i), out);
          }
          out.append(']');
        }
        default -> out.append(value);
      }
    }

    private static void string(String s, StringBuilder out) {
      out.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '"' || c == '\\') {
          out.append('\\').append(c);
        } else if (c < 0x20 || Character.isSurrogate(c)) {
          out.append(String.format("\\u%04X", (int) c));
        } else {
          out.append(c);
        }
      }
      out.append('"');
    }
  }
}
