package io.lmserve.service.generate;

import io.lmserve.generation.schedule.RequestHandle;
import io.lmserve.service.config.LmserveProperties;
import io.lmserve.service.errors.RetryLaterException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Which generations are admitted, and the graceful end of them at shutdown: stopping admits no new
 * generation (503 with Retry-After; readiness is already down), gives every admitted one, those
 * still waiting in the scheduler's queue as well as those decoding, {@code
 * lmserve.generation.shutdown-grace} to finish (as TGI and vLLM drain what they accepted: a request
 * that was accepted is not refused later), then cancels only what is left, with a message that
 * names the shutdown, so their streams end with {@code finish_reason: cancelled} before the web
 * server's own graceful shutdown closes the connections.
 */
@Component
public class GenerationAdmission implements SmartLifecycle {

  private static final Log log = LogFactory.getLog(GenerationAdmission.class);

  private final Duration grace;
  private final Duration retryAfter;
  private final Set<Ticket> running = ConcurrentHashMap.newKeySet();
  private volatile boolean admitting;

  public GenerationAdmission(LmserveProperties properties) {
    this.grace = properties.generation().shutdownGrace();
    this.retryAfter = properties.limits().retryAfter();
  }

  /** One admitted generation; {@link #release} it when it has finished. */
  public final class Ticket {
    private volatile RequestHandle handle;

    /** The scheduler's handle, once submitted: what shutdown cancels. */
    public void submitted(RequestHandle value) {
      handle = value;
    }

    public void release() {
      running.remove(this);
    }

    void cancel(String reason) {
      RequestHandle h = handle;
      if (h != null) {
        h.cancel(reason);
      }
    }
  }

  /** Admits a generation, or 503 while shutting down. */
  public Ticket admit() {
    if (!admitting) {
      throw RetryLaterException.shuttingDown(retryAfter);
    }
    Ticket ticket = new Ticket();
    running.add(ticket);
    // checked again after joining: stop() either sees this ticket or refuses it here
    if (!admitting) {
      running.remove(ticket);
      throw RetryLaterException.shuttingDown(retryAfter);
    }
    return ticket;
  }

  /** Generations admitted and not finished. */
  public int running() {
    return running.size();
  }

  @Override
  public void start() {
    admitting = true;
  }

  @Override
  public void stop() {
    admitting = false;
    long deadline = System.nanoTime() + grace.toNanos();
    while (!running.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (!running.isEmpty()) {
      log.info(
          "Shutdown grace of %s over: cancelling %d running generations"
              .formatted(grace, running.size()));
      String reason =
          "the server is shutting down and its grace of %s ran out before this generation finished"
              .formatted(grace);
      running.forEach(ticket -> ticket.cancel(reason));
    }
  }

  @Override
  public boolean isRunning() {
    return admitting;
  }

  /** Stops before the web server's graceful shutdown, which then finds the streams ended. */
  @Override
  public int getPhase() {
    return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 1;
  }
}
