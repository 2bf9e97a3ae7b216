package io.lmserve.tokenizer.sentencepiece;

import io.lmserve.tokenizer.AddedToken;
import io.lmserve.tokenizer.Tokenizer;
import io.lmserve.tokenizer.decoder.ByteFallbackDecoder;
import io.lmserve.tokenizer.decoder.DecoderSequence;
import io.lmserve.tokenizer.decoder.FuseDecoder;
import io.lmserve.tokenizer.decoder.ReplaceDecoder;
import io.lmserve.tokenizer.decoder.StripDecoder;
import io.lmserve.tokenizer.model.Bpe;
import io.lmserve.tokenizer.model.Model;
import io.lmserve.tokenizer.model.Unigram;
import io.lmserve.tokenizer.model.Vocabulary;
import io.lmserve.tokenizer.normalizer.Normalizer;
import io.lmserve.tokenizer.normalizer.NormalizerSequence;
import io.lmserve.tokenizer.normalizer.Precompiled;
import io.lmserve.tokenizer.normalizer.Prepend;
import io.lmserve.tokenizer.normalizer.Replace;
import io.lmserve.tokenizer.normalizer.Strip;
import io.lmserve.tokenizer.normalizer.TextPattern;
import io.lmserve.tokenizer.pretokenizer.Metaspace;
import io.lmserve.tokenizer.sentencepiece.proto.ModelProto;
import io.lmserve.tokenizer.sentencepiece.proto.ModelType;
import io.lmserve.tokenizer.sentencepiece.proto.NormalizerSpec;
import io.lmserve.tokenizer.sentencepiece.proto.Piece;
import io.lmserve.tokenizer.sentencepiece.proto.PieceType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A SentencePiece model re-expressed as an HF {@code tokenizer.json} pipeline, the way HF's
 * converters do it: Unigram with a Metaspace pre-tokenizer, BPE with merges extracted from the
 * vocabulary and whitespace handled by the normalizer, the charsmap as a {@code Precompiled}
 * normalizer, control and unknown pieces as special added tokens. This is what {@code
 * Tokenizer.save} writes for a {@code .model} tokenizer so that HF tokenizers can load it; it
 * behaves like HF, which differs from SentencePiece in rare cases (see DISAGREEMENTS.md).
 */
public final class HfTokenizerForm {

  private static final char SPACE_SYMBOL = '\u2581';

  private HfTokenizerForm() {}

  public static Tokenizer.Builder of(ModelProto model) {
    if (model.trainerSpec().modelType() != ModelType.UNIGRAM
        && model.trainerSpec().modelType() != ModelType.BPE) {
      throw new IllegalArgumentException(
          "HF tokenizers has no form for SentencePiece "
              + model.trainerSpec().modelType()
              + " models");
    }
    NormalizerSpec spec = model.normalizerSpec();
    List<Normalizer> normalizers = new ArrayList<>();
    if (spec.precompiledCharsMap().length > 0) {
      normalizers.add(new Precompiled(spec.precompiledCharsMap()));
    }
    if (spec.removeExtraWhitespaces()) {
      normalizers.add(new Strip(true, true));
      normalizers.add(new Replace(TextPattern.regex(" {2,}"), " "));
    }
    Tokenizer.Builder b = Tokenizer.builder();
    boolean unigram = model.trainerSpec().modelType() == ModelType.UNIGRAM;
    if (unigram) {
      b.preTokenizer(
          new Metaspace(
              SPACE_SYMBOL,
              spec.addDummyPrefix()
                  ? Metaspace.PrependScheme.ALWAYS
                  : Metaspace.PrependScheme.NEVER,
              true));
      b.model(unigram(model));
    } else {
      // Llama style: whitespace becomes ▁ in the normalizer, no pre-tokenizer split.
      if (spec.addDummyPrefix()) {
        normalizers.add(new Prepend(String.valueOf(SPACE_SYMBOL)));
      }
      normalizers.add(new Replace(TextPattern.literal(" "), String.valueOf(SPACE_SYMBOL)));
      b.model(bpe(model));
    }
    if (!normalizers.isEmpty()) {
      b.normalizer(new NormalizerSequence(normalizers));
    }
    b.decoder(
        new DecoderSequence(
            List.of(
                new ReplaceDecoder(TextPattern.literal(String.valueOf(SPACE_SYMBOL)), " "),
                new ByteFallbackDecoder(),
                new FuseDecoder(),
                new StripDecoder(' ', spec.addDummyPrefix() ? 1 : 0, 0))));
    List<Piece> pieces = model.pieces();
    for (int id = 0; id < pieces.size(); id++) {
      PieceType type = pieces.get(id).type();
      if (type == PieceType.CONTROL || type == PieceType.UNKNOWN) {
        b.addedToken(id, AddedToken.special(pieces.get(id).piece()));
      }
    }
    return b;
  }

  private static Model unigram(ModelProto model) {
    List<Unigram.Piece> pieces = new ArrayList<>();
    for (Piece p : model.pieces()) {
      pieces.add(new Unigram.Piece(p.piece(), p.score()));
    }
    return new Unigram(pieces, unkId(model), model.trainerSpec().byteFallback());
  }

  private static int unkId(ModelProto model) {
    for (int id = 0; id < model.pieces().size(); id++) {
      if (model.pieces().get(id).type() == PieceType.UNKNOWN) {
        return id;
      }
    }
    return -1;
  }

  /**
   * BPE with the merges HF's SentencePiece extractor derives: for every piece, each split into two
   * pieces that both exist (ordered by their ids), all ordered by the merged piece's score.
   */
  private static Model bpe(ModelProto model) {
    Map<String, Integer> vocab = new LinkedHashMap<>();
    List<Piece> pieces = model.pieces();
    for (int id = 0; id < pieces.size(); id++) {
      vocab.put(pieces.get(id).piece(), id);
    }
    record Candidate(String left, String right, float score) {}
    List<Candidate> merges = new ArrayList<>();
    for (Piece p : pieces) {
      String s = p.piece();
      List<Candidate> local = new ArrayList<>();
      for (int k = s.offsetByCodePoints(0, 1); k < s.length(); k = s.offsetByCodePoints(k, 1)) {
        String left = s.substring(0, k);
        String right = s.substring(k);
        if (vocab.containsKey(left) && vocab.containsKey(right)) {
          local.add(new Candidate(left, right, p.score()));
        }
      }
      local.sort(
          Comparator.comparingInt((Candidate c) -> vocab.get(c.left()))
              .thenComparingInt(c -> vocab.get(c.right())));
      merges.addAll(local);
    }
    merges.sort(Comparator.comparingDouble((Candidate c) -> c.score()).reversed());
    List<Bpe.Merge> list = new ArrayList<>(merges.size());
    merges.forEach(c -> list.add(new Bpe.Merge(c.left(), c.right())));
    int unk = unkId(model);
    return new Bpe(
        new Vocabulary(vocab),
        list,
        new Bpe.Options(
            null,
            unk < 0 ? null : pieces.get(unk).piece(),
            null,
            null,
            true,
            model.trainerSpec().byteFallback(),
            false));
  }
}
