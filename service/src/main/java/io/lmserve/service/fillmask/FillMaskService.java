package io.lmserve.service.fillmask;

import io.lmserve.generation.InvalidRequestException;
import io.lmserve.generation.fillmask.FillMaskParams;
import io.lmserve.generation.fillmask.MaskPrediction;
import io.lmserve.service.config.LmserveProperties;
import io.lmserve.service.errors.ContextLengthExceededException;
import io.lmserve.service.errors.InvalidFieldException;
import io.lmserve.service.errors.LimitExceededException;
import io.lmserve.service.models.Inference;
import io.lmserve.service.models.ModelKind;
import io.lmserve.service.models.ModelRegistry;
import io.lmserve.service.models.ServedModel;
import io.lmserve.tokenizer.Encoding;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Fill-mask for the HTTP API: the checks a client can fail (400 naming {@code text} or {@code
 * texts[i]}, 413 over the limits, 422 over the context), then the pipeline per text. Synchronous
 * and CPU-bound; the controller runs it on the bounded workers.
 */
@Service
public class FillMaskService {

  static final int DEFAULT_TOP_K = 5;

  private final ModelRegistry registry;
  private final LmserveProperties properties;

  FillMaskService(ModelRegistry registry, LmserveProperties properties) {
    this.registry = registry;
    this.properties = properties;
  }

  /** Checks what can be checked without the model; cheap, run before any thread hop. */
  Inputs inputs(FillMaskRequest request) {
    if ((request.text() == null) == (request.texts() == null)) {
      throw new InvalidFieldException("text", "give exactly one of text and texts");
    }
    List<String> texts = request.text() != null ? List.of(request.text()) : request.texts();
    var limits = properties.fillMask();
    if (request.texts() != null && texts.size() > limits.maxTexts()) {
      throw new LimitExceededException("texts", texts.size(), limits.maxTexts(), "texts");
    }
    if (request.texts() != null && texts.isEmpty()) {
      throw new InvalidFieldException("texts", "must hold at least one text");
    }
    int maxChars = properties.limits().maxTextChars();
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i).length() > maxChars) {
        throw new LimitExceededException(
            field(request, i), texts.get(i).length(), maxChars, "characters");
      }
    }
    int topK = request.topK() != null ? request.topK() : DEFAULT_TOP_K;
    if (topK > limits.maxTopK()) {
      throw new LimitExceededException("top_k", topK, limits.maxTopK(), "candidates");
    }
    FillMaskParams params =
        new FillMaskParams(topK, request.targets() == null ? List.of() : request.targets());
    return new Inputs(request, texts, params);
  }

  /** What was checked up front. */
  record Inputs(FillMaskRequest request, List<String> texts, FillMaskParams params) {}

  /**
   * HF's shapes: for one text, its candidates (a list per mask when it has several masks); for
   * {@code texts}, a list of those.
   */
  Object fill(Inputs inputs) {
    FillMaskRequest request = inputs.request();
    ServedModel model = registry.require(request.model(), ModelKind.MASKED_LM);
    Inference.FillMasking fillMasking = model.fillMasking();
    int context = fillMasking.model().config().maxPositions();
    List<Object> results = new ArrayList<>();
    for (int i = 0; i < inputs.texts().size(); i++) {
      String field = field(request, i);
      Encoding encoding = model.tokenizer().encode(inputs.texts().get(i));
      if (encoding.length() > context) {
        throw new ContextLengthExceededException(
            model.name(), encoding.length(), context, field, "shorten it");
      }
      List<List<MaskPrediction>> predictions;
      try {
        predictions =
            fillMasking.fillMask().fill(encoding.ids(), encoding.typeIds(), inputs.params());
      } catch (InvalidRequestException e) {
        throw e.field().equals("inputs") ? new InvalidFieldException(field, reason(e)) : e;
      }
      List<List<Candidate>> masks =
          predictions.stream().map(row -> row.stream().map(Candidate::of).toList()).toList();
      results.add(masks.size() == 1 ? masks.getFirst() : masks);
    }
    return request.text() != null ? results.getFirst() : results;
  }

  private static String field(FillMaskRequest request, int i) {
    return request.text() != null ? "text" : "texts[" + i + "]";
  }

  private static String reason(InvalidRequestException e) {
    String prefix = e.field() + ": ";
    return e.getMessage().startsWith(prefix)
        ? e.getMessage().substring(prefix.length())
        : e.getMessage();
  }
}
