package io.lmserve.service.generate;

import io.lmserve.generation.GenerationEvent;
import io.lmserve.generation.GenerationParams;
import io.lmserve.generation.GenerationRequest;
import io.lmserve.generation.InvalidRequestException;
import io.lmserve.service.config.LmserveProperties;
import io.lmserve.service.errors.ContextLengthExceededException;
import io.lmserve.service.errors.LimitExceededException;
import io.lmserve.service.models.Inference;
import io.lmserve.service.models.ModelKind;
import io.lmserve.service.models.ModelRegistry;
import io.lmserve.service.models.ServedModel;
import io.lmserve.service.tokenize.Offloader;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Starts generations for every endpoint: finds the causal model (404, 503, 400 for a model of
 * another kind), checks the request against the limits (413) and the context (422), tokenizes the
 * prompt (off the event loop when large) and submits it to the model's scheduler (429 when its
 * queue is full). The tokens are then produced on the scheduler's thread, never on Netty's.
 */
@Service
public class GenerationService {

  private final ModelRegistry registry;
  private final Offloader offloader;
  private final GenerationMetrics metrics;
  private final GenerationAdmission admission;
  private final LmserveProperties properties;

  GenerationService(
      ModelRegistry registry,
      Offloader offloader,
      GenerationMetrics metrics,
      GenerationAdmission admission,
      LmserveProperties properties) {
    this.registry = registry;
    this.offloader = offloader;
    this.metrics = metrics;
    this.admission = admission;
    this.properties = properties;
  }

  /** The running generation; its events flow once subscribed. */
  public Mono<RunningGeneration> start(GenerationCall call) {
    return offloader.run(call.prompt().length(), () -> submit(call));
  }

  private RunningGeneration submit(GenerationCall call) {
    ServedModel model = registry.require(call.model(), ModelKind.CAUSAL_LM);
    Inference.Generation generation = model.generation();
    checkLimits(call);
    GenerationParams params = call.params();
    Instant deadline = Instant.now().plus(properties.generation().timeout());
    GenerationRequest request =
        WireChecks.checked(
            call.wireNames(), () -> generation.prompts().request(call.prompt(), params, deadline));
    int context = generation.model().config().maxPositions();
    int needed = request.promptIds().length + params.maxNewTokens();
    if (needed > context && !params.truncatePromptLeft()) {
      String maxNew = call.wireName("max_new_tokens");
      throw new ContextLengthExceededException(
          model.name(),
          needed,
          context,
          "the prompt (" + request.promptIds().length + " tokens) plus " + maxNew,
          "shorten the prompt, lower " + maxNew + " or set truncate_prompt");
    }
    GenerationAdmission.Ticket ticket = admission.admit();
    Consumer<GenerationEvent> recorder = metrics.recorder(model.name());
    try {
      RunningGeneration running =
          RunningGeneration.submit(
              model.name(),
              model.tokenizer(),
              generation.scheduler(),
              request,
              event -> {
                recorder.accept(event);
                if (event instanceof GenerationEvent.Finished) {
                  ticket.release();
                }
              });
      ticket.submitted(running.handle());
      return running;
    } catch (InvalidRequestException e) {
      ticket.release();
      throw WireChecks.renamed(e, call.wireNames());
    } catch (RuntimeException e) {
      ticket.release();
      throw e;
    }
  }

  /** Every size the client controls, against its configured limit: 413 naming the field. */
  private void checkLimits(GenerationCall call) {
    var limits = properties.generation();
    int maxText = properties.limits().maxTextChars();
    if (call.prompt().length() > maxText) {
      throw new LimitExceededException("prompt", call.prompt().length(), maxText, "characters");
    }
    GenerationParams params = call.params();
    if (params.maxNewTokens() > limits.maxNewTokens()) {
      throw new LimitExceededException(
          call.wireName("max_new_tokens"), params.maxNewTokens(), limits.maxNewTokens(), "tokens");
    }
    List<String> stop = params.stop();
    if (stop.size() > limits.maxStopSequences()) {
      throw new LimitExceededException(
          "stop", stop.size(), limits.maxStopSequences(), "stop sequences");
    }
    for (int i = 0; i < stop.size(); i++) {
      if (stop.get(i).length() > limits.maxStopLength()) {
        throw new LimitExceededException(
            "stop[" + i + "]", stop.get(i).length(), limits.maxStopLength(), "characters");
      }
    }
    if (params.topLogprobs() > limits.maxLogprobs()) {
      throw new LimitExceededException(
          call.wireName("top_logprobs"),
          params.topLogprobs(),
          limits.maxLogprobs(),
          "alternatives");
    }
  }
}
