package io.lmserve.tokenizer.processor;

import io.lmserve.tokenizer.Encoding;
import java.util.List;

/** Applies post-processors in order. */
public record PostProcessorSequence(List<PostProcessor> processors) implements PostProcessor {
  public PostProcessorSequence {
    processors = List.copyOf(processors);
  }

  @Override
  public int addedTokens(boolean pair) {
    int n = 0;
    for (PostProcessor p : processors) {
      n += p.addedTokens(pair);
    }
    return n;
  }

  @Override
  public List<Encoding> process(List<Encoding> encodings, boolean addSpecialTokens) {
    for (PostProcessor p : processors) {
      encodings = p.process(encodings, addSpecialTokens);
    }
    return encodings;
  }
}
