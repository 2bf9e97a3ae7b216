package io.lmserve.transformer.bert;

import static io.lmserve.transformer.Golden.floats;
import static io.lmserve.transformer.Golden.ints2d;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.transformer.Golden;
import io.lmserve.transformer.MaskedLm;
import io.lmserve.transformer.nn.Kernels;
import io.lmserve.transformer.safetensors.Checkpoint;
import io.lmserve.transformer.safetensors.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** BERT against the PyTorch reference's goldens: every case, every dtype, every naming variant. */
class BertGoldenTest {

  static Stream<Arguments> modelsAndKernels() {
    return Golden.withBothKernels(
        Stream.of(
            Arguments.of("tiny/bert-tiny", "tiny/bert-tiny"),
            Arguments.of("tiny/bert-tiny-f16", "tiny/bert-tiny-f16"),
            Arguments.of("tiny/bert-tiny-bf16", "tiny/bert-tiny-bf16"),
            Arguments.of("variants/bert-tiny-legacy", "tiny/bert-tiny"),
            Arguments.of("variants/bert-tiny-noprefix-decbias", "tiny/bert-tiny")));
  }

  static MaskedLm load(String dir, Kernels kernels) throws Exception {
    return Golden.load(dir, kernels, MaskedLm.class);
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("modelsAndKernels")
  void everyCaseMatchesLogitsAndHiddenStates(String dir, String goldenDir, Kernels kernels)
      throws Exception {
    Golden golden = Golden.of(goldenDir);
    Golden.Diff logitsDiff = new Golden.Diff();
    Golden.Diff hiddenDiff = new Golden.Diff();
    try (MaskedLm model = load(dir, kernels)) {
      for (JsonNode c : golden.cases()) {
        String name = c.get("name").stringValue();
        int[][] ids = ints2d(c.get("input_ids"));
        int[][] mask = ints2d(c.get("attention_mask"));
        int[][] types = ints2d(c.get("token_type_ids"));
        int[][] valid = ints2d(c.get("valid_mask"));
        Golden.compare(
            model.mlmLogits(ids, types, mask), floats(c.get("logits")), valid, name, logitsDiff);
        float[][][][] hs = model.allHiddenStates(ids, types, mask);
        Golden.compareHiddenStates(hs, c, valid, name, hiddenDiff);
        float[][][] last = model.hiddenStates(ids, types, mask);
        assertArrayEquals(hs[hs.length - 1][0][0], last[0][0], 0f, "hiddenStates = last layer");
      }
    }
    System.out.printf("%s %s: logits %s; hidden %s%n", dir, kernels, logitsDiff, hiddenDiff);
    assertEquals(0, logitsDiff.mismatches, dir + " logits: " + logitsDiff);
    assertEquals(0, hiddenDiff.mismatches, dir + " hidden states: " + hiddenDiff);
  }

  @Test
  void paddedBatchRowsEqualTheirUnpaddedSequences() throws Exception {
    try (MaskedLm model = load("tiny/bert-tiny", Kernels.preferred())) {
      int[][] ids = {{101, 7, 103, 9, 102}, {101, 55, 102, 0, 0}};
      int[][] mask = {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}};
      float[][][] batch = model.mlmLogits(ids, null, mask);
      float[][][] alone = model.mlmLogits(new int[][] {{101, 55, 102}}, null, null);
      for (int t = 0; t < 3; t++) {
        assertArrayEquals(alone[0][t], batch[1][t], 1e-5f, "position " + t);
      }
    }
  }

  @Test
  void poolerIsTanhOfDenseOverTheFirstToken() throws Exception {
    String dir = "variants/bert-tiny-legacy";
    int[][] ids = {{101, 7, 103, 9, 102}};
    try (MaskedLm model = load(dir, Kernels.preferred());
        Checkpoint checkpoint = Checkpoint.open(Golden.modelDir(dir))) {
      float[] cls = model.hiddenStates(ids, null, null)[0][0];
      float[] pooled = model.pooledOutput(ids, null, null).orElseThrow()[0];
      Tensor w = checkpoint.find("bert.pooler.dense.weight").orElseThrow();
      Tensor b = checkpoint.find("bert.pooler.dense.bias").orElseThrow();
      for (int o = 0; o < cls.length; o++) {
        double sum = b.getFloat(o);
        for (int i = 0; i < cls.length; i++) {
          sum += (double) w.getFloat((long) o * cls.length + i) * cls[i];
        }
        assertEquals(Math.tanh(sum), pooled[o], 1e-5, "pooled " + o);
      }
    }
    try (MaskedLm noPooler = load("tiny/bert-tiny", Kernels.preferred())) {
      assertTrue(noPooler.pooledOutput(ids, null, null).isEmpty());
    }
  }

  @Test
  void badInputsAreNamed() throws Exception {
    try (MaskedLm model = load("tiny/bert-tiny", Kernels.preferred())) {
      assertTrue(
          assertThrows(
                  IllegalArgumentException.class,
                  () -> model.mlmLogits(new int[][] {{1, 1000}}, null, null))
              .getMessage()
              .contains("token id 1000"));
      assertTrue(
          assertThrows(
                  IllegalArgumentException.class,
                  () -> model.mlmLogits(new int[][] {{1, 2}}, new int[][] {{0, 2}}, null))
              .getMessage()
              .contains("token type id 2"));
      assertTrue(
          assertThrows(
                  IllegalArgumentException.class,
                  () -> model.mlmLogits(new int[][] {{1, 2}, {3}}, null, null))
              .getMessage()
              .contains("pad the batch"));
      assertTrue(
          assertThrows(
                  IllegalArgumentException.class,
                  () -> model.mlmLogits(new int[][] {new int[129]}, null, null))
              .getMessage()
              .contains("at most 128"));
      assertTrue(
          assertThrows(
                  IllegalArgumentException.class,
                  () -> model.mlmLogits(new int[][] {{1, 2}}, null, new int[][] {{1, 2}}))
              .getMessage()
              .contains("not 0 or 1"));
    }
  }
}
