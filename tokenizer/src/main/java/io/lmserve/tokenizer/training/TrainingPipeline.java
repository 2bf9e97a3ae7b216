package io.lmserve.tokenizer.training;

import io.lmserve.tokenizer.decoder.BpeDecoder;
import io.lmserve.tokenizer.decoder.ByteFallbackDecoder;
import io.lmserve.tokenizer.decoder.ByteLevelDecoder;
import io.lmserve.tokenizer.decoder.Decoder;
import io.lmserve.tokenizer.decoder.DecoderSequence;
import io.lmserve.tokenizer.decoder.FuseDecoder;
import io.lmserve.tokenizer.decoder.ReplaceDecoder;
import io.lmserve.tokenizer.decoder.StripDecoder;
import io.lmserve.tokenizer.decoder.WordPieceDecoder;
import io.lmserve.tokenizer.normalizer.BertNormalizer;
import io.lmserve.tokenizer.normalizer.Normalizer;
import io.lmserve.tokenizer.normalizer.NormalizerSequence;
import io.lmserve.tokenizer.normalizer.Replace;
import io.lmserve.tokenizer.normalizer.Strip;
import io.lmserve.tokenizer.normalizer.TextPattern;
import io.lmserve.tokenizer.normalizer.UnicodeNormalizer;
import io.lmserve.tokenizer.pretokenizer.BertPreTokenizer;
import io.lmserve.tokenizer.pretokenizer.ByteLevel;
import io.lmserve.tokenizer.pretokenizer.Metaspace;
import io.lmserve.tokenizer.pretokenizer.PreTokenizer;
import io.lmserve.tokenizer.pretokenizer.WhitespaceSplit;
import java.util.List;

/**
 * The normalizer, pre-tokenizer and decoder of each trainer type: the trainer counts words through
 * the first two, and the trained tokenizer carries all three.
 *
 * <ul>
 *   <li>bpe: whitespace words, {@code </w>} decoder.
 *   <li>byte-bpe: GPT-2's ByteLevel (regex split, byte alphabet, no prefix space).
 *   <li>wordpiece: BERT's normalizer (lowercase and accents stripped unless cased) and
 *       pre-tokenizer.
 *   <li>unigram, spm-bpe: NFKC, whitespace runs to one space, strip, then {@code ▁} before every
 *       word (SentencePiece's {@code nmt_nfkc} also drops control characters; NFKC does not).
 * </ul>
 *
 * @param maxLineBytes longer lines are skipped while training (SentencePiece types: {@code
 *     spm_train}'s {@code max_sentence_length}, 4192); 0 for no limit
 */
record TrainingPipeline(
    Normalizer normalizer, PreTokenizer preTokenizer, Decoder decoder, int maxLineBytes) {

  /** The whitespace stand-in of SentencePiece, U+2581. */
  static final char META = '\u2581';

  static final int SPM_MAX_SENTENCE_BYTES = 4192;

  static TrainingPipeline of(TrainingOptions options) {
    return switch (options.type()) {
      case BPE -> new TrainingPipeline(null, new WhitespaceSplit(), new BpeDecoder("</w>"), 0);
      case BYTE_BPE ->
          new TrainingPipeline(null, new ByteLevel(false, true, true), new ByteLevelDecoder(), 0);
      case WORDPIECE ->
          new TrainingPipeline(
              new BertNormalizer(true, true, null, options.lowercase()),
              new BertPreTokenizer(),
              new WordPieceDecoder("##", true),
              0);
      case UNIGRAM, SENTENCEPIECE_BPE ->
          new TrainingPipeline(
              new NormalizerSequence(
                  List.of(
                      new UnicodeNormalizer(UnicodeNormalizer.Form.NFKC),
                      new Replace(TextPattern.regex("\\s+"), " "),
                      new Strip(true, true))),
              new Metaspace(META, Metaspace.PrependScheme.ALWAYS, true),
              new DecoderSequence(
                  List.of(
                      new ReplaceDecoder(TextPattern.literal(String.valueOf(META)), " "),
                      new ByteFallbackDecoder(),
                      new FuseDecoder(),
                      new StripDecoder(' ', 1, 0))),
              SPM_MAX_SENTENCE_BYTES);
    };
  }

  WordSplitter words() {
    return new PipelineWords(normalizer, preTokenizer, maxLineBytes);
  }
}
