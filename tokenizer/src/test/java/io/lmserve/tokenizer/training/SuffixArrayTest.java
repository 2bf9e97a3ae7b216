package io.lmserve.tokenizer.training;

import static io.lmserve.testkit.RandomCases.forAll;
import static io.lmserve.testkit.RandomCases.ints;
import static io.lmserve.testkit.RandomCases.lists;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.lmserve.testkit.RandomCases.Gen;
import java.util.Arrays;
import java.util.Comparator;
import org.junit.jupiter.api.Test;

class SuffixArrayTest {

  private record Case(int[] raw, int alphabet) {}

  private static final Gen<Case> CASES =
      random ->
          new Case(
              lists(ints(Integer.MIN_VALUE, Integer.MAX_VALUE), 0, 60)
                  .map(l -> l.stream().mapToInt(i -> i).toArray())
                  .next(random),
              ints(1, 5).next(random));

  @Test
  void matchesSortingTheSuffixes() {
    forAll(0x5AF1L, 200, CASES, c -> matchesSortingTheSuffixes(c.raw(), c.alphabet()));
  }

  private static void matchesSortingTheSuffixes(int[] raw, int alphabet) {
    int[] text = Arrays.stream(raw).map(v -> Math.floorMod(v, alphabet)).toArray();
    Integer[] naive = new Integer[text.length];
    for (int i = 0; i < naive.length; i++) {
      naive[i] = i;
    }
    Arrays.sort(
        naive,
        Comparator.comparing(i -> Arrays.copyOfRange(text, i, text.length), Arrays::compare));
    int[] expected = Arrays.stream(naive).mapToInt(Integer::intValue).toArray();
    int[] sa = SuffixArray.build(text, alphabet);
    assertArrayEquals(expected, sa);

    int[] lcp = SuffixArray.lcp(text, sa);
    for (int i = 1; i < sa.length; i++) {
      int h = 0;
      while (sa[i - 1] + h < text.length
          && sa[i] + h < text.length
          && text[sa[i - 1] + h] == text[sa[i] + h]) {
        h++;
      }
      assertArrayEquals(new int[] {h}, new int[] {lcp[i]}, "lcp at " + i);
    }
  }
}
