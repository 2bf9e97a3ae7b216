package io.lmserve.service.errors;

import java.util.Map;
import org.springframework.http.HttpStatus;

/** 500: the model failed while generating (a defect or a resource problem, not the request). */
public final class GenerationFailedException extends ApiException {

  public GenerationFailedException(String model, String message) {
    super(
        HttpStatus.INTERNAL_SERVER_ERROR,
        "Generation failed",
        "model '" + model + "' failed while generating: " + message,
        Map.of("model", model));
  }
}
