package io.lmserve.service.tokenize;

import io.lmserve.service.config.LmserveProperties;
import io.lmserve.service.errors.ContextLengthExceededException;
import io.lmserve.service.errors.InvalidFieldException;
import io.lmserve.service.errors.LimitExceededException;
import io.lmserve.service.models.ModelRegistry;
import io.lmserve.service.models.ServedModel;
import io.lmserve.tokenizer.EncodeOptions;
import io.lmserve.tokenizer.Encoding;
import io.lmserve.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import org.springframework.stereotype.Service;

/**
 * Tokenize, encode and decode: checks a request against the limits, runs the model's tokenizer
 * (through the encoding cache) and shapes the answer. Synchronous; {@link Offloader} decides the
 * thread.
 */
@Service
public class TokenizationService {

  private final ModelRegistry registry;
  private final EncodingCache cache;
  private final LmserveProperties.Limits limits;

  TokenizationService(ModelRegistry registry, EncodingCache cache, LmserveProperties properties) {
    this.registry = registry;
    this.cache = cache;
    this.limits = properties.limits();
  }

  public TokenizeResponse tokenize(TokenizeRequest request) {
    ServedModel model = registry.require(request.model());
    checkLength("text", request.text());
    EncodeOptions options =
        TokenizerCalls.options(
            orDefault(request.addSpecialTokens(), true),
            request.specialTokens(),
            Padding.NONE,
            null,
            null,
            Truncation.NONE,
            0);
    Encoding encoding =
        encode(model, options, new Inputs(true, List.of(request.text()), null)).getFirst();
    int[][] offsets = encoding.offsets(unit(request.offsets()), request.text(), null);
    for (int i = 0; i < offsets.length; i++) {
      if (encoding.sequenceIds()[i] < 0) {
        offsets[i] = new int[] {-1, -1}; // added by the post-processor: covers no text
      }
    }
    return new TokenizeResponse(
        model.name(), encoding.ids(), encoding.tokens(), offsets, encoding.length());
  }

  public EncodeResponse encode(EncodeRequest request) {
    ServedModel model = registry.require(request.model());
    Inputs inputs = Inputs.of(request);
    checkBatch(inputs.fieldName(), inputs.texts());
    if (inputs.pairs() != null) {
      checkBatch(inputs.pairFieldName(), inputs.pairs());
    }
    Padding padding = orDefault(request.padding(), Padding.NONE);
    Truncation truncation = request.truncation();
    if (truncation == null) {
      // HF: a max_length without max_length padding means "truncate to it".
      truncation =
          request.maxLength() != null && padding != Padding.MAX_LENGTH
              ? Truncation.LONGEST_FIRST
              : Truncation.NONE;
    }
    Integer maxLength = maxLength(request, model, padding, truncation);
    int stride = orDefault(request.stride(), 0);
    if (stride > 0 && truncation == Truncation.NONE) {
      throw new InvalidFieldException("stride", "needs truncation");
    }
    EncodeOptions options =
        TokenizerCalls.options(
            orDefault(request.addSpecialTokens(), true),
            request.specialTokens(),
            padding,
            maxLength,
            request.padToMultipleOf(),
            truncation,
            stride);
    checkPlannedTokens(inputs, padding, maxLength, stride);
    List<Encoding> encodings = encode(model, options, inputs);
    if (truncation == Truncation.NONE) {
      checkContext(model, encodings);
    }
    checkAnswerTokens(encodings);
    return EncodeShaper.shape(model.name(), request, inputs, encodings, unit(request.offsets()));
  }

  public DecodeResponse decode(DecodeRequest request) {
    ServedModel model = registry.require(request.model());
    boolean skip = orDefault(request.skipSpecialTokens(), false);
    Tokenizer tokenizer = model.tokenizer();
    if ((request.ids() == null) == (request.idsBatch() == null)) {
      throw new InvalidFieldException("ids", "give exactly one of ids and ids_batch");
    }
    if (request.ids() != null) {
      checkIds("ids", List.<int[]>of(request.ids()), tokenizer.vocabSize());
      return new DecodeResponse(model.name(), tokenizer.decode(request.ids(), skip), null);
    }
    int[][] batch = request.idsBatch();
    for (int i = 0; i < batch.length; i++) {
      if (batch[i] == null) {
        throw new InvalidFieldException("ids_batch[" + i + "]", "must be a list of ids, not null");
      }
    }
    List<int[]> rows = List.of(batch);
    checkIds("ids_batch", rows, tokenizer.vocabSize());
    List<String> texts = new ArrayList<>(rows.size());
    for (int[] row : rows) {
      texts.add(tokenizer.decode(row, skip));
    }
    return new DecodeResponse(model.name(), null, texts);
  }

  /** Characters a request carries: what decides whether it leaves the event loop. */
  public static long chars(EncodeRequest request) {
    return length(request.text())
        + length(request.textPair())
        + length(request.texts())
        + length(request.textPairs());
  }

  /** Ids a decode request carries: decoding is cheap, so they count like characters. */
  public static long ids(DecodeRequest request) {
    long n = request.ids() == null ? 0 : request.ids().length;
    for (int[] row : request.idsBatch() == null ? new int[0][] : request.idsBatch()) {
      n += row == null ? 0 : row.length;
    }
    return n;
  }

  private List<Encoding> encode(ServedModel model, EncodeOptions options, Inputs inputs) {
    EncodingCache.Key key =
        new EncodingCache.Key(model.name(), options, inputs.texts(), inputs.pairs());
    return cache.get(key, () -> TokenizerCalls.encode(model.tokenizer(), options, inputs));
  }

  private Integer maxLength(
      EncodeRequest request, ServedModel model, Padding padding, Truncation truncation) {
    Integer maxLength = request.maxLength();
    if (maxLength == null && (truncation != Truncation.NONE || padding == Padding.MAX_LENGTH)) {
      OptionalInt context = model.contextLength();
      if (context.isEmpty()) {
        throw new InvalidFieldException(
            "max_length",
            "is required with truncation or max_length padding: model '"
                + model.name()
                + "' has no context length");
      }
      maxLength = context.getAsInt();
    }
    if (maxLength != null && maxLength > limits.maxLength()) {
      throw new LimitExceededException("max_length", maxLength, limits.maxLength(), "tokens");
    }
    return maxLength;
  }

  /**
   * Refuses, before any work, what would multiply beyond {@code max-batch-tokens}: padding every
   * row to max_length, or windows overlapping by {@code stride}, whose count grows as
   * length/(max_length - stride). A text has at most as many tokens as UTF-8 bytes (plus a few
   * special tokens), which bounds the windows from above.
   */
  private void checkPlannedTokens(Inputs inputs, Padding padding, Integer maxLength, int stride) {
    long limit = limits.maxBatchTokens();
    if (padding == Padding.MAX_LENGTH && (long) inputs.texts().size() * maxLength > limit) {
      throw new LimitExceededException(
          "max_length", (long) inputs.texts().size() * maxLength, limit, "padded tokens");
    }
    if (stride > 0 && maxLength != null) {
      long bytes = 0;
      for (int i = 0; i < inputs.texts().size(); i++) {
        bytes += utf8Length(inputs.texts().get(i)) + utf8Length(inputs.pair(i)) + 4;
      }
      long windows = bytes / Math.max(1, maxLength - stride) + inputs.texts().size();
      if (windows * maxLength > limit) {
        throw new LimitExceededException("stride", windows * maxLength, limit, "window tokens");
      }
    }
  }

  private void checkAnswerTokens(List<Encoding> encodings) {
    long tokens = 0;
    for (Encoding encoding : encodings) {
      for (Encoding window : encoding.withAllWindows()) {
        tokens += window.length();
      }
    }
    if (tokens > limits.maxBatchTokens()) {
      throw new LimitExceededException("texts", tokens, limits.maxBatchTokens(), "tokens");
    }
  }

  private static long utf8Length(String text) {
    return text == null ? 0 : text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  private static void checkContext(ServedModel model, List<Encoding> encodings) {
    if (model.contextLength().isEmpty()) {
      return;
    }
    int context = model.contextLength().getAsInt();
    for (Encoding encoding : encodings) {
      int tokens = 0;
      for (int mask : encoding.attentionMask()) {
        tokens += mask;
      }
      if (tokens > context) {
        throw new ContextLengthExceededException(model.name(), tokens, context);
      }
    }
  }

  private void checkBatch(String field, List<String> texts) {
    if (texts.size() > limits.maxBatchSize()) {
      throw new LimitExceededException(field, texts.size(), limits.maxBatchSize(), "texts");
    }
    for (int i = 0; i < texts.size(); i++) {
      String name = texts.size() == 1 && !field.endsWith("s") ? field : field + "[" + i + "]";
      if (texts.get(i) == null) {
        throw new InvalidFieldException(name, "must be a string, not null");
      }
      checkLength(name, texts.get(i));
    }
  }

  private void checkLength(String field, String text) {
    if (text.length() > limits.maxTextChars()) {
      throw new LimitExceededException(field, text.length(), limits.maxTextChars(), "characters");
    }
  }

  private void checkIds(String field, List<int[]> rows, int vocabSize) {
    if (rows.size() > limits.maxBatchSize()) {
      throw new LimitExceededException(field, rows.size(), limits.maxBatchSize(), "sequences");
    }
    long total = 0;
    for (int r = 0; r < rows.size(); r++) {
      int[] row = rows.get(r);
      String rowName = field.equals("ids") ? "ids" : field + "[" + r + "]";
      if (row == null) {
        throw new InvalidFieldException(rowName, "must be an array of ids, not null");
      }
      total += row.length;
      if (total > limits.maxIds()) {
        throw new LimitExceededException(field, total, limits.maxIds(), "ids");
      }
      for (int i = 0; i < row.length; i++) {
        if (row[i] < 0 || row[i] >= vocabSize) {
          throw new InvalidFieldException(
              rowName + "[" + i + "]",
              "id " + row[i] + " is outside the vocabulary [0, " + vocabSize + ")");
        }
      }
    }
  }

  private static io.lmserve.tokenizer.OffsetUnit unit(OffsetsUnit requested) {
    return orDefault(requested, OffsetsUnit.CODEPOINT).unit;
  }

  private static <T> T orDefault(T value, T fallback) {
    return value != null ? value : fallback;
  }

  private static long length(String text) {
    return text == null ? 0 : text.length();
  }

  private static long length(List<String> texts) {
    long n = 0;
    for (String text : texts == null ? Collections.<String>emptyList() : texts) {
      n += length(text);
    }
    return n;
  }
}
