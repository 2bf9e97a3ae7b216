package io.lmserve.generation.stop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
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
    // two complete in the same push: the earlier start wins
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

  @Test
  void emptyStopIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new StopMatcher(List.of("")));
  }
}
