package io.lmserve.tokenizer;

import io.lmserve.tokenizer.EncodeOptions.Direction;
import java.util.ArrayList;
import java.util.List;

/** HF's padding: pad tokens with attention 0, no word, no sequence, offsets [0, 0]. */
final class Padding {

  private Padding() {}

  static int target(EncodeOptions.Padding p, int longest) {
    int target = p.strategy() == EncodeOptions.Padding.Strategy.MAX_LENGTH ? p.length() : longest;
    int m = p.multipleOf();
    if (m > 1 && target % m != 0) {
      target += m - target % m;
    }
    return target;
  }

  /** {@code e} (and its overflowing windows) padded to {@code length}. */
  static Encoding pad(
      Encoding e, int length, int padId, int padTypeId, String padToken, Direction direction) {
    List<Encoding> overflow = new ArrayList<>(e.overflowing().size());
    for (Encoding o : e.overflowing()) {
      overflow.add(pad(o, length, padId, padTypeId, padToken, direction));
    }
    int n = e.length();
    if (n >= length) {
      return overflow.isEmpty() ? e : e.withOverflowing(overflow);
    }
    int extra = length - n;
    int[] ids = new int[extra];
    String[] tokens = new String[extra];
    java.util.Arrays.fill(ids, padId);
    java.util.Arrays.fill(tokens, padToken);
    Encoding pads = Encoding.special(ids, tokens, padTypeId);
    pads =
        new Encoding(
            pads.ids(),
            pads.tokens(),
            pads.typeIds(),
            new int[extra],
            pads.specialTokensMask(),
            pads.offsets(),
            pads.wordIds(),
            pads.sequenceIds(),
            List.of());
    Encoding padded =
        direction == Direction.RIGHT
            ? Encoding.concat(List.of(e, pads))
            : Encoding.concat(List.of(pads, e));
    return padded.withOverflowing(overflow);
  }
}
