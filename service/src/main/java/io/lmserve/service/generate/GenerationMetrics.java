package io.lmserve.service.generate;

import io.lmserve.generation.GenerationEvent;
import io.lmserve.generation.TokenEvent;
import io.lmserve.generation.schedule.Scheduler;
import io.lmserve.service.models.Inference;
import io.lmserve.service.models.ModelKind;
import io.lmserve.service.models.ModelRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.springframework.stereotype.Component;

/**
 * The generation meters, Prometheus names: gauges {@code lmserve_generation_queue_depth}, {@code
 * lmserve_generation_active_sequences}, {@code lmserve_generation_kv_cache_bytes} per causal model;
 * histograms {@code lmserve_generation_time_to_first_token_seconds} and {@code
 * lmserve_generation_inter_token_latency_seconds}; counters {@code
 * lmserve_generation_tokens_total{model}} and {@code
 * lmserve_generation_requests_total{model,finish_reason}}. Timings are taken where the scheduler
 * emits the events, so a slow client does not count as slow generation.
 */
@Component
public class GenerationMetrics {

  private final MeterRegistry meters;

  public GenerationMetrics(MeterRegistry meters, ModelRegistry registry) {
    this.meters = meters;
    for (String name : registry.names()) {
      if (registry.entry(name).kind() == ModelKind.CAUSAL_LM) {
        gauge("lmserve.generation.queue.depth", registry, name, Scheduler::queued);
        gauge("lmserve.generation.active.sequences", registry, name, Scheduler::activeSequences);
        gauge("lmserve.generation.kv.cache.bytes", registry, name, Scheduler::cacheBytesInUse);
      }
    }
  }

  /** A gauge of a model's scheduler; 0 while the model is not loaded. */
  private void gauge(
      String metric, ModelRegistry registry, String model, ToDoubleFunction<Scheduler> value) {
    Gauge.builder(
            metric,
            registry,
            r ->
                r.ifLoaded(model)
                    .map(m -> m.inference() instanceof Inference.Generation g ? g : null)
                    .map(g -> value.applyAsDouble(g.scheduler()))
                    .orElse(0.0))
        .tag("model", model)
        .strongReference(true)
        .register(meters);
  }

  /** A listener recording one request's events of {@code model}; called on its events in order. */
  public Consumer<GenerationEvent> recorder(String model) {
    Counter tokens =
        Counter.builder("lmserve.generation.tokens").tag("model", model).register(meters);
    Timer interToken =
        Timer.builder("lmserve.generation.inter.token.latency")
            .tag("model", model)
            .publishPercentileHistogram()
            .register(meters);
    return new Consumer<>() {
      private long lastTokenNanos = -1;

      @Override
      public void accept(GenerationEvent event) {
        switch (event) {
          case TokenEvent token -> {
            long now = System.nanoTime();
            tokens.increment();
            if (lastTokenNanos >= 0) {
              interToken.record(Duration.ofNanos(now - lastTokenNanos));
            }
            lastTokenNanos = now;
          }
          case GenerationEvent.Finished finished -> {
            Duration ttft = finished.usage().timeToFirstToken();
            if (ttft != null) {
              Timer.builder("lmserve.generation.time.to.first.token")
                  .tag("model", model)
                  .publishPercentileHistogram()
                  .register(meters)
                  .record(ttft);
            }
            Counter.builder("lmserve.generation.requests")
                .tag("model", model)
                .tag("finish_reason", finished.reason().wireName())
                .register(meters)
                .increment();
          }
        }
      }
    };
  }
}
