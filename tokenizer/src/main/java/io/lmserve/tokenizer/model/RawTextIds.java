package io.lmserve.tokenizer.model;

import io.lmserve.tokenizer.normalizer.Normalizer;
import java.util.function.IntConsumer;

/**
 * A model that, paired with its own normalizer, turns raw text into ids in one step, skipping the
 * alignments the pipeline keeps for offsets. Used for ids-only encoding when nothing else (added
 * tokens, a pre-tokenizer) stands between the normalizer and the model.
 */
public interface RawTextIds {

  /** Whether {@link #encodeRawIds} normalizes exactly as {@code normalizer} does. */
  boolean normalizesAs(Normalizer normalizer);

  /** The ids of the model for {@code normalizer.normalize(text)}, as the pipeline would give. */
  void encodeRawIds(String text, IntConsumer ids);
}
