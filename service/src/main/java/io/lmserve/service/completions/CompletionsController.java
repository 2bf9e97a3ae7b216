package io.lmserve.service.completions;

import io.lmserve.generation.GenerationEvent;
import io.lmserve.generation.TokenEvent;
import io.lmserve.generation.sampling.TokenLogprob;
import io.lmserve.service.errors.ApiException;
import io.lmserve.service.generate.Endings;
import io.lmserve.service.generate.GenerationCall;
import io.lmserve.service.generate.GenerationService;
import io.lmserve.service.generate.RunningGeneration;
import io.lmserve.service.generate.Sse;
import io.lmserve.tokenizer.Tokenizer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenAI-compatible {@code POST /v1/completions}: one JSON object, or with {@code stream: true}
 * {@code data: <chunk>} frames, an optional usage chunk and {@code data: [DONE]}, so OpenAI's SDKs
 * and curl recipes work unchanged.
 */
@RestController
@Tag(name = "openai", description = "OpenAI-compatible completions")
class CompletionsController {

  private final GenerationService service;
  private final Endings endings;
  private final JsonMapper json;

  CompletionsController(GenerationService service, Endings endings, JsonMapper json) {
    this.service = service;
    this.endings = endings;
    this.json = json;
  }

  @PostMapping("/v1/completions")
  @Operation(
      summary = "OpenAI text completion, whole or streamed (stream: true)",
      responses =
          @ApiResponse(
              responseCode = "200",
              content = {
                @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = CompletionResponse.class)),
                @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE)
              }))
  Mono<Void> completions(
      @Valid @RequestBody CompletionRequest request, ServerHttpResponse response) {
    GenerationCall call = request.call();
    return service
        .start(call)
        .flatMap(
            running -> {
              Answer answer =
                  new Answer(
                      "cmpl-" + UUID.randomUUID().toString().replace("-", ""),
                      Instant.now().getEpochSecond(),
                      running,
                      request);
              return request.streaming()
                  ? Sse.write(response, answer.frames())
                  : answer.whole().flatMap(body -> writeJson(response, body));
            });
  }

  private Mono<Void> writeJson(ServerHttpResponse response, CompletionResponse body) {
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    byte[] bytes = json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
  }

  /** One request's answer, whole or as chunks. */
  private final class Answer {
    private final String id;
    private final long created;
    private final RunningGeneration running;
    private final CompletionRequest request;

    Answer(String id, long created, RunningGeneration running, CompletionRequest request) {
      this.id = id;
      this.created = created;
      this.running = running;
      this.request = request;
    }

    Mono<CompletionResponse> whole() {
      return running
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
                List<TokenEvent> tokens =
                    events.stream()
                        .filter(TokenEvent.class::isInstance)
                        .map(TokenEvent.class::cast)
                        .toList();
                StringBuilder text = new StringBuilder();
                tokens.forEach(t -> text.append(t.text()));
                sink.next(
                    response(
                        List.of(
                            new CompletionResponse.Choice(
                                text.toString(),
                                0,
                                logprobs(tokens, 0),
                                CompletionResponse.finishReason(finished.reason()))),
                        CompletionResponse.UsageBody.of(finished.usage())));
              });
    }

    /** A chunk per token, the last with the finish reason, the usage chunk if asked, [DONE]. */
    Flux<String> frames() {
      return Flux.defer(
          () -> {
            int[] offset = {0};
            return running
                .events()
                .concatMap(
                    event ->
                        switch (event) {
                          case TokenEvent token -> {
                            var chunk =
                                chunk(token.text(), logprobs(List.of(token), offset[0]), null);
                            offset[0] += token.text().length();
                            yield Flux.just(chunk);
                          }
                          case GenerationEvent.Finished finished -> last(finished);
                        })
                .onErrorResume(error -> Flux.just(error(Endings.members(running.model(), error))))
                .concatWith(Mono.just(Sse.data("[DONE]")));
          });
    }

    private Flux<String> last(GenerationEvent.Finished finished) {
      ApiException problem = endings.problem(running.model(), finished);
      if (problem != null) {
        return Flux.just(error(Endings.members(problem.getBody())));
      }
      String end = chunk("", null, CompletionResponse.finishReason(finished.reason()));
      if (!request.includeUsage()) {
        return Flux.just(end);
      }
      String usage =
          Sse.data(
              json.writeValueAsString(
                  response(List.of(), CompletionResponse.UsageBody.of(finished.usage()))));
      return Flux.just(end, usage);
    }

    private String chunk(String text, CompletionResponse.Logprobs logprobs, String finishReason) {
      return Sse.data(
          json.writeValueAsString(
              response(
                  List.of(new CompletionResponse.Choice(text, 0, logprobs, finishReason)), null)));
    }

    /** OpenAI's in-stream error: {@code data: {"error": {...}}}. */
    private String error(Map<String, Object> problem) {
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("message", problem.get("detail"));
      error.put("type", problem.get("title"));
      error.put("code", problem.get("status"));
      return Sse.data(json.writeValueAsString(Map.of("error", error)));
    }

    private CompletionResponse response(
        List<CompletionResponse.Choice> choices, CompletionResponse.UsageBody usage) {
      return new CompletionResponse(
          id, "text_completion", created, running.model(), choices, usage);
    }

    private CompletionResponse.Logprobs logprobs(List<TokenEvent> tokens, int startOffset) {
      if (!request.wantsLogprobs()) {
        return null;
      }
      Tokenizer tokenizer = running.tokenizer();
      List<String> texts = new ArrayList<>();
      List<Float> logprobs = new ArrayList<>();
      List<Map<String, Float>> tops = new ArrayList<>();
      List<Integer> offsets = new ArrayList<>();
      int offset = startOffset;
      for (TokenEvent token : tokens) {
        String text = spell(tokenizer, token.tokenId());
        texts.add(text);
        logprobs.add(token.logprob());
        Map<String, Float> top = new LinkedHashMap<>();
        for (TokenLogprob alternative : token.top()) {
          top.putIfAbsent(spell(tokenizer, alternative.id()), alternative.logprob());
        }
        top.putIfAbsent(text, token.logprob());
        tops.add(top);
        offsets.add(offset);
        offset += token.text().length();
      }
      return new CompletionResponse.Logprobs(texts, logprobs, tops, offsets);
    }
  }

  private static String spell(Tokenizer tokenizer, int id) {
    return tokenizer.decode(new int[] {id}, false);
  }
}
