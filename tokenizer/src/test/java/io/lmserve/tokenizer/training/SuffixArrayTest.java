package io.lmserve.tokenizer.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Comparator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class SuffixArrayTest {

  @Property(tries = 200)
  void matchesSortingTheSuffixes(
      @ForAll @Size(max = 60) int[] raw, @ForAll @IntRange(min = 1, max = 5) int alphabet) {
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
