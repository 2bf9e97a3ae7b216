package io.lmserve.service.generate;

import io.lmserve.generation.FinishReason;
import io.lmserve.generation.GenerationEvent;
import io.lmserve.generation.TokenEvent;
import io.lmserve.service.errors.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** {@code POST /v1/generate} (one JSON answer) and {@code /v1/generate/stream} (SSE). */
@RestController
@RequestMapping("/v1")
@Tag(name = "generation", description = "Text generation with a causal language model")
class GenerateController {

  private final GenerationService service;
  private final Endings endings;
  private final JsonMapper json;

  GenerateController(GenerationService service, Endings endings, JsonMapper json) {
    this.service = service;
    this.endings = endings;
    this.json = json;
  }

  @PostMapping(path = "/generate", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Continue a prompt; the whole text, its tokens, why it ended and usage")
  Mono<GenerateResponse> generate(@Valid @RequestBody GenerateRequest request) {
    GenerationCall call = request.call();
    boolean alternatives = call.params().topLogprobs() > 0;
    return service
        .start(call)
        .flatMap(
            running ->
                running
                    .events()
                    .collectList()
                    .handle(
                        (events, sink) -> {
                          var finished = (GenerationEvent.Finished) events.getLast();
                          ApiException problem = endings.problem(running.model(), finished);
                          if (problem != null) {
                            sink.error(problem);
                            return;
                          }
                          List<GenerateResponse.Token> tokens = new ArrayList<>();
                          StringBuilder text = new StringBuilder();
                          for (GenerationEvent event : events) {
                            if (event instanceof TokenEvent token) {
                              tokens.add(
                                  GenerateResponse.Token.of(
                                      token, running.tokenizer(), alternatives));
                              text.append(token.text());
                            }
                          }
                          sink.next(
                              new GenerateResponse(
                                  running.model(),
                                  text.toString(),
                                  tokens,
                                  finished.reason().wireName(),
                                  GenerateResponse.UsageBody.of(finished.usage())));
                        }));
  }

  @PostMapping(path = "/generate/stream")
  @Operation(
      summary = "The same as Server-Sent Events: one 'token' event per token, then 'done'",
      responses =
          @ApiResponse(
              responseCode = "200",
              content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE)))
  Mono<Void> stream(@Valid @RequestBody GenerateRequest request, ServerHttpResponse response) {
    GenerationCall call = request.call();
    boolean alternatives = call.params().topLogprobs() > 0;
    return service
        .start(call)
        .flatMap(running -> Sse.write(response, frames(running, alternatives)));
  }

  /**
   * {@code token} events, then {@code done} with the whole text; a generation that failed ends with
   * an {@code error} event carrying the problem instead.
   */
  private Flux<String> frames(RunningGeneration running, boolean alternatives) {
    return Flux.defer(
        () -> {
          StringBuilder text = new StringBuilder();
          return running
              .events()
              .map(
                  event ->
                      switch (event) {
                        case TokenEvent token -> {
                          text.append(token.text());
                          yield Sse.event(
                              "token",
                              json.writeValueAsString(
                                  GenerateResponse.Token.of(
                                      token, running.tokenizer(), alternatives)));
                        }
                        case GenerationEvent.Finished finished
                            when finished.reason() == FinishReason.ERROR ->
                            Sse.event(
                                "error",
                                json.writeValueAsString(
                                    Endings.members(
                                        endings.problem(running.model(), finished).getBody())));
                        case GenerationEvent.Finished finished ->
                            Sse.event(
                                "done",
                                json.writeValueAsString(
                                    new GenerateResponse.Done(
                                        finished.reason().wireName(),
                                        text.toString(),
                                        GenerateResponse.UsageBody.of(finished.usage()))));
                      })
              .onErrorResume(
                  error ->
                      Mono.just(
                          Sse.event(
                              "error",
                              json.writeValueAsString(Endings.members(running.model(), error)))));
        });
  }
}
