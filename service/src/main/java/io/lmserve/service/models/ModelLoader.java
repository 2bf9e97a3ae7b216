package io.lmserve.service.models;

import io.lmserve.generation.GenerationLimits;
import io.lmserve.generation.TextPrompts;
import io.lmserve.generation.fillmask.FillMask;
import io.lmserve.generation.fillmask.FillMaskParams;
import io.lmserve.generation.model.BatchModel;
import io.lmserve.generation.model.CausalLmModel;
import io.lmserve.generation.schedule.Scheduler;
import io.lmserve.generation.schedule.SchedulerOptions;
import io.lmserve.service.config.LmserveProperties;
import io.lmserve.tokenizer.EncodeOptions;
import io.lmserve.tokenizer.Encoding;
import io.lmserve.tokenizer.Tokenizer;
import io.lmserve.transformer.CausalLm;
import io.lmserve.transformer.LanguageModel;
import io.lmserve.transformer.MaskedLm;
import io.lmserve.transformer.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalInt;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;

/**
 * Reads one registry entry from disk (its tokenizer, for causal-lm and masked-lm entries also the
 * weights from the same HF folder) and warms it up with one encode and one forward pass, so a model
 * counts as ready only when it has run once. Blocking; the registry calls it on its loader thread.
 */
@Component
public class ModelLoader {

  private static final Log log = LogFactory.getLog(ModelLoader.class);
  private static final String WARM_UP_TEXT = "Warm-up: the quick brown fox, 1234 ünïcödé 🙂.";

  private final LmserveProperties properties;

  public ModelLoader(LmserveProperties properties) {
    this.properties = properties;
  }

  public ServedModel load(String name, LmserveProperties.Model entry) {
    Path path = properties.resolve(entry.path());
    long start = System.nanoTime();
    Tokenizer tokenizer = Tokenizer.load(path);
    warmUp(tokenizer);
    Inference inference =
        switch (entry.kind()) {
          case TOKENIZER -> new Inference.None();
          case CAUSAL_LM -> generation(tokenizer, open(name, path, CausalLm.class));
          case MASKED_LM -> fillMasking(tokenizer, open(name, path, MaskedLm.class));
        };
    OptionalInt context = contextLength(entry, path, tokenizer, inference);
    log.info(
        "Loaded model '%s' (%s) from %s in %d ms"
            .formatted(name, entry.kind(), path, (System.nanoTime() - start) / 1_000_000));
    return new ServedModel(
        name,
        entry.kind(),
        entry.description() == null ? "" : entry.description(),
        path,
        tokenizer,
        context,
        tokenizer.family().orElse("unknown"),
        inference);
  }

  /** The weights of an HF folder, refused when they are not the kind the entry says. */
  private static <T extends LanguageModel> T open(String name, Path path, Class<T> kind) {
    LanguageModel model;
    try {
      model = io.lmserve.transformer.ModelLoader.load(path);
    } catch (IOException e) {
      throw new UncheckedIOException("model '" + name + "': cannot read " + path, e);
    }
    if (!kind.isInstance(model)) {
      String type = model.config().modelType().hfName();
      model.close();
      throw new IllegalStateException(
          "model '" + name + "': " + path + " holds a " + type + " model, not a " + kind.getName());
    }
    return kind.cast(model);
  }

  private Inference.Generation generation(Tokenizer tokenizer, CausalLm model) {
    var config = properties.generation();
    GenerationLimits limits =
        new GenerationLimits(
            config.maxNewTokens(),
            config.maxStopSequences(),
            config.maxStopLength(),
            config.maxLogprobs(),
            properties.limits().maxTextChars());
    warmUp(model, tokenizer);
    Scheduler scheduler =
        new Scheduler(
            batchModel(model),
            new SchedulerOptions(
                config.maxBatchSize(),
                config.queueCapacity(),
                limits,
                config.prefillChunkTokens()));
    return new Inference.Generation(
        model, scheduler, new TextPrompts(tokenizer, limits, model.config().bosTokenId()));
  }

  /** What the scheduler runs: the engine's model (tests slow it down to watch a stream). */
  protected BatchModel batchModel(CausalLm model) {
    return new CausalLmModel(model);
  }

  /** One prefill and one decode step, so the first request does not pay for the JIT. */
  private static void warmUp(CausalLm model, Tokenizer tokenizer) {
    int vocab = model.config().vocabSize();
    int[] ids =
        Arrays.stream(tokenizer.encode(WARM_UP_TEXT).ids()).filter(id -> id < vocab).toArray();
    if (ids.length == 0) {
      ids = new int[] {0};
    }
    ids = Arrays.copyOf(ids, Math.min(ids.length, model.config().maxPositions() - 1));
    try (Session session = model.newSession(ids.length + 1)) {
      session.prefill(ids);
      session.decode(ids[0]);
    }
  }

  private static Inference.FillMasking fillMasking(Tokenizer tokenizer, MaskedLm model) {
    FillMask fillMask = new FillMask(tokenizer, model);
    fillMask.fill(fillMask.maskToken(), FillMaskParams.topK(1)); // warm-up forward
    return new Inference.FillMasking(model, fillMask);
  }

  /**
   * One encode and decode before the model counts as ready, so the first request does not pay for
   * class loading and lazy tables.
   */
  private static void warmUp(Tokenizer tokenizer) {
    Encoding encoding = tokenizer.encodePair(WARM_UP_TEXT, "and a pair", EncodeOptions.defaults());
    tokenizer.decode(encoding.ids(), true);
  }

  /**
   * Configured, else the weights' positions, else the folder's config.json, else the tokenizer's
   * model_max_length.
   */
  private static OptionalInt contextLength(
      LmserveProperties.Model entry, Path path, Tokenizer tokenizer, Inference inference) {
    if (entry.contextLength() != null) {
      return OptionalInt.of(entry.contextLength());
    }
    switch (inference) {
      case Inference.Generation g -> {
        return OptionalInt.of(g.model().config().maxPositions());
      }
      case Inference.FillMasking f -> {
        return OptionalInt.of(f.model().config().maxPositions());
      }
      case Inference.None none -> {}
    }
    OptionalInt fromFolder = ContextLengths.read(path);
    if (fromFolder.isPresent()) {
      return fromFolder;
    }
    int fromTokenizer = tokenizer.config().modelMaxLength();
    return fromTokenizer > 0 ? OptionalInt.of(fromTokenizer) : OptionalInt.empty();
  }
}
