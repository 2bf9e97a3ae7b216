package io.lmserve.service.models;

import io.lmserve.service.config.LmserveProperties;
import io.lmserve.tokenizer.EncodeOptions;
import io.lmserve.tokenizer.Encoding;
import io.lmserve.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;

/**
 * Reads one registry entry from disk (its tokenizer and context length) and warms it up. Blocking;
 * the registry calls it on its loader thread.
 */
@Component
public class ModelLoader {

  private static final Log log = LogFactory.getLog(ModelLoader.class);

  private final LmserveProperties properties;

  public ModelLoader(LmserveProperties properties) {
    this.properties = properties;
  }

  public ServedModel load(String name, LmserveProperties.Model entry) {
    Path path = properties.resolve(entry.path());
    long start = System.nanoTime();
    Tokenizer tokenizer = Tokenizer.load(path);
    warmUp(tokenizer);
    OptionalInt context = contextLength(entry, path, tokenizer);
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
        tokenizer.family().orElse("unknown"));
  }

  /**
   * One encode and decode before the model counts as ready, so the first request does not pay for
   * class loading and lazy tables.
   */
  private static void warmUp(Tokenizer tokenizer) {
    Encoding encoding =
        tokenizer.encodePair(
            "Warm-up: the quick brown fox, 1234 ünïcödé 🙂.",
            "and a pair",
            EncodeOptions.defaults());
    tokenizer.decode(encoding.ids(), true);
  }

  /** Configured, else the model folder's config.json, else the tokenizer's model_max_length. */
  private static OptionalInt contextLength(
      LmserveProperties.Model entry, Path path, Tokenizer tokenizer) {
    if (entry.contextLength() != null) {
      return OptionalInt.of(entry.contextLength());
    }
    OptionalInt fromFolder = ContextLengths.read(path);
    if (fromFolder.isPresent()) {
      return fromFolder;
    }
    int fromTokenizer = tokenizer.config().modelMaxLength();
    return fromTokenizer > 0 ? OptionalInt.of(fromTokenizer) : OptionalInt.empty();
  }
}
