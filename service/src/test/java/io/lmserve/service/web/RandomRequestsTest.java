package io.lmserve.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmserve.service.ServiceTest;
import io.lmserve.service.TinyServedModels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * Requests nobody wrote by hand: every field of every endpoint (generation and fill-mask on the
 * tiny models included) gets random JSON (wrong types, huge and negative numbers, nulls, nested
 * values, text with lone surrogates, control characters and special-token spellings). Whatever
 * comes in, the answer is 200 or a 4xx problem document — never a 500. Seeded, so a failure
 * reproduces.
 */
class RandomRequestsTest extends ServiceTest {

  private static final Map<String, List<String>> FIELDS =
      Map.of(
          "/v1/tokenize",
          List.of("model", "text", "add_special_tokens", "special_tokens", "offsets"),
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
              "offsets"),
          "/v1/decode",
          List.of("model", "ids", "ids_batch", "skip_special_tokens"),
          "/v1/generate",
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
              "truncate_prompt",
              "ignore_eos"),
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
              "user"),
          "/v1/fill-mask",
          List.of("model", "text", "texts", "top_k", "targets"));

  private static final List<Object> INTERESTING =
      List.of(
          0,
          1,
          2,
          3,
          -1,
          4,
          50256,
          50257,
          30521,
          30522,
          Integer.MAX_VALUE,
          Long.MAX_VALUE,
          1.5,
          true,
          false,
          "",
          "gpt2",
          "bert-base-uncased",
          "longest",
          "max_length",
          "only_second",
          "only_first",
          "longest_first",
          "do_not_pad",
          "parse",
          "ignore",
          "reject",
          "utf8",
          "utf16",
          "codepoint");

  private final Random random = new Random(20261123);

  @Test
  void noRequestIsAServerError() {
    List<String> failures = new ArrayList<>();
    int ok = 0;
    List<String> paths = List.copyOf(FIELDS.keySet());
    for (int i = 0; i < 400; i++) {
      String path = paths.get(random.nextInt(paths.size()));
      Map<String, Object> body = plausibleBody(path);
      // Then up to two fields get anything at all.
      for (int wild = random.nextInt(3); wild > 0; wild--) {
        List<String> fields = FIELDS.get(path);
        String field = fields.get(random.nextInt(fields.size()));
        body.put(field, value(field, 2));
      }
      EntityExchangeResult<String> result =
          post(path, body).expectBody(String.class).returnResult();
      int status = result.getStatus().value();
      ok += status == 200 ? 1 : 0;
      boolean problem =
          MediaType.APPLICATION_PROBLEM_JSON.isCompatibleWith(
              result.getResponseHeaders().getContentType());
      if (status >= 500 || (status >= 400 && !problem) || status >= 300 && status < 400) {
        failures.add(status + " " + path + " " + body + " -> " + result.getResponseBody());
      }
    }
    assertThat(failures).isEmpty();
    // Enough requests are valid to reach the tokenizer and the models, not only the parser.
    assertThat(ok).as("requests answered 200").isGreaterThan(40);
  }

  /** A request of the right shape, with random options, that should mostly succeed. */
  private Map<String, Object> plausibleBody(String path) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", plausible("model"));
    switch (path) {
      case "/v1/generate", "/v1/completions" -> {
        body.put("model", TinyServedModels.GPT2);
        body.put("prompt", text());
      }
      case "/v1/fill-mask" -> {
        body.put("model", TinyServedModels.BERT);
        body.put("text", "! [MASK]" + (random.nextBoolean() ? " !" : text()));
      }
      case "/v1/decode" -> {
        String ids = random.nextBoolean() ? "ids" : "ids_batch";
        body.put(ids, plausible(ids));
      }
      case "/v1/encode" -> {
        if (random.nextBoolean()) {
          body.put("text", text());
          if (random.nextBoolean()) {
            body.put("text_pair", text());
          }
        } else {
          List<Object> texts = list(this::text);
          texts.add(text());
          body.put("texts", texts);
          if (random.nextBoolean()) {
            body.put("text_pairs", texts.stream().map(t -> (Object) text()).toList());
          }
        }
      }
      default -> body.put("text", text());
    }
    for (String field : FIELDS.get(path)) {
      if (!body.containsKey(field)
          && !field.startsWith("text")
          && !field.startsWith("ids")
          && !field.equals("prompt")
          && random.nextInt(3) == 0) {
        body.put(field, plausible(field));
      }
    }
    return body;
  }

  private Object value(String field, int depth) {
    int kind = random.nextInt(10);
    if (kind < 3) {
      return plausible(field);
    }
    return switch (kind) {
      case 3 -> INTERESTING.get(random.nextInt(INTERESTING.size()));
      case 4 -> null;
      case 5 -> text();
      case 6 -> random.nextInt(5_000) - 100;
      case 7 -> depth == 0 ? "x" : list(() -> value(field, depth - 1));
      case 8 -> {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("k", depth == 0 ? 0 : value(field, depth - 1));
        yield object;
      }
      default -> random.nextDouble() * 1e6;
    };
  }

  /** A value of the right type, so requests get past parsing and reach the tokenizer. */
  private Object plausible(String field) {
    return switch (field) {
      case "model" -> random.nextBoolean() ? "gpt2" : "bert-base-uncased";
      case "text", "text_pair" -> text();
      case "texts", "text_pairs" -> list(this::text);
      case "ids" -> list(() -> random.nextInt(30600) - 10);
      case "ids_batch" -> list(() -> list(() -> random.nextInt(30600) - 10));
      case "max_length", "pad_to_multiple_of" -> random.nextInt(20) + 1;
      case "stride" -> random.nextInt(4);
      case "padding", "truncation" -> INTERESTING.get(16 + random.nextInt(8));
      case "special_tokens", "offsets" -> INTERESTING.get(24 + random.nextInt(6));
      case "prompt" -> text();
      case "max_new_tokens", "max_tokens" -> random.nextInt(8) + 1;
      case "temperature" -> random.nextDouble() * 2;
      case "top_k" -> random.nextInt(50);
      case "top_p" -> 0.1 + 0.9 * random.nextDouble();
      case "min_p" -> random.nextDouble() / 2;
      case "repetition_penalty" -> 0.5 + 2 * random.nextDouble();
      case "presence_penalty", "frequency_penalty" -> 4 * random.nextDouble() - 2;
      case "stop", "targets" -> list(this::text);
      case "seed" -> random.nextInt();
      case "logprobs" -> random.nextInt(6);
      case "n" -> 1;
      case "stream_options" -> Map.of("include_usage", random.nextBoolean());
      case "user" -> "someone";
      default -> random.nextBoolean();
    };
  }

  private List<Object> list(java.util.function.Supplier<Object> element) {
    int n = random.nextInt(5);
    List<Object> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(element.get());
    }
    return list;
  }

  private String text() {
    String[] pieces = {
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
      "'s"
    };
    StringBuilder text = new StringBuilder();
    int n = random.nextInt(8);
    for (int i = 0; i < n; i++) {
      text.append(pieces[random.nextInt(pieces.length)]);
    }
    return text.toString();
  }
}
