package io.lmserve.service.models;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health contributor {@code models}: DOWN until every configured model has loaded, so the readiness
 * group keeps traffic away while the service warms up.
 */
@Component("models")
public class ModelsHealthIndicator implements HealthIndicator {

  private final ModelRegistry registry;

  public ModelsHealthIndicator(ModelRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Health health() {
    Map<String, Object> details = new LinkedHashMap<>();
    for (String name : registry.names()) {
      details.put(
          name,
          registry
              .failure(name)
              .map(reason -> (Object) Map.of("state", "failed", "error", reason))
              .orElse(registry.state(name).wireName()));
    }
    Health.Builder health = registry.allReady() ? Health.up() : Health.down();
    return health.withDetails(details).build();
  }
}
