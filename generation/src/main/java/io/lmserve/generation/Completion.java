package io.lmserve.generation;

import static io.lmserve.generation.InvalidRequestException.require;

import io.lmserve.generation.model.BatchModel;
import io.lmserve.generation.sampling.Sampler;
import io.lmserve.generation.sampling.TokenChoice;
import io.lmserve.generation.stop.StopMatcher;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One request's progress from prompt to finish, independent of who runs the model: turns each
 * step's logits into a token, its text and an event, and decides when to stop. Both the
 * single-sequence {@link Generator} and the batching scheduler drive it. Driven by one thread at a
 * time; {@link #cancel} and {@link #finish} may come from any thread and the first finish wins.
 */
public final class Completion {

  private final int[] prompt;
  private final GenerationParams params;
  private final Consumer<GenerationEvent> listener;
  private final LongSupplier nanoClock;
  private final long submittedNanos;
  private final long deadlineNanos;
  private final OptionalInt eos;
  private final Sampler sampler;
  private final StopMatcher stops;
  private final TextDecoder textDecoder;
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile String cancelledBy;
  private long firstTokenNanos = -1;
  private int generated;
  private int lastToken = -1;

  private Completion(
      int[] prompt,
      GenerationRequest request,
      BatchModel model,
      Consumer<GenerationEvent> listener,
      LongSupplier nanoClock) {
    this.prompt = prompt;
    this.params = request.params();
    this.listener = listener;
    this.nanoClock = nanoClock;
    this.submittedNanos = nanoClock.getAsLong();
    this.deadlineNanos = deadlineNanos(request.deadline(), submittedNanos);
    this.eos = params.stopAtEos() ? model.eosTokenId() : OptionalInt.empty();
    this.sampler = new Sampler(params.sampling(), model.vocabSize(), params.topLogprobs());
    this.sampler.prompt(prompt);
    this.stops = params.stop().isEmpty() ? null : new StopMatcher(params.stop());
    this.textDecoder = request.textDecoder();
  }

  /**
   * Checks the request against the model (token ids, context length; truncating the prompt's left
   * side if asked) and prepares its state; nothing runs yet.
   *
   * @throws InvalidRequestException naming the field when the request cannot run on this model
   */
  public static Completion of(
      GenerationRequest request,
      BatchModel model,
      Consumer<GenerationEvent> listener,
      LongSupplier nanoClock) {
    int[] prompt = request.promptIds();
    for (int id : prompt) {
      require(
          id >= 0 && id < model.vocabSize(),
          "prompt",
          "token id " + id + " is outside the vocabulary [0, " + model.vocabSize() + ")");
    }
    int maxNew = request.params().maxNewTokens();
    int context = model.contextLength();
    require(
        maxNew < context,
        "max_new_tokens",
        "must be less than the model's context length " + context + ", got " + maxNew);
    if (prompt.length + maxNew > context) {
      require(
          request.params().truncatePromptLeft(),
          "prompt",
          prompt.length
              + " prompt tokens + max_new_tokens "
              + maxNew
              + " exceed the model's context of "
              + context
              + " tokens (shorten the prompt, lower max_new_tokens or allow left truncation)");
      prompt = Arrays.copyOfRange(prompt, prompt.length - (context - maxNew), prompt.length);
    }
    return new Completion(prompt, request, model, listener, nanoClock);
  }

  /** The prompt the model runs (after any truncation). */
  public int[] prompt() {
    return prompt.clone();
  }

  /** Tokens the sequence's cache must hold: the prompt and every generated token but the last. */
  public int capacity() {
    return prompt.length + params.maxNewTokens() - 1;
  }

  /** The token to feed next: the one chosen by the last {@link #accept}. */
  public int lastToken() {
    return lastToken;
  }

  /**
   * Takes the logits for the next position: picks the token, emits its event and finishes when a
   * limit, EOS or stop sequence is reached.
   *
   * @return true when the sequence goes on (feed {@link #lastToken} next)
   */
  public boolean accept(float[] logits) {
    if (finished.get()) {
      return false;
    }
    TokenChoice choice = sampler.next(logits);
    if (firstTokenNanos < 0) {
      firstTokenNanos = nanoClock.getAsLong();
    }
    int index = generated++;
    lastToken = choice.id();
    boolean eosToken = eos.isPresent() && eos.getAsInt() == choice.id();
    boolean last = eosToken || generated == params.maxNewTokens();
    FinishReason reason = eosToken ? FinishReason.EOS : last ? FinishReason.LENGTH : null;
    String text = eosToken ? "" : textDecoder.next(choice.id());
    if (last) {
      text += textDecoder.flush();
    }
    if (stops != null) {
      StopMatcher.Step step = stops.push(text);
      text = step.released();
      if (step.stopped()) {
        reason = FinishReason.STOP;
      } else if (last) {
        text += stops.flush();
      }
    }
    emitToken(index, choice, text);
    if (reason != null) {
      finish(reason, "");
      return false;
    }
    return !finished.get();
  }

  /** The deadline on the nano clock; its distance from now is measured once on the wall clock. */
  private static long deadlineNanos(Instant deadline, long nowNanos) {
    if (deadline == null) {
      return Long.MAX_VALUE;
    }
    Duration remaining = Duration.between(Instant.now(), deadline);
    if (remaining.compareTo(Duration.ofDays(365)) > 0) {
      return Long.MAX_VALUE;
    }
    return nowNanos + remaining.toNanos();
  }

  /** Asks for cancellation; the driver ends the request before its next step. */
  public void cancel(String by) {
    cancelledBy = by;
  }

  /**
   * The reason this request must stop before its next step (cancelled or past its deadline), or
   * null to go on.
   */
  public String stopRequest() {
    if (cancelledBy != null) {
      return cancelledBy;
    }
    boolean expired = deadlineNanos != Long.MAX_VALUE && nanoClock.getAsLong() - deadlineNanos >= 0;
    return expired ? "deadline exceeded" : null;
  }

  public boolean isFinished() {
    return finished.get();
  }

  /**
   * Ends the request with its final event unless it already ended.
   *
   * @return true if this call ended it
   */
  public boolean finish(FinishReason reason, String message) {
    if (!finished.compareAndSet(false, true)) {
      return false;
    }
    long now = nanoClock.getAsLong();
    Duration ttft = firstTokenNanos < 0 ? null : Duration.ofNanos(firstTokenNanos - submittedNanos);
    double decodeSeconds = (now - firstTokenNanos) / 1e9;
    double tokensPerSecond =
        generated > 1 && decodeSeconds > 0 ? (generated - 1) / decodeSeconds : 0;
    Usage usage =
        new Usage(
            prompt.length,
            generated,
            ttft,
            Duration.ofNanos(now - submittedNanos),
            tokensPerSecond);
    deliver(new GenerationEvent.Finished(reason, usage, message == null ? "" : message));
    return true;
  }

  private void emitToken(int index, TokenChoice choice, String text) {
    try {
      listener.accept(new TokenEvent(index, choice.id(), text, choice.logprob(), choice.top()));
    } catch (RuntimeException e) {
      finish(FinishReason.ERROR, "the event listener failed: " + e);
    }
  }

  private void deliver(GenerationEvent.Finished event) {
    try {
      listener.accept(event);
    } catch (RuntimeException ignored) {
      // the request is over either way; a listener failing on its last event has nothing to stop
    }
  }
}
