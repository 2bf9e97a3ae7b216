package io.lmserve.service.errors;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** 404: the request names a model that is not in the configured registry. */
public final class UnknownModelException extends ApiException {

  public UnknownModelException(String model, Collection<String> served) {
    super(
        HttpStatus.NOT_FOUND,
        "Unknown model",
        "model '" + model + "' is not served here; served models: " + String.join(", ", served),
        Map.of("model", model, "served_models", List.copyOf(served)));
  }
}
