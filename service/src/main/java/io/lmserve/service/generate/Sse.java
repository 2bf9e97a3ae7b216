package io.lmserve.service.generate;

import java.nio.charset.StandardCharsets;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Server-Sent Events written byte for byte ({@code event: name\ndata: json\n\n}, {@code data:
 * json\n\n}), each frame flushed as it comes, since clients (OpenAI's SDKs among them) expect
 * exactly this framing. Frames go out as the connection takes them: the writer asks for the next
 * frame only when the last one was written.
 */
public final class Sse {

  private Sse() {}

  /** A frame with an event name. */
  public static String event(String name, String json) {
    return "event: " + name + "\ndata: " + json + "\n\n";
  }

  /** A frame without event name (OpenAI's streams). */
  public static String data(String json) {
    return "data: " + json + "\n\n";
  }

  /**
   * Streams {@code frames} as the response; cancelling it (client gone) cancels the frames. The
   * headers go out at once, before the first frame, so a client knows its stream was accepted while
   * the request still waits for a batch slot.
   */
  public static Mono<Void> write(ServerHttpResponse response, Flux<String> frames) {
    response.getHeaders().setContentType(MediaType.TEXT_EVENT_STREAM);
    response.getHeaders().setCacheControl("no-cache");
    response.getHeaders().set("X-Accel-Buffering", "no"); // proxies must not hold frames back
    DataBufferFactory buffers = response.bufferFactory();
    Flux<Mono<DataBuffer>> chunks =
        frames.map(frame -> Mono.just(buffers.wrap(frame.getBytes(StandardCharsets.UTF_8))));
    return response.writeAndFlushWith(Flux.concat(Mono.just(Mono.empty()), chunks));
  }
}
