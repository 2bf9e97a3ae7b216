package io.lmserve.generation.fillmask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lmserve.generation.InvalidRequestException;
import io.lmserve.testkit.SharedData;
import io.lmserve.tokenizer.Tokenizer;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MaskPredictorTest {

  private static Tokenizer bert;
  private static MaskPredictor predictor;

  @BeforeAll
  static void load() {
    bert =
        Tokenizer.load(SharedData.path("fixtures/tokenizers/hf/bert-base-uncased/tokenizer.json"));
    predictor = new MaskPredictor(bert, bert.tokenToId("[MASK]").orElseThrow(), OptionalInt.of(0));
  }

  private static int id(String token) {
    return bert.tokenToId(token).orElseThrow();
  }

  /** Logits of 0 everywhere but the given tokens at the given position. */
  private static float[][] logits(int length, int position, String[] tokens, float[] values) {
    float[][] logits = new float[length][bert.vocabSize()];
    for (int i = 0; i < tokens.length; i++) {
      logits[position][id(tokens[i])] = values[i];
    }
    return logits;
  }

  @Test
  void singleMaskGivesRankedCandidatesWithHfShapedFields() {
    int[] ids = bert.encode("Paris is the [MASK] of France.").ids();
    int mask = predictor.maskPositions(ids)[0];
    float[][] logits =
        logits(ids.length, mask, new String[] {"capital", "city", "center"}, new float[] {5, 4, 3});
    List<List<MaskPrediction>> result = predictor.predict(ids, logits, 3, new int[0]);
    assertEquals(1, result.size());
    double z = Math.exp(5) + Math.exp(4) + Math.exp(3) + (bert.vocabSize() - 3);
    List<MaskPrediction> row = result.get(0);
    assertEquals(
        new MaskPrediction(
            (float) (Math.exp(5) / z), id("capital"), "capital", "paris is the capital of france."),
        row.get(0));
    assertEquals(
        List.of("capital", "city", "center"), row.stream().map(MaskPrediction::tokenStr).toList());
    assertEquals(Math.exp(3) / z, row.get(2).score(), 1e-7);
  }

  @Test
  void targetsRestrictTheCandidatesAndCapTopK() {
    int[] ids = bert.encode("Paris is the [MASK] of France.").ids();
    int mask = predictor.maskPositions(ids)[0];
    float[][] logits =
        logits(ids.length, mask, new String[] {"capital", "city", "center"}, new float[] {5, 4, 3});
    int[] targets = predictor.targetIds(List.of("center", "city", "city", "playfulness"));
    // "playfulness" is not a vocabulary token: its first word piece stands for it
    assertEquals(
        List.of(id("center"), id("city"), id("playful")),
        java.util.Arrays.stream(targets).boxed().toList());
    List<MaskPrediction> row = predictor.predict(ids, logits, 10, targets).get(0);
    assertEquals(
        List.of("city", "center", "playful"), row.stream().map(MaskPrediction::tokenStr).toList());
    double z = Math.exp(5) + Math.exp(4) + Math.exp(3) + (bert.vocabSize() - 3);
    assertEquals(Math.exp(4) / z, row.get(0).score(), 1e-7, "scores are not renormalised");
  }

  @Test
  void aTargetPastTheModelsOutputsIsRefusedNamingTargets() {
    // A model whose output layer is smaller than its tokenizer (the tiny test BERT has 1000).
    int[] ids = bert.encode("Paris is the [MASK] of France.").ids();
    float[][] logits = new float[ids.length][1000];
    int[] targets = predictor.targetIds(List.of("city"));
    InvalidRequestException refused =
        assertThrows(
            InvalidRequestException.class, () -> predictor.predict(ids, logits, 5, targets));
    assertEquals("targets", refused.field());
  }

  @Test
  void severalMasksKeepSpecialTokensInTheirSequences() {
    int[] ids = bert.encode("Paris is the [MASK] of [MASK].").ids();
    int[] masks = predictor.maskPositions(ids);
    assertEquals(2, masks.length);
    float[][] logits = logits(ids.length, masks[0], new String[] {"capital"}, new float[] {9});
    logits[masks[1]][id("france")] = 9;
    List<List<MaskPrediction>> result = predictor.predict(ids, logits, 1, new int[0]);
    assertEquals("[CLS] paris is the capital of [MASK]. [SEP]", result.get(0).get(0).sequence());
    assertEquals("[CLS] paris is the [MASK] of france. [SEP]", result.get(1).get(0).sequence());
  }

  @Test
  void inputWithoutMaskOrUnmappableTargetsAreRejected() {
    assertEquals(
        "inputs",
        assertThrows(
                InvalidRequestException.class,
                () -> predictor.maskPositions(bert.encode("no mask here").ids()))
            .field());
    assertEquals(
        "top_k", assertThrows(InvalidRequestException.class, () -> FillMaskParams.topK(0)).field());
    assertEquals(
        "targets",
        assertThrows(
                InvalidRequestException.class,
                () -> FillMaskParams.DEFAULT.withTargets(List.of("")))
            .field());
  }
}
