package io.lmserve.testkit;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import java.util.function.Consumer;
import java.util.function.Function;
import org.opentest4j.TestAbortedException;

/**
 * Property-style tests in plain JUnit: a check run on many generated inputs, reproducibly.
 *
 * <p>{@link #forAll} draws one case seed per case from the test's fixed seed and gives each case
 * its own {@link SplittableRandom}, so every run tries the same inputs. When a check fails, the
 * error names the case seed and the input (strings escaped, with their code points); running the
 * test with {@code -Dlmserve.case=<case seed>} replays that one case alone.
 *
 * <p>Ranges and sizes yield their bounds more often than a uniform draw would (empty strings, the
 * first and last code point of a block), where bugs gather. There is no shrinking: inputs are kept
 * short enough to read.
 */
public final class RandomCases {

  /** Replays the single case with this seed instead of running them all. */
  public static final String REPLAY_PROPERTY = "lmserve.case";

  /** Chance, out of {@value}, that {@link #ints} yields each bound rather than a uniform draw. */
  private static final int EDGE_ODDS = 16;

  private RandomCases() {}

  /** Makes one random value from a random source. */
  @FunctionalInterface
  public interface Gen<T> {
    T next(SplittableRandom random);

    default <R> Gen<R> map(Function<? super T, ? extends R> f) {
      return random -> f.apply(next(random));
    }
  }

  /** A generator and how often {@link #frequency} picks it relative to the others. */
  public record Weighted<T>(int weight, Gen<? extends T> gen) {
    public Weighted {
      if (weight <= 0) {
        throw new IllegalArgumentException("weight must be positive: " + weight);
      }
    }
  }

  /**
   * Runs {@code check} on {@code count} inputs made by {@code gen} from {@code seed}, or only the
   * case named by {@code -Dlmserve.case}. A failure is rethrown naming the case and its input.
   */
  public static <T> void forAll(long seed, int count, Gen<T> gen, Consumer<? super T> check) {
    String replay = System.getProperty(REPLAY_PROPERTY);
    if (replay != null && !replay.isBlank()) {
      long caseSeed;
      try {
        caseSeed = Long.parseLong(replay.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "-D" + REPLAY_PROPERTY + " takes the case seed a failure printed, not: " + replay, e);
      }
      runCase(caseSeed, "replayed case", gen, check);
      return;
    }
    SplittableRandom cases = new SplittableRandom(seed);
    for (int i = 0; i < count; i++) {
      runCase(
          cases.nextLong(),
          "case " + (i + 1) + " of " + count + " (seed " + seed + ")",
          gen,
          check);
    }
  }

  private static <T> void runCase(
      long caseSeed, String which, Gen<T> gen, Consumer<? super T> check) {
    T input = gen.next(new SplittableRandom(caseSeed));
    try {
      check.accept(input);
    } catch (TestAbortedException skipped) {
      throw skipped;
    } catch (Throwable failure) {
      throw new AssertionError(
          which
              + " failed; replay with -D"
              + REPLAY_PROPERTY
              + "="
              + caseSeed
              + "\ninput: "
              + describe(input)
              + "\n"
              + failure,
          failure);
    }
  }

  /** An int in {@code [min, max]}, each bound coming up about one time in {@value #EDGE_ODDS}. */
  public static Gen<Integer> ints(int min, int max) {
    if (min > max) {
      throw new IllegalArgumentException("empty range " + min + ".." + max);
    }
    return random -> {
      int edge = random.nextInt(EDGE_ODDS);
      if (edge == 0) {
        return min;
      }
      if (edge == 1) {
        return max;
      }
      return (int) random.nextLong(min, (long) max + 1);
    };
  }

  /**
   * One code point in {@code [first, last]} as a string; a surrogate code point gives a lone
   * surrogate.
   */
  public static Gen<String> codePoints(int first, int last) {
    return ints(first, last).map(Character::toString);
  }

  /** One UTF-16 unit of {@code alphabet} (a repeated unit is picked more often). */
  public static Gen<String> charsOf(String alphabet) {
    return ints(0, alphabet.length() - 1).map(i -> String.valueOf(alphabet.charAt(i)));
  }

  /** One of {@code values}, each as likely, the first and last a little more so. */
  @SafeVarargs
  public static <T> Gen<T> oneOf(T... values) {
    List<T> copy = List.of(values);
    return ints(0, copy.size() - 1).map(copy::get);
  }

  /** A value from one of {@code gens}, each picked as often. */
  @SafeVarargs
  public static <T> Gen<T> anyOf(Gen<? extends T>... gens) {
    List<Gen<? extends T>> copy = List.of(gens);
    return random -> copy.get(random.nextInt(copy.size())).next(random);
  }

  /** A value from one of {@code choices}, each picked in proportion to its weight. */
  @SafeVarargs
  public static <T> Gen<T> frequency(Weighted<? extends T>... choices) {
    List<Weighted<? extends T>> copy = List.of(choices);
    int total = copy.stream().mapToInt(Weighted::weight).sum();
    return random -> {
      int ticket = random.nextInt(total);
      for (Weighted<? extends T> choice : copy) {
        ticket -= choice.weight();
        if (ticket < 0) {
          return choice.gen().next(random);
        }
      }
      throw new AssertionError("unreachable: tickets are fewer than the total weight");
    };
  }

  /** Between {@code minSize} and {@code maxSize} values of {@code element}. */
  public static <T> Gen<List<T>> lists(Gen<? extends T> element, int minSize, int maxSize) {
    Gen<Integer> size = ints(minSize, maxSize);
    return random -> {
      int n = size.next(random);
      List<T> list = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        list.add(element.next(random));
      }
      return list;
    };
  }

  /** Between {@code minPieces} and {@code maxPieces} values of {@code piece}, concatenated. */
  public static Gen<String> joined(Gen<String> piece, int minPieces, int maxPieces) {
    return lists(piece, minPieces, maxPieces).map(pieces -> String.join("", pieces));
  }

  /**
   * {@code value} as a failure message shows it: strings as Java literals with every unit outside
   * printable ASCII escaped, followed by their code points; records field by field; arrays by
   * element.
   */
  public static String describe(Object value) {
    if (value instanceof String s) {
      return literal(s) + " " + codePointsOf(s);
    }
    if (value instanceof Record record) {
      StringJoiner fields = new StringJoiner(", ", record.getClass().getSimpleName() + "[", "]");
      for (RecordComponent c : record.getClass().getRecordComponents()) {
        try {
          fields.add(c.getName() + "=" + describe(c.getAccessor().invoke(record)));
        } catch (ReflectiveOperationException e) {
          fields.add(c.getName() + "=?");
        }
      }
      return fields.toString();
    }
    if (value instanceof List<?> list) {
      StringJoiner items = new StringJoiner(", ", "[", "]");
      list.forEach(item -> items.add(describe(item)));
      return items.toString();
    }
    if (value != null && value.getClass().isArray()) {
      StringJoiner items = new StringJoiner(", ", "[", "]");
      for (int i = 0; i < Array.getLength(value); i++) {
        items.add(describe(Array.get(value, i)));
      }
      return items.toString();
    }
    return String.valueOf(value);
  }

  private static String literal(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
        sb.append(c);
      } else {
        sb.append(String.format("\\u%04X", (int) c));
      }
    }
    return sb.append('"').toString();
  }

  private static String codePointsOf(String s) {
    StringJoiner cps = new StringJoiner(" ", "(", ")");
    s.codePoints().forEach(cp -> cps.add(String.format("U+%04X", cp)));
    return cps.toString();
  }
}
