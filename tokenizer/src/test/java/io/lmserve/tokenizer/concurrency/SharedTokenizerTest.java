package io.lmserve.tokenizer.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lmserve.testkit.SharedData;
import io.lmserve.tokenizer.EncodeOptions;
import io.lmserve.tokenizer.Encoding;
import io.lmserve.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One tokenizer shared by many threads gives every thread exactly the encodings (ids, tokens,
 * offsets, type ids, masks) and decodings a single thread gets: no shared mutable state, no cache
 * that mixes up callers. Threads start together and take the texts in different orders, so they
 * overlap on the same texts and on different ones.
 */
class SharedTokenizerTest {

  private static final int THREADS = 8;
  private static final int ROUNDS = 3;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "hf/gpt2/tokenizer.json",
        "hf/bert-base-uncased/tokenizer.json",
        "spm/unigram8k.model",
        "spm/bpe8k_llama.model",
        "hf/spm-unigram8k/tokenizer.json"
      })
  void manyThreadsEncodeLikeOne(String file) throws Exception {
    Tokenizer tokenizer = Tokenizer.load(SharedData.path("fixtures/tokenizers/" + file));
    List<String> texts = texts();
    EncodeOptions options = tokenizer.defaultOptions();
    List<String> expected = new ArrayList<>();
    for (String text : texts) {
      expected.add(describe(tokenizer, text, options));
    }
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<List<String>>> mismatches = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        mismatches.add(
            pool.submit(
                () -> {
                  List<Integer> order = new ArrayList<>();
                  for (int i = 0; i < texts.size(); i++) {
                    order.add(i);
                  }
                  Collections.shuffle(order, new Random(thread));
                  start.await();
                  List<String> wrong = new ArrayList<>();
                  for (int round = 0; round < ROUNDS; round++) {
                    for (int i : order) {
                      if (!describe(tokenizer, texts.get(i), options).equals(expected.get(i))) {
                        wrong.add("thread " + thread + " text " + i);
                      }
                    }
                  }
                  return wrong;
                }));
      }
      start.countDown();
      List<String> wrong = new ArrayList<>();
      for (Future<List<String>> f : mismatches) {
        wrong.addAll(f.get());
      }
      assertEquals(List.of(), wrong, file + ": encodings that differ from one thread's");
    } finally {
      pool.shutdownNow();
    }
  }

  /** Everything an encoding and its decoding hold, as one comparable string. */
  private static String describe(Tokenizer tokenizer, String text, EncodeOptions options) {
    Encoding e = tokenizer.encode(text, options);
    return Arrays.toString(e.ids())
        + Arrays.toString(e.tokens())
        + Arrays.deepToString(e.offsets())
        + Arrays.toString(e.typeIds())
        + Arrays.toString(e.specialTokensMask())
        + "|"
        + tokenizer.decode(e.ids(), false)
        + "|"
        + tokenizer.decode(e.ids(), true);
  }

  /** The hand-made edge cases plus a slice of the multilingual corpus. */
  private static List<String> texts() throws IOException {
    List<String> texts =
        new ArrayList<>(
            Files.readAllLines(
                SharedData.path("fixtures/tokenizers/corpus/edge.txt"), StandardCharsets.UTF_8));
    List<String> corpus =
        Files.readAllLines(
            SharedData.path("fixtures/tokenizers/corpus/spm_heldout.txt"), StandardCharsets.UTF_8);
    texts.addAll(corpus.subList(0, Math.min(300, corpus.size())));
    return texts;
  }
}
