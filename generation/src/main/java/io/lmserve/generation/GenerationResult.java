package io.lmserve.generation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A finished generation gathered from its events: the tokens, the text and how it ended.
 *
 * @param tokens every token event in order
 * @param finished the final event
 */
public record GenerationResult(List<TokenEvent> tokens, GenerationEvent.Finished finished) {

  public GenerationResult {
    tokens = List.copyOf(tokens);
  }

  public int[] tokenIds() {
    return tokens.stream().mapToInt(TokenEvent::tokenId).toArray();
  }

  public String text() {
    StringBuilder text = new StringBuilder();
    tokens.forEach(t -> text.append(t.text()));
    return text.toString();
  }

  public FinishReason reason() {
    return finished.reason();
  }

  /** A listener that gathers the events of one generation into a result. */
  public static final class Collector implements Consumer<GenerationEvent> {
    private final List<TokenEvent> tokens = new ArrayList<>();
    private final CompletableFuture<GenerationResult> result = new CompletableFuture<>();

    @Override
    public synchronized void accept(GenerationEvent event) {
      switch (event) {
        case TokenEvent token -> tokens.add(token);
        case GenerationEvent.Finished finished ->
            result.complete(new GenerationResult(tokens, finished));
      }
    }

    /** Completes with the final event. */
    public CompletableFuture<GenerationResult> result() {
      return result;
    }
  }
}
