package io.lmserve.generation.fillmask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.generation.InvalidRequestException;
import io.lmserve.generation.TinyModels;
import io.lmserve.generation.sampling.LogSoftmax;
import io.lmserve.testkit.SharedData;
import io.lmserve.tokenizer.Tokenizer;
import io.lmserve.transformer.MaskedLm;
import io.lmserve.transformer.ModelLoader;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Fill-mask on the real tiny BERT against the PyTorch golden logits. */
class FillMaskTinyTest {

  @Test
  void topKEqualsTheGoldenLogitsTopK() throws Exception {
    JsonNode golden = TinyModels.golden(TinyModels.bertTiny());
    // the pair case has [MASK] (103) at position 10
    JsonNode pair = TinyModels.named(golden.get("cases"), "pair_16_token_types");
    int[] ids = TinyModels.ints(pair.get("input_ids"));
    int[] types = TinyModels.ints(pair.get("token_type_ids"));
    assertEquals(103, ids[10]);
    Tokenizer bert =
        Tokenizer.load(SharedData.path("fixtures/tokenizers/hf/bert-base-uncased/tokenizer.json"));
    try (MaskedLm lm = (MaskedLm) ModelLoader.load(TinyModels.bertTiny())) {
      FillMask fillMask = new FillMask(bert, lm);
      List<List<MaskPrediction>> result = fillMask.fill(ids, types, FillMaskParams.topK(10));
      assertEquals(1, result.size());
      float[] logits = TinyModels.floatRow(pair.get("logits"), 10, 1000);
      double[] probs = LogSoftmax.probabilities(logits);
      int[] want =
          IntStream.range(0, 1000)
              .boxed()
              .sorted(Comparator.comparingDouble(i -> -probs[i]))
              .limit(10)
              .mapToInt(Integer::intValue)
              .toArray();
      List<MaskPrediction> row = result.get(0);
      assertEquals(
          Arrays.stream(want).boxed().toList(), row.stream().map(MaskPrediction::token).toList());
      for (int i = 0; i < 10; i++) {
        assertEquals(probs[want[i]], row.get(i).score(), 1e-5, "candidate " + i);
      }
      // targets: the 3rd and 7th best only, in that order
      List<MaskPrediction> targeted =
          fillMask
              .fill(
                  ids,
                  types,
                  FillMaskParams.topK(5)
                      .withTargets(List.of(bert.idToToken(want[6]), bert.idToToken(want[2]))))
              .get(0);
      assertEquals(
          List.of(want[2], want[6]), targeted.stream().map(MaskPrediction::token).toList());
      // a target the tokenizer knows but the tiny model's 1000 ids do not: refused, naming it
      InvalidRequestException outside =
          assertThrows(
              InvalidRequestException.class,
              () ->
                  fillMask.fill(
                      ids, types, FillMaskParams.topK(5).withTargets(List.of("!", "hello"))));
      assertEquals("targets", outside.field());
      assertTrue(outside.getMessage().contains("'hello'"), outside.getMessage());
    }
  }
}
