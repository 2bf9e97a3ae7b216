package io.lmserve.tokenizer.sentencepiece.proto;

/**
 * How text is normalized before segmentation (or denormalized after decoding).
 *
 * @param name the rule's name, e.g. {@code nmt_nfkc} or {@code identity}
 * @param precompiledCharsMap the compiled rule (a double-array trie plus replacement strings);
 *     empty for the identity rule
 * @param addDummyPrefix whether a whitespace is put before the text, so that the first word looks
 *     like every other word
 * @param removeExtraWhitespaces whether leading, trailing and repeated whitespace is dropped
 * @param escapeWhitespaces whether spaces become U+2581 ({@code ▁})
 */
public record NormalizerSpec(
    String name,
    byte[] precompiledCharsMap,
    boolean addDummyPrefix,
    boolean removeExtraWhitespaces,
    boolean escapeWhitespaces) {

  public NormalizerSpec {
    precompiledCharsMap = precompiledCharsMap.clone();
  }

  @Override
  public byte[] precompiledCharsMap() {
    return precompiledCharsMap.clone();
  }

  /** The options of a spec with no fields set. */
  public static NormalizerSpec defaults() {
    return new NormalizerSpec("", new byte[0], true, true, true);
  }

  /** The identity rule with no whitespace handling: what a missing denormalizer spec means. */
  public static NormalizerSpec none() {
    return new NormalizerSpec("", new byte[0], false, false, false);
  }
}
