package io.lmserve.tokenizer.processor;

import io.lmserve.tokenizer.Encoding;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code <s> A </s>} and {@code <s> A </s></s> B </s>}, all type ids 0, optionally trimming
 * whitespace from byte-level offsets.
 */
public record RobertaProcessing(
    String sep, int sepId, String cls, int clsId, boolean trimOffsets, boolean addPrefixSpace)
    implements PostProcessor {

  @Override
  public int addedTokens(boolean pair) {
    return pair ? 4 : 2;
  }

  @Override
  public List<Encoding> process(List<Encoding> encodings, boolean addSpecialTokens) {
    List<Encoding> trimmed = new ArrayList<>();
    for (Encoding e : encodings) {
      Encoding t = trimOffsets ? ByteLevelProcessing.trim(e, addPrefixSpace) : e;
      trimmed.add(t.withTypeId(0));
    }
    if (!addSpecialTokens) {
      return trimmed;
    }
    Encoding s = Encoding.special(new int[] {clsId}, new String[] {cls}, 0);
    Encoding e = Encoding.special(new int[] {sepId}, new String[] {sep}, 0);
    if (trimmed.size() == 1) {
      return List.of(s, trimmed.get(0), e);
    }
    return List.of(s, trimmed.get(0), e, e, trimmed.get(1), e);
  }
}
