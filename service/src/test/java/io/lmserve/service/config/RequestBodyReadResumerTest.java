package io.lmserve.service.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

/**
 * The resumer asks for another read while a request body is incomplete (the replayed keep-alive
 * request of reactor-netty#4347 is delivered without one), and leaves reading alone otherwise.
 */
class RequestBodyReadResumerTest {

  /** Counts the reads asked of the channel. */
  private static final class ReadCounter extends ChannelOutboundHandlerAdapter {
    int reads;

    @Override
    public void read(ChannelHandlerContext ctx) {
      reads++;
      ctx.read();
    }
  }

  /**
   * The reads the resumer adds to those the channel asks for by itself: the same messages go
   * through a channel with the resumer and one without.
   */
  private static int readsAddedBy(Object... messages) {
    return reads(true, messages) - reads(false, messages);
  }

  private static int reads(boolean withResumer, Object... messages) {
    ReadCounter counter = new ReadCounter();
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.config().setAutoRead(false);
    channel.pipeline().addLast(counter);
    if (withResumer) {
      channel.pipeline().addLast(new RequestBodyReadResumer());
    }
    // Delivered in one burst, as a replay of queued messages is, then the event loop runs.
    for (Object m : messages) {
      channel.pipeline().fireChannelRead(ReferenceCountUtil.retain(m));
    }
    channel.runPendingTasks();
    channel.finishAndReleaseAll();
    return counter.reads;
  }

  private static DefaultHttpRequest post() {
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/tokenize");
  }

  private static DefaultHttpContent part(int bytes) {
    return new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[bytes]));
  }

  @Test
  void asksForTheRestOfABodyWhileItIsIncomplete() {
    assertThat(readsAddedBy(post(), part(8192), part(8192))).isEqualTo(1);
    assertThat(readsAddedBy(post())).isEqualTo(1);
  }

  @Test
  void leavesReadingAloneOnceTheBodyIsComplete() {
    assertThat(
            readsAddedBy(
                post(), part(100), new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[1]))))
        .isZero();
    assertThat(
            readsAddedBy(
                new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/v1/models")))
        .isZero();
  }
}
