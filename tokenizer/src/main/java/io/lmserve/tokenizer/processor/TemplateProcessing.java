package io.lmserve.tokenizer.processor;

import io.lmserve.tokenizer.Encoding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HF's TemplateProcessing: a template such as {@code [CLS]:0 $A:0 [SEP]:0} for single texts and one
 * with {@code $B} for pairs, plus the ids of each named special token.
 */
public record TemplateProcessing(
    List<Piece> single, List<Piece> pair, Map<String, SpecialToken> specialTokens)
    implements PostProcessor {

  /** A template element: a sequence ({@code A} or {@code B}) or a named special token. */
  public sealed interface Piece {
    int typeId();
  }

  public record SequencePiece(boolean isB, int typeId) implements Piece {}

  public record SpecialPiece(String name, int typeId) implements Piece {}

  /** The ids and tokens a special-token name stands for (usually one). */
  public record SpecialToken(String name, int[] ids, String[] tokens) {}

  public TemplateProcessing {
    single = List.copyOf(single);
    pair = List.copyOf(pair);
    specialTokens = Map.copyOf(specialTokens);
    for (List<Piece> template : List.of(single, pair)) {
      for (Piece p : template) {
        if (p instanceof SpecialPiece s && !specialTokens.containsKey(s.name())) {
          throw new IllegalArgumentException(
              "TemplateProcessing: special token '" + s.name() + "' is used but not defined");
        }
      }
    }
  }

  @Override
  public int addedTokens(boolean isPair) {
    int n = 0;
    for (Piece p : isPair ? pair : single) {
      if (p instanceof SpecialPiece s) {
        n += specialTokens.get(s.name()).ids().length;
      }
    }
    return n;
  }

  @Override
  public List<Encoding> process(List<Encoding> encodings, boolean addSpecialTokens) {
    List<Piece> template = encodings.size() > 1 ? pair : single;
    List<Encoding> out = new ArrayList<>(template.size());
    for (Piece p : template) {
      switch (p) {
        case SequencePiece s -> {
          int index = s.isB() ? 1 : 0;
          if (index < encodings.size()) {
            out.add(encodings.get(index).withTypeId(s.typeId()).withSequenceId(index));
          }
        }
        case SpecialPiece s -> {
          if (addSpecialTokens) {
            SpecialToken t = specialTokens.get(s.name());
            out.add(Encoding.special(t.ids(), t.tokens(), s.typeId()));
          }
        }
      }
    }
    return out;
  }
}
