package io.lmserve.service.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lmserve.service.config.LmserveProperties;
import io.lmserve.service.errors.RetryLaterException;
import io.lmserve.service.errors.UnknownModelException;
import io.lmserve.testkit.SharedData;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** The registry without Spring: entries of each form, a broken file, a configuration typo. */
class ModelRegistryTest {

  @TempDir Path root;

  private LmserveProperties properties(
      String defaultModel, Map<String, LmserveProperties.Model> m) {
    return new LmserveProperties(
        root,
        defaultModel,
        null,
        null,
        m,
        new LmserveProperties.Limits(100, 10, 100, 100, 100, Duration.ofSeconds(7)),
        new LmserveProperties.Caches(DataSize.ofMegabytes(1), 4),
        new LmserveProperties.Tokenization(100, 1, 1),
        LmserveProperties.Generation.DEFAULTS,
        LmserveProperties.FillMask.DEFAULTS);
  }

  private static LmserveProperties.Model entry(Path path) {
    return new LmserveProperties.Model(path, ModelKind.TOKENIZER, null, null);
  }

  private static ModelRegistry start(LmserveProperties properties) {
    return new ModelRegistry(properties, new ModelLoader(properties), new SimpleMeterRegistry());
  }

  private static void awaitSettled(ModelRegistry registry) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (registry.names().stream().anyMatch(n -> registry.state(n) == ModelState.LOADING)) {
      assertThat(Instant.now()).as("models settled within 60 s").isBefore(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void servesATokenizerJsonFileAndAFolderAndReportsABrokenOne() throws Exception {
    Path broken = Files.writeString(root.resolve("tokenizer.json"), "{\"model\": 42");
    Map<String, LmserveProperties.Model> models = new LinkedHashMap<>();
    models.put("gpt2", entry(SharedData.path("fixtures/tokenizers/hf/gpt2/tokenizer.json")));
    models.put("bert", entry(SharedData.path("fixtures/tokenizers/hf/bert-base-uncased")));
    models.put("broken", entry(Path.of("tokenizer.json")));
    ModelRegistry registry = start(properties("bert", models));
    try {
      awaitSettled(registry);

      assertThat(registry.require("gpt2").tokenizer().vocabSize()).isEqualTo(50257);
      assertThat(registry.require("gpt2").contextLength()).hasValue(1024);
      ServedModel bert = registry.require(null);
      assertThat(bert.name()).isEqualTo("bert");
      assertThat(bert.family()).isEqualTo("wordpiece");
      assertThat(bert.contextLength()).hasValue(512);

      assertThat(registry.state("broken")).isEqualTo(ModelState.FAILED);
      assertThat(registry.allReady()).isFalse();
      assertThatThrownBy(() -> registry.require("broken"))
          .isInstanceOf(RetryLaterException.class)
          .satisfies(
              e -> {
                RetryLaterException failed = (RetryLaterException) e;
                assertThat(failed.getStatusCode().value()).isEqualTo(503);
                assertThat(failed.getHeaders().getFirst("Retry-After")).isEqualTo("7");
                assertThat(failed.getMessage()).contains("'broken' could not be loaded");
              });
      assertThatThrownBy(() -> registry.require(broken.toString()))
          .isInstanceOf(UnknownModelException.class);
    } finally {
      registry.destroy();
    }
  }

  @Test
  void aMissingPathStopsTheStartWithTheEntryNamed() {
    LmserveProperties properties =
        properties(null, Map.of("gpt", entry(Path.of("no/such/folder"))));
    assertThatThrownBy(() -> start(properties))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("lmserve.models.gpt.path")
        .hasMessageContaining("does not exist");
  }

  @Test
  void aDefaultModelOutsideTheRegistryStopsTheStart() throws IOException {
    Files.createDirectories(root.resolve("m"));
    LmserveProperties properties = properties("other", Map.of("m", entry(Path.of("m"))));
    assertThatThrownBy(() -> start(properties))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("lmserve.default-model 'other'");
  }
}
