package io.lmserve.tokenizer;

import static io.lmserve.testkit.RandomCases.codePoints;
import static io.lmserve.testkit.RandomCases.forAll;
import static io.lmserve.testkit.RandomCases.frequency;
import static io.lmserve.testkit.RandomCases.joined;
import static io.lmserve.testkit.RandomCases.oneOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import io.lmserve.testkit.RandomCases;
import io.lmserve.testkit.RandomCases.Gen;
import io.lmserve.testkit.RandomCases.Weighted;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Live differential tests against HF tokenizers (Rust, through DJL's JNI binding, which bundles the
 * native library): seeded random texts, a bounded number per build, and every id, token and
 * code-point offset must be equal. Replay one case with {@code -Dlmserve.case=SEED}.
 *
 * <p>Unicode normalizers are checked one output character at a time: a tokenizer.json that splits
 * the normalized text into single characters and maps each to the unknown token reports, for each
 * normalized character, the original range it is aligned to.
 */
class HfTokenizersLiveTest {

  private static final int CASES = 250;

  static {
    Path cache = Path.of(System.getProperty("java.io.tmpdir"), "lmserve-test-djl");
    System.setProperty("DJL_CACHE_DIR", cache.toString());
    System.setProperty("offline", "true");
  }

  /** Text where normalization has work to do: marks, Hangul, compatibility characters. */
  static Gen<String> normalizationTexts() {
    Gen<String> piece =
        frequency(
            new Weighted<>(4, codePoints('a', 'z')),
            new Weighted<>(1, codePoints('A', 'Z')),
            new Weighted<>(6, codePoints(0x300, 0x36F)), // combining diacritics
            new Weighted<>(
                2, oneOf("\u0323", "\u0327", "\u0F71", "\u0F72", "\u0F74", "\u302E", "\u093C")),
            new Weighted<>(3, codePoints(0xC0, 0x17F)), // precomposed Latin
            new Weighted<>(2, codePoints(0x1E00, 0x1FFF)), // Latin extended additional, Greek
            new Weighted<>(3, codePoints(0xAC00, 0xD7A3)), // Hangul syllables
            new Weighted<>(3, codePoints(0x1100, 0x11FF)), // conjoining jamo
            new Weighted<>(1, codePoints(0x3131, 0x318E)), // compatibility jamo
            new Weighted<>(2, codePoints(0xFF61, 0xFF9F)), // halfwidth kana and voicing marks
            new Weighted<>(1, codePoints(0x3041, 0x30FF)), // kana
            new Weighted<>(1, codePoints(0x3099, 0x309C)),
            new Weighted<>(2, codePoints(0xFB00, 0xFB4F)), // ligatures, Hebrew presentation forms
            new Weighted<>(1, codePoints(0x2460, 0x24FF)), // enclosed alphanumerics
            new Weighted<>(1, codePoints(0x3300, 0x33FF)), // CJK compatibility
            new Weighted<>(1, codePoints(0x1C4, 0x1CC)), // DŽ, Lj, Nj digraphs
            new Weighted<>(1, codePoints(0xBC, 0xBE)), // vulgar fractions
            new Weighted<>(1, codePoints(0x900, 0x97F)), // Devanagari (nukta forms)
            new Weighted<>(1, codePoints(0xF900, 0xFAFF)), // CJK compatibility ideographs
            new Weighted<>(1, codePoints(0x1D400, 0x1D4FF)), // mathematical letters
            new Weighted<>(1, oneOf(" ", "  ", "\t", "\u00A0", "\u3000")));
    return joined(piece, 0, 16);
  }

  /** Writes a tokenizer.json that gives every normalized character its own token. */
  private static Path perCharacter(String normalizerJson) {
    String json =
        """
        {"version": "1.0", "added_tokens": [], "normalizer": %s,
         "pre_tokenizer": {"type": "Split", "pattern": {"Regex": "."},
                           "behavior": "Isolated", "invert": false},
         "model": {"type": "WordLevel", "vocab": {"[UNK]": 0}, "unk_token": "[UNK]"}}
        """
            .formatted(normalizerJson);
    try {
      Path file = Files.createTempFile("lmserve-normalizer", ".json");
      file.toFile().deleteOnExit();
      Files.writeString(file, json);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HuggingFaceTokenizer hf(Path tokenizerJson) {
    try {
      return HuggingFaceTokenizer.builder()
          .optTokenizerPath(tokenizerJson)
          .optTruncation(false)
          .optPadding(false)
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ids, tokens and code-point offsets of both libraries for {@code text} (and {@code pair}). */
  static void assertSameAsHf(
      HuggingFaceTokenizer hf, Tokenizer ours, String text, String pair, boolean special) {
    ai.djl.huggingface.tokenizers.Encoding want =
        pair == null ? hf.encode(text, special, false) : hf.encode(text, pair, special, false);
    Encoding got = ours.encodePair(text, pair, ours.defaultOptions().withAddSpecialTokens(special));
    String where = RandomCases.describe(pair == null ? text : text + " | " + pair);
    assertArrayEquals(
        Arrays.stream(want.getIds()).mapToInt(Math::toIntExact).toArray(), got.ids(), where);
    assertArrayEquals(want.getTokens(), got.tokens(), where);
    CharSpan[] spans = want.getCharTokenSpans();
    int[][] offsets = new int[spans.length][];
    for (int i = 0; i < spans.length; i++) {
      offsets[i] =
          spans[i] == null
              ? new int[] {-1, -1}
              : new int[] {spans[i].getStart(), spans[i].getEnd()};
    }
    assertArrayEquals(offsets, Reference.referenceOffsets(got, text, pair), where);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"type\": \"NFC\"}",
        "{\"type\": \"NFD\"}",
        "{\"type\": \"NFKC\"}",
        "{\"type\": \"NFKD\"}",
        "{\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"NFD\"}, {\"type\": \"StripAccents\"},"
            + " {\"type\": \"Lowercase\"}]}",
        "{\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"NFKD\"}, {\"type\": \"NFC\"}]}",
        "{\"type\": \"BertNormalizer\", \"clean_text\": true, \"handle_chinese_chars\": true,"
            + " \"strip_accents\": true, \"lowercase\": true}"
      })
  void normalizedCharactersAreAlignedAsInHf(String normalizer) {
    Path json = perCharacter(normalizer);
    Tokenizer ours = Tokenizer.load(json);
    try (HuggingFaceTokenizer hf = hf(json)) {
      forAll(
          0x4F_0001L + normalizer.hashCode(),
          CASES,
          normalizationTexts(),
          text -> assertSameAsHf(hf, ours, text, null, false));
    }
  }

  static Stream<Arguments> referenceTokenizers() {
    return Stream.of(
        Arguments.of("hf/gpt2/tokenizer.json", false),
        Arguments.of("hf/bert-base-uncased/tokenizer.json", true),
        Arguments.of("hf/bert-base-uncased/tokenizer.json", false));
  }

  /** The second half of {@code text} (whole code points) as a pair text, or null if empty. */
  private static String secondHalf(String text) {
    int n = text.codePointCount(0, text.length());
    return n < 2 ? null : text.substring(text.offsetByCodePoints(0, n / 2));
  }

  @ParameterizedTest
  @MethodSource("referenceTokenizers")
  void randomUnicodeEncodesAsInHf(String tokenizer, boolean special) {
    Tokenizer ours = Reference.load(tokenizer);
    Gen<String> texts = UnicodeTexts.any().map(UnicodeTexts::wellFormed);
    try (HuggingFaceTokenizer hf = hf(Reference.fixture(tokenizer))) {
      forAll(
          0x11FE_0001L + tokenizer.hashCode() + (special ? 1 : 0),
          CASES,
          texts,
          text -> assertSameAsHf(hf, ours, text, null, special));
      forAll(
          0x11FE_1001L + tokenizer.hashCode() + (special ? 1 : 0),
          CASES / 5,
          normalizationTexts(),
          text -> assertSameAsHf(hf, ours, text, secondHalf(text), special));
      // Any code point at all, so characters whose Unicode category changed between HF's tables
      // and Java's come up (HfUnicodeTables).
      Gen<String> anyCodePoint =
          frequency(new Weighted<>(4, codePoints(0, 0x10FFFF)), new Weighted<>(1, oneOf(" ", "a")));
      forAll(
          0x11FE_2001L + tokenizer.hashCode() + (special ? 1 : 0),
          CASES,
          joined(anyCodePoint, 1, 24).map(UnicodeTexts::wellFormed),
          text -> assertSameAsHf(hf, ours, text, null, special));
    }
  }
}
