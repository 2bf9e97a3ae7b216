package io.lmserve.service.models;

import io.lmserve.service.config.LmserveProperties;
import io.lmserve.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;

/**
 * Reads one registry entry from disk: its tokenizer and its context length. Blocking; the registry
 * calls it on its loader thread.
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
