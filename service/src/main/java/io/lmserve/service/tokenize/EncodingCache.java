package io.lmserve.service.tokenize;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.lmserve.service.config.LmserveProperties;
import io.lmserve.tokenizer.EncodeOptions;
import io.lmserve.tokenizer.Encoding;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Encodings already computed, keyed by (model, tokenizer options, texts), bounded by their
 * estimated size in bytes ({@code lmserve.cache.encodings-max-weight}). Metrics: {@code
 * cache.gets{cache="lmserve.encodings",result=hit|miss}}, {@code cache.evictions}, {@code
 * cache.size}, {@code lmserve.encodings.weight} (bytes, estimated).
 */
@Component
public class EncodingCache {

  /** {@code pairs} is null for single texts. */
  record Key(String model, EncodeOptions options, List<String> texts, List<String> pairs) {}

  private final Cache<Key, List<Encoding>> cache;

  EncodingCache(LmserveProperties properties, MeterRegistry meters) {
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(properties.cache().encodingsMaxWeight().toBytes())
            .weigher(EncodingCache::weigh)
            .recordStats()
            .build();
    CaffeineCacheMetrics.monitor(meters, cache, "lmserve.encodings");
    // What the bound is measured in: a heap that grows by this much has not leaked.
    Gauge.builder("lmserve.encodings.weight", cache, EncodingCache::weightedSize)
        .baseUnit("bytes")
        .description("estimated bytes the encoding cache holds (its eviction bound's unit)")
        .register(meters);
  }

  private static double weightedSize(Cache<?, ?> cache) {
    return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }

  List<Encoding> get(Key key, Supplier<List<Encoding>> encode) {
    return cache.get(key, k -> encode.get());
  }

  /**
   * Bytes an entry holds, estimated: the texts (2 bytes a char) and, per token, eight int arrays'
   * entries, an offsets pair with its array header, and the token string.
   */
  static int weigh(Key key, List<Encoding> encodings) {
    long bytes = 64 + chars(key.texts()) * 2L + chars(key.pairs()) * 2L;
    for (Encoding encoding : encodings) {
      for (Encoding window : encoding.withAllWindows()) {
        bytes += 64 + window.length() * (8L * 4 + 24 + 48);
        for (String token : window.tokens()) {
          bytes += token.length() * 2L;
        }
      }
    }
    return (int) Math.min(Integer.MAX_VALUE, bytes);
  }

  private static long chars(List<String> texts) {
    if (texts == null) {
      return 0;
    }
    long n = 0;
    for (String text : texts) {
      n += text.length();
    }
    return n;
  }
}
