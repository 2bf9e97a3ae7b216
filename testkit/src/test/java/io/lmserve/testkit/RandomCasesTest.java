package io.lmserve.testkit;

import static io.lmserve.testkit.RandomCases.codePoints;
import static io.lmserve.testkit.RandomCases.forAll;
import static io.lmserve.testkit.RandomCases.joined;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.testkit.RandomCases.Gen;
import io.lmserve.testkit.RandomCases.Weighted;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomCasesTest {

  static final Gen<String> TEXT = joined(codePoints(0, 0x10FFFF), 0, 8);

  static List<String> inputs(long seed, int count) {
    List<String> seen = new ArrayList<>();
    forAll(seed, count, TEXT, seen::add);
    return seen;
  }

  @Test
  void sameSeedSameInputsAndEveryCaseRuns() {
    assertEquals(inputs(7, 50), inputs(7, 50));
    assertNotEquals(inputs(7, 50), inputs(8, 50));
    assertEquals(50, inputs(7, 50).size());
  }

  @Test
  void failureNamesTheCaseSeedAndTheEscapedInput() {
    Gen<String> loneSurrogateLast = r -> "a\"\uD83D";
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () -> forAll(3, 10, loneSurrogateLast, s -> assertTrue(s.isEmpty(), "not empty")));
    String message = e.getMessage();
    assertTrue(
        message.startsWith("case 1 of 10 (seed 3) failed; replay with -Dlmserve.case="), message);
    assertTrue(message.contains("input: \"a\\u0022\\uD83D\" (U+0061 U+0022 U+D83D)"), message);
    assertTrue(message.contains("not empty"), message);
    long caseSeed = new SplittableRandom(3).nextLong();
    assertTrue(message.contains("=" + caseSeed + "\n"), message);
  }

  @Test
  void rangesStayInsideAndReachTheirBounds() {
    Gen<Integer> ints = RandomCases.ints(-3, 3);
    SplittableRandom r = new SplittableRandom(1);
    boolean[] seen = new boolean[7];
    for (int i = 0; i < 1000; i++) {
      int v = ints.next(r);
      assertTrue(-3 <= v && v <= 3, "in range: " + v);
      seen[v + 3] = true;
    }
    for (boolean s : seen) {
      assertTrue(s);
    }
  }

  @Test
  void frequencyFollowsTheWeights() {
    Gen<String> g =
        RandomCases.frequency(new Weighted<>(1, r -> "rare"), new Weighted<>(9, r -> "common"));
    SplittableRandom r = new SplittableRandom(2);
    int rare = 0;
    for (int i = 0; i < 10_000; i++) {
      rare += g.next(r).equals("rare") ? 1 : 0;
    }
    assertTrue(800 < rare && rare < 1200, "about one in ten: " + rare);
  }

  record Pair(String text, int n) {}

  @Test
  void describeEscapesRecordFields() {
    assertEquals(
        "Pair[text=\"\\u00E9\\uD83D\\uDE00\" (U+00E9 U+1F600), n=4]",
        RandomCases.describe(new Pair("é😀", 4)));
  }
}
