package io.lmserve.generation.stop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StopMatcherTest {

  /** Pushes the pieces and returns what was released after each, then "|STOP" or the flush. */
  private static List<String> run(List<String> stops, String... pieces) {
    StopMatcher matcher = new StopMatcher(stops);
    List<String> out = new ArrayList<>();
    for (String piece : pieces) {
      StopMatcher.Step step = matcher.push(piece);
      out.add(step.released());
      if (step.stopped()) {
        out.add("|STOP");
        return out;
      }
    }
    out.add("|FLUSH " + matcher.flush());
    return out;
  }

  @Test
  void stopSplitAcrossTokensIsNeverReleased() {
    assertEquals(List.of("Hel", "l", "|STOP"), run(List.of("o W"), "Hel", "lo Wo", "rld"));
    assertEquals(
        List.of("Hel", "l", "", "", "", "|STOP"),
        run(List.of("o World"), "Hel", "lo", " W", "or", "ld!"));
  }

  @Test
  void onlyAPossibleStartOfAStopIsHeldBack() {
    // "ab" could start "abc"; when "x" arrives it cannot, so both are released together
    assertEquals(List.of("1", "2", "", "abx", "|FLUSH "), run(List.of("abc"), "1", "2a", "b", "x"));
    // a pending suffix that turns out not to match is released at the end
    assertEquals(List.of("Hi ", "|FLUSH ab"), run(List.of("abc"), "Hi ab"));
  }

  @Test
  void theFirstStopToCompleteEndsTheTextAtItsStart() {
    // like vLLM and TGI: a longer stop that started earlier but is not complete does not wait
    assertEquals(List.of("xb", "|STOP"), run(List.of("cd", "bcdef"), "xbcd"));
    // in one push too: "cd" ends before "bcdef" would
    assertEquals(List.of("xb", "|STOP"), run(List.of("bcdef", "cd"), "xbcdefg"));
    // two ending at the same place: the longer one (earlier start) wins
    assertEquals(List.of("x", "|STOP"), run(List.of("cd", "bcd"), "xbcde"));
    assertEquals(List.of("a", "", "|STOP"), run(List.of("\n\n", "b"), "a", "b"));
  }

  @Test
  void stopAtTheVeryStartReleasesNothing() {
    assertEquals(List.of("", "", "|STOP"), run(List.of("END"), "EN", "D and more"));
  }

  @Test
  void repeatedPrefixCharactersAreHandled() {
    // "aab" inside "aaab": the held suffix must be "aa", not just "a"
    assertEquals(List.of("", "", "a", "|STOP"), run(List.of("aab"), "a", "a", "ab"));
  }

  @Test
  void surrogatePairsInStopsMatchWholeCharacters() {
    assertEquals(
        List.of("ok ", "", "|STOP"), run(List.of("\uD83D\uDE00!"), "ok \uD83D\uDE00", "!x"));
  }

  /** Where the text must end for any split: before the stop that ends first, longest on a tie. */
  private static String reference(String text, List<String> stops) {
    for (int end = 1; end <= text.length(); end++) {
      int start = Integer.MAX_VALUE;
      for (String stop : stops) {
        if (text.startsWith(stop, end - stop.length()) && end - stop.length() >= 0) {
          start = Math.min(start, end - stop.length());
        }
      }
      if (start != Integer.MAX_VALUE) {
        return text.substring(0, start);
      }
    }
    return text;
  }

  @Test
  void anySplitOfAnyTextReleasesExactlyTheTextBeforeTheFirstStop() {
    SplittableRandom random = new SplittableRandom(2024);
    for (int trial = 0; trial < 20_000; trial++) {
      String text = randomText(random, random.nextInt(0, 24));
      List<String> stops = new ArrayList<>();
      for (int i = random.nextInt(1, 4); i > 0; i--) {
        stops.add(randomText(random, random.nextInt(1, 5)));
      }
      StopMatcher matcher = new StopMatcher(stops);
      StringBuilder released = new StringBuilder();
      boolean stopped = false;
      for (int at = 0; at < text.length() && !stopped; ) {
        int next = Math.min(text.length(), at + random.nextInt(0, 5));
        StopMatcher.Step step = matcher.push(text.substring(at, next));
        released.append(step.released());
        stopped = step.stopped();
        at = next;
      }
      if (!stopped) {
        released.append(matcher.flush());
      }
      assertEquals(reference(text, stops), released.toString(), text + " " + stops);
    }
  }

  private static String randomText(SplittableRandom random, int length) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append("abc".charAt(random.nextInt(3)));
    }
    return s.toString();
  }

  @Test
  void emptyStopIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new StopMatcher(List.of("")));
  }
}
