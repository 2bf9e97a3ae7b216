package io.lmserve.service.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LmserveProperties.class)
public class ServiceConfiguration {

  /**
   * Where large tokenization requests run, so Netty's event loop never does long CPU work. Bounded
   * in threads and queue: a full queue rejects the request (429) instead of piling up memory.
   */
  @Bean(destroyMethod = "dispose")
  Scheduler tokenizationScheduler(LmserveProperties properties) {
    LmserveProperties.Tokenization t = properties.tokenization();
    return Schedulers.newBoundedElastic(t.workers(), t.queueCapacity(), "tokenize");
  }
}
