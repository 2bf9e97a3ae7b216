package io.lmserve.tokenizer;

/**
 * Per-call encoding options. A tokenizer's own defaults (from its tokenizer.json) are {@link
 * Tokenizer#defaultOptions()}; derive from them with the {@code with…} methods.
 *
 * @param addSpecialTokens let the post-processor add {@code [CLS]}/{@code [SEP]} and the like
 * @param specialTokens what to do with text that spells a special token
 */
public record EncodeOptions(
    boolean addSpecialTokens, SpecialTokens specialTokens, Truncation truncation, Padding padding) {

  /** Largest length padding or truncation may be asked for. */
  public static final int MAX_LENGTH = 1 << 24;

  /** Text that spells a special token, like {@code <|endoftext|>} typed by a user. */
  public enum SpecialTokens {
    /** Matched as the special token (HF's behaviour). */
    PARSE,
    /** Treated as plain text. */
    IGNORE,
    /** Refused with an {@link IllegalArgumentException}. */
    REJECT
  }

  public enum Direction {
    LEFT,
    RIGHT
  }

  /**
   * @param maxLength tokens kept per window, special tokens included
   * @param stride tokens repeated from the end of one window at the start of the next
   */
  public record Truncation(Strategy strategy, int maxLength, int stride, Direction direction) {
    public enum Strategy {
      NONE,
      LONGEST_FIRST,
      ONLY_FIRST,
      ONLY_SECOND
    }

    public static final Truncation NONE = new Truncation(Strategy.NONE, 0, 0, Direction.RIGHT);

    public Truncation {
      if (strategy != Strategy.NONE) {
        if (maxLength < 0 || maxLength > MAX_LENGTH) {
          throw new IllegalArgumentException(
              "truncation maxLength must be in [0, " + MAX_LENGTH + "], got " + maxLength);
        }
        if (stride < 0 || (maxLength > 0 && stride >= maxLength)) {
          throw new IllegalArgumentException(
              "truncation stride must be in [0, maxLength), got " + stride);
        }
      }
    }

    public static Truncation longestFirst(int maxLength) {
      return new Truncation(Strategy.LONGEST_FIRST, maxLength, 0, Direction.RIGHT);
    }

    public Truncation withStride(int newStride) {
      return new Truncation(strategy, maxLength, newStride, direction);
    }

    public Truncation withDirection(Direction newDirection) {
      return new Truncation(strategy, maxLength, stride, newDirection);
    }
  }

  /**
   * @param length target length for {@link Strategy#MAX_LENGTH}
   * @param multipleOf round the target length up to a multiple of this (0 or 1: no rounding)
   * @param padToken the padding token; null means the tokenizer's own pad token, else {@code padId}
   */
  public record Padding(
      Strategy strategy,
      int length,
      int multipleOf,
      Direction direction,
      int padId,
      int padTypeId,
      String padToken) {
    public enum Strategy {
      NONE,
      LONGEST,
      MAX_LENGTH
    }

    public static final Padding NONE =
        new Padding(Strategy.NONE, 0, 0, Direction.RIGHT, 0, 0, null);

    public Padding {
      if (length < 0 || length > MAX_LENGTH || multipleOf < 0 || multipleOf > MAX_LENGTH) {
        throw new IllegalArgumentException(
            "padding length and multipleOf must be in [0, " + MAX_LENGTH + "]");
      }
    }

    public static Padding longest() {
      return new Padding(Strategy.LONGEST, 0, 0, Direction.RIGHT, 0, 0, null);
    }

    public static Padding toLength(int length) {
      return new Padding(Strategy.MAX_LENGTH, length, 0, Direction.RIGHT, 0, 0, null);
    }

    public Padding withMultipleOf(int n) {
      return new Padding(strategy, length, n, direction, padId, padTypeId, padToken);
    }

    public Padding withDirection(Direction d) {
      return new Padding(strategy, length, multipleOf, d, padId, padTypeId, padToken);
    }

    public Padding withPadToken(String token, int id, int typeId) {
      return new Padding(strategy, length, multipleOf, direction, id, typeId, token);
    }
  }

  public EncodeOptions {
    java.util.Objects.requireNonNull(specialTokens, "specialTokens");
    truncation = truncation == null ? Truncation.NONE : truncation;
    padding = padding == null ? Padding.NONE : padding;
  }

  /** Special tokens added and parsed, no truncation, no padding. */
  public static EncodeOptions defaults() {
    return new EncodeOptions(true, SpecialTokens.PARSE, Truncation.NONE, Padding.NONE);
  }

  public EncodeOptions withAddSpecialTokens(boolean add) {
    return new EncodeOptions(add, specialTokens, truncation, padding);
  }

  public EncodeOptions withSpecialTokens(SpecialTokens policy) {
    return new EncodeOptions(addSpecialTokens, policy, truncation, padding);
  }

  public EncodeOptions withTruncation(Truncation t) {
    return new EncodeOptions(addSpecialTokens, specialTokens, t, padding);
  }

  public EncodeOptions withPadding(Padding p) {
    return new EncodeOptions(addSpecialTokens, specialTokens, truncation, p);
  }
}
