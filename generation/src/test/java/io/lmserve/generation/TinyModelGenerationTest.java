package io.lmserve.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.generation.model.CausalLmModel;
import io.lmserve.generation.sampling.LogSoftmax;
import io.lmserve.generation.sampling.SamplingParams;
import io.lmserve.generation.schedule.RequestHandle;
import io.lmserve.generation.schedule.Scheduler;
import io.lmserve.generation.schedule.SchedulerOptions;
import io.lmserve.generation.scoring.Scorer;
import io.lmserve.generation.scoring.TokenScores;
import io.lmserve.tokenizer.Tokenizer;
import io.lmserve.transformer.CausalLm;
import io.lmserve.transformer.ModelLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Generation on the real tiny GPT-2 against the PyTorch goldens. */
@Timeout(120)
class TinyModelGenerationTest {

  private static CausalLm lm;
  private static CausalLmModel model;
  private static JsonNode golden;

  /** The two golden greedy runs: prompt ids and their 20 new tokens. */
  private static final List<int[]> prompts = new ArrayList<>();

  private static final List<int[]> expected = new ArrayList<>();

  @BeforeAll
  static void load() throws Exception {
    Path folder = TinyModels.gpt2Tiny();
    lm = (CausalLm) ModelLoader.load(folder);
    model = new CausalLmModel(lm);
    golden = TinyModels.golden(folder);
    JsonNode single = TinyModels.named(golden.get("generation"), "greedy_b1_prompt8_new20");
    prompts.add(TinyModels.ints(single.get("prompt_ids")));
    expected.add(TinyModels.ints(single.get("new_tokens")));
    // the left-padded batch's second row is an unpadded 5-token prompt of its own
    JsonNode batch = TinyModels.named(golden.get("generation"), "greedy_b2_leftpad_new20");
    int[] ids = TinyModels.ints(batch.get("prompt_ids"));
    int[] mask = TinyModels.ints(batch.get("attention_mask"));
    int[] news = TinyModels.ints(batch.get("new_tokens"));
    prompts.add(
        realTokens(
            java.util.Arrays.copyOfRange(ids, 8, 16), java.util.Arrays.copyOfRange(mask, 8, 16)));
    expected.add(java.util.Arrays.copyOfRange(news, 20, 40));
  }

  private static int[] realTokens(int[] ids, int[] mask) {
    return java.util.stream.IntStream.range(0, ids.length)
        .filter(i -> mask[i] == 1)
        .map(i -> ids[i])
        .toArray();
  }

  @AfterAll
  static void close() {
    if (lm != null) {
      lm.close();
    }
  }

  private static GenerationParams greedy20() {
    return GenerationParams.greedy(20).withStopAtEos(false);
  }

  @Test
  void greedyAloneEqualsTheGoldenWithItsLogprobs() {
    for (int i = 0; i < prompts.size(); i++) {
      GenerationResult result =
          Generator.generate(model, GenerationRequest.ofIds(prompts.get(i), greedy20()));
      assertArrayEquals(expected.get(i), result.tokenIds(), "golden greedy " + i);
    }
    JsonNode single = TinyModels.named(golden.get("generation"), "greedy_b1_prompt8_new20");
    GenerationResult result =
        Generator.generate(model, GenerationRequest.ofIds(prompts.get(0), greedy20()));
    for (int step = 0; step < 20; step++) {
      float[] logits = TinyModels.floatRow(single.get("step_logits_kv_cache"), step, 1000);
      double want = logits[expected.get(0)[step]] - LogSoftmax.logSumExp(logits);
      assertEquals(want, result.tokens().get(step).logprob(), 1e-4, "step " + step);
    }
  }

  @Test
  void greedyThroughTheSchedulerEqualsTheGoldenAt1And4And16Concurrent() throws Exception {
    for (int concurrent : new int[] {1, 4, 16}) {
      // prompts of 8 and 5 tokens prefilled 3 at a time between steps
      try (Scheduler scheduler =
          new Scheduler(model, new SchedulerOptions(16, 64, GenerationLimits.DEFAULT, 3))) {
        List<GenerationResult.Collector> collectors = new ArrayList<>();
        for (int i = 0; i < concurrent; i++) {
          GenerationResult.Collector c = new GenerationResult.Collector();
          scheduler.submit(GenerationRequest.ofIds(prompts.get(i % 2), greedy20()), c);
          collectors.add(c);
        }
        for (int i = 0; i < concurrent; i++) {
          assertArrayEquals(
              expected.get(i % 2),
              collectors.get(i).result().get(60, TimeUnit.SECONDS).tokenIds(),
              concurrent + " concurrent, request " + i);
        }
        // the scheduler frees a finished sequence right after delivering its last event
        waitUntilIdle(scheduler);
      }
    }
  }

  private static void waitUntilIdle(Scheduler scheduler) throws InterruptedException {
    for (int i = 0; i < 2000 && scheduler.activeSequences() > 0; i++) {
      Thread.sleep(5);
    }
    assertEquals(0, scheduler.activeSequences());
    assertEquals(0, scheduler.cacheBytesInUse());
  }

  @Test
  void cancellingMidStreamFreesTheCache() throws Exception {
    try (Scheduler scheduler = new Scheduler(model, SchedulerOptions.DEFAULT)) {
      CompletableFuture<RequestHandle> handle = new CompletableFuture<>();
      GenerationResult.Collector collector = new GenerationResult.Collector();
      long[] bytesWhileRunning = {-1};
      handle.complete(
          scheduler.submit(
              GenerationRequest.ofIds(
                  prompts.get(0), GenerationParams.greedy(100).withStopAtEos(false)),
              event -> {
                if (event instanceof TokenEvent t && t.index() == 3) {
                  bytesWhileRunning[0] = scheduler.cacheBytesInUse();
                  handle.join().cancel();
                }
                collector.accept(event);
              }));
      GenerationResult result = collector.result().get(60, TimeUnit.SECONDS);
      assertEquals(FinishReason.CANCELLED, result.reason());
      // cancelled while handling token 3: at most the step in flight adds one more
      assertTrue(result.tokenIds().length <= 5, "tokens after cancel: " + result.tokenIds().length);
      // 2 layers x 64 wide x K and V x 4 bytes x (8 prompt + 99) tokens of capacity
      assertEquals(2L * 2 * 64 * 4 * (8 + 99), bytesWhileRunning[0]);
      waitUntilIdle(scheduler);
    }
  }

  @Test
  void textPathWithATokenizerThatFitsTheModel(@TempDir Path dir) throws Exception {
    Tokenizer tokenizer = TinyModels.gpt2TinyTokenizer(dir);
    TextPrompts prompts = new TextPrompts(tokenizer, GenerationLimits.DEFAULT, OptionalInt.of(999));
    GenerationParams params =
        GenerationParams.DEFAULT
            .withMaxNewTokens(30)
            .withSampling(SamplingParams.DEFAULT.withTopK(40).withSeed(11L));
    GenerationResult a =
        Generator.generate(model, prompts.request("The quick brown fox", params, null));
    GenerationResult b;
    try (Scheduler scheduler = new Scheduler(model, SchedulerOptions.DEFAULT)) {
      GenerationResult.Collector c = new GenerationResult.Collector();
      scheduler.submit(prompts.request("The quick brown fox", params, null), c);
      b = c.result().get(60, TimeUnit.SECONDS);
    }
    assertArrayEquals(a.tokenIds(), b.tokenIds(), "same seed, same tokens");
    assertEquals(a.text(), b.text());
    // the streamed pieces add up to exactly the decoded whole (the EOS token has no text)
    assertEquals(tokenizer.decode(a.tokenIds(), true), a.text());
  }

  @Test
  void scoringMatchesTheGoldenLogits() throws Exception {
    JsonNode single = TinyModels.named(golden.get("cases"), "single_16");
    int[] ids = TinyModels.ints(single.get("input_ids"));
    TokenScores scores =
        new Scorer(TinyModels.gpt2TinyTokenizer(java.nio.file.Files.createTempDirectory("tok")), lm)
            .score(ids);
    double sum = 0;
    for (int i = 1; i < ids.length; i++) {
      float[] logits = TinyModels.floatRow(single.get("logits"), i - 1, 1000);
      double want = logits[ids[i]] - LogSoftmax.logSumExp(logits);
      assertEquals(want, scores.logprobs()[i], 1e-4, "position " + i);
      sum += want;
    }
    assertEquals(
        Math.exp(-sum / (ids.length - 1)), scores.perplexity(), 1e-3 * scores.perplexity());
  }
}
