package io.lmserve.service.tokenize;

import io.lmserve.tokenizer.Encoding;
import io.lmserve.tokenizer.OffsetUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Lays encodings out as HF's {@code BatchEncoding}: one row per text, or per window. */
final class EncodeShaper {

  private EncodeShaper() {}

  static EncodeResponse shape(
      String model,
      EncodeRequest request,
      Inputs inputs,
      List<Encoding> encodings,
      OffsetUnit unit) {
    boolean overflowing = Boolean.TRUE.equals(request.returnOverflowing());
    List<Encoding> rows = new ArrayList<>();
    List<Integer> sample = new ArrayList<>();
    List<int[][]> offsets = new ArrayList<>();
    for (int i = 0; i < encodings.size(); i++) {
      for (Encoding row :
          overflowing ? encodings.get(i).withAllWindows() : List.of(encodings.get(i))) {
        rows.add(row);
        sample.add(i);
        offsets.add(row.offsets(unit, inputs.texts().get(i), inputs.pair(i)));
      }
    }
    // HF answers a single text with flat rows, unless windows make it several rows.
    boolean flat = inputs.single() && rows.size() == 1 && !overflowing;
    return new EncodeResponse(
        model,
        column(rows, Encoding::ids, flat),
        column(rows, Encoding::typeIds, flat),
        column(rows, Encoding::attentionMask, flat),
        Boolean.TRUE.equals(request.returnSpecialTokensMask())
            ? column(rows, Encoding::specialTokensMask, flat)
            : null,
        Boolean.TRUE.equals(request.returnOffsets()) ? (flat ? offsets.getFirst() : offsets) : null,
        Boolean.TRUE.equals(request.returnWordIds()) ? wordIds(rows, flat) : null,
        overflowing ? sample.stream().mapToInt(Integer::intValue).toArray() : null);
  }

  private static Object column(List<Encoding> rows, Function<Encoding, int[]> field, boolean flat) {
    return flat ? field.apply(rows.getFirst()) : rows.stream().map(field).toList();
  }

  /** HF's {@code word_ids()}: {@code null} where a token belongs to no word. */
  private static Object wordIds(List<Encoding> rows, boolean flat) {
    List<List<Integer>> all = new ArrayList<>(rows.size());
    for (Encoding row : rows) {
      List<Integer> words = new ArrayList<>(row.length());
      for (int w : row.wordIds()) {
        words.add(w < 0 ? null : w);
      }
      all.add(words);
    }
    return flat ? all.getFirst() : all;
  }
}
