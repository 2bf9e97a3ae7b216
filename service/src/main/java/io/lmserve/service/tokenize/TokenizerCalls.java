package io.lmserve.service.tokenize;

import io.lmserve.service.errors.InvalidFieldException;
import io.lmserve.tokenizer.EncodeOptions;
import io.lmserve.tokenizer.Encoding;
import io.lmserve.tokenizer.Tokenizer;
import java.util.List;

/**
 * The service's calls into the tokenizer library: request options become {@link EncodeOptions}, and
 * the library's refusals ({@link IllegalArgumentException}) become 400s naming the field.
 */
final class TokenizerCalls {

  private TokenizerCalls() {}

  static EncodeOptions options(
      boolean addSpecialTokens,
      SpecialTokens specialTokens,
      Padding padding,
      Integer maxLength,
      Integer padToMultipleOf,
      Truncation truncation,
      int stride) {
    EncodeOptions options =
        EncodeOptions.defaults()
            .withAddSpecialTokens(addSpecialTokens)
            .withSpecialTokens(policy(specialTokens));
    try {
      if (truncation != Truncation.NONE) {
        options =
            options.withTruncation(
                new EncodeOptions.Truncation(
                    EncodeOptions.Truncation.Strategy.valueOf(truncation.name()),
                    maxLength,
                    stride,
                    EncodeOptions.Direction.RIGHT));
      }
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException("stride", e.getMessage());
    }
    EncodeOptions.Padding pad =
        switch (padding) {
          case NONE -> EncodeOptions.Padding.NONE;
          case LONGEST -> EncodeOptions.Padding.longest();
          case MAX_LENGTH -> EncodeOptions.Padding.toLength(maxLength);
        };
    if (padding != Padding.NONE && padToMultipleOf != null) {
      pad = pad.withMultipleOf(padToMultipleOf);
    }
    return options.withPadding(pad);
  }

  /**
   * One encoding per text (or text pair), padded together when padding is on.
   *
   * @param inputs the request's texts, for naming the one the tokenizer refuses
   */
  static List<Encoding> encode(Tokenizer tokenizer, EncodeOptions options, Inputs inputs) {
    try {
      return encodeAll(tokenizer, options, inputs.texts(), inputs.pairs());
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException(culprit(tokenizer, options, inputs), e.getMessage());
    }
  }

  private static List<Encoding> encodeAll(
      Tokenizer tokenizer, EncodeOptions options, List<String> texts, List<String> pairs) {
    return tokenizer.encodePairBatch(texts, pairs, options);
  }

  /**
   * The field the tokenizer refused, found by encoding alone each text, then each pair text, with
   * padding off (only on the error path). Truncation that cannot fit is about {@code truncation}.
   */
  private static String culprit(Tokenizer tokenizer, EncodeOptions options, Inputs inputs) {
    EncodeOptions plain =
        options
            .withPadding(EncodeOptions.Padding.NONE)
            .withTruncation(EncodeOptions.Truncation.NONE);
    for (int i = 0; i < inputs.texts().size(); i++) {
      if (refuses(tokenizer, plain, inputs.texts().get(i))) {
        return inputs.single() ? "text" : "texts[" + i + "]";
      }
      if (inputs.pair(i) != null && refuses(tokenizer, plain, inputs.pair(i))) {
        return inputs.single() ? "text_pair" : "text_pairs[" + i + "]";
      }
    }
    return "truncation";
  }

  private static boolean refuses(Tokenizer tokenizer, EncodeOptions options, String text) {
    try {
      tokenizer.encode(text, options);
      return false;
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  private static EncodeOptions.SpecialTokens policy(SpecialTokens requested) {
    return requested == null
        ? EncodeOptions.SpecialTokens.PARSE
        : EncodeOptions.SpecialTokens.valueOf(requested.name());
  }
}
