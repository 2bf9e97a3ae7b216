package io.lmserve.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Server-Sent Events body read as a client reads it, after checking it is framed exactly as the
 * service promises: {@code event: name\ndata: json\n\n} or {@code data: json\n\n}, nothing else.
 */
public record SseFrames(List<Frame> frames) {

  /**
   * @param event null for frames without an event line
   */
  public record Frame(String event, String data) {}

  private static final Pattern FRAME =
      Pattern.compile("(?:event: ([a-z]+)\\n)?data: ([^\\n]*)\\n\\n");

  public static SseFrames parse(String body) {
    List<Frame> frames = new ArrayList<>();
    Matcher m = FRAME.matcher(body);
    int end = 0;
    while (m.find() && m.start() == end) {
      frames.add(new Frame(m.group(1), m.group(2)));
      end = m.end();
    }
    assertThat(end).as("the whole body is SSE frames:\n" + body).isEqualTo(body.length());
    return new SseFrames(List.copyOf(frames));
  }

  public List<String> events() {
    return frames.stream().map(Frame::event).toList();
  }

  public Frame last() {
    return frames.getLast();
  }
}
