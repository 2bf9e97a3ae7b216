package io.lmserve.tokenizer.processor;

import io.lmserve.tokenizer.Encoding;
import java.util.List;

/** {@code [CLS] A [SEP]} and {@code [CLS] A [SEP] B [SEP]}, type ids 0 then 1. */
public record BertProcessing(String sep, int sepId, String cls, int clsId)
    implements PostProcessor {

  @Override
  public int addedTokens(boolean pair) {
    return pair ? 3 : 2;
  }

  @Override
  public List<Encoding> process(List<Encoding> encodings, boolean addSpecialTokens) {
    if (!addSpecialTokens) {
      return encodings;
    }
    Encoding a = encodings.get(0).withTypeId(0);
    Encoding clsToken = Encoding.special(new int[] {clsId}, new String[] {cls}, 0);
    Encoding sepA = Encoding.special(new int[] {sepId}, new String[] {sep}, 0);
    if (encodings.size() == 1) {
      return List.of(clsToken, a, sepA);
    }
    Encoding b = encodings.get(1).withTypeId(1);
    Encoding sepB = Encoding.special(new int[] {sepId}, new String[] {sep}, 1);
    return List.of(clsToken, a, sepA, b, sepB);
  }
}
