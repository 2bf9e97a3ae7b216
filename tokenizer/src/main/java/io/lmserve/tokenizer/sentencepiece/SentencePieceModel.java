package io.lmserve.tokenizer.sentencepiece;

import io.lmserve.tokenizer.Tokenizer;
import io.lmserve.tokenizer.model.Model;
import io.lmserve.tokenizer.model.RawTextIds;
import io.lmserve.tokenizer.normalizer.Normalizer;
import io.lmserve.tokenizer.sentencepiece.proto.ModelProto;
import io.lmserve.tokenizer.sentencepiece.proto.ModelProtoWriter;
import io.lmserve.tokenizer.sentencepiece.proto.PieceType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The segmentation of a {@code .model} file as a pipeline stage, fed the whole text as one word
 * (SentencePiece does not pre-split): ids exactly as {@code spm_encode} gives them.
 *
 * <p>A run of unknown characters is one unknown token whose token string is the (normalized)
 * characters themselves, as {@code spm_encode} prints it. With byte fallback every byte piece spans
 * its whole character.
 */
public final class SentencePieceModel implements Model, RawTextIds {

  private final ModelProto model;
  private final Vocabulary pieces;
  private final Segmenter segmenter;
  private final boolean byteFallback;
  private final io.lmserve.tokenizer.model.Vocabulary vocabulary;
  private final SpmNormalizer normalizer; // the normalizer this model's text comes from

  SentencePieceModel(
      ModelProto model,
      Vocabulary pieces,
      Segmenter segmenter,
      boolean byteFallback,
      SpmNormalizer normalizer) {
    this.model = model;
    this.normalizer = normalizer;
    this.pieces = pieces;
    this.segmenter = segmenter;
    this.byteFallback = byteFallback;
    Map<String, Integer> map = new LinkedHashMap<>();
    for (int id = 0; id < pieces.size(); id++) {
      map.putIfAbsent(pieces.piece(id), id);
    }
    this.vocabulary = new io.lmserve.tokenizer.model.Vocabulary(map);
  }

  @Override
  public void tokenize(String word, TokenSink sink) {
    Utf8Text text = Utf8Text.of(word);
    byte[] bytes = text.bytes();
    Segments segments = segmenter.segment(bytes, bytes.length);
    int runStart = -1; // start of a pending run of unknown pieces
    int runEnd = -1;
    int runFirstByte = -1; // the run's bytes, for its text as spm prints it
    int runEndByte = -1;
    for (int i = 0; i < segments.size(); i++) {
      int id = segments.id(i);
      int from = segments.begin(i);
      int to = segments.end(i);
      if (pieces.type(id) != PieceType.UNKNOWN) {
        if (runStart >= 0) {
          sink.token(pieces.unkId(), surface(bytes, runFirstByte, runEndByte), runStart, runEnd);
          runStart = -1;
        }
        sink.token(id, text.charStart()[from], text.charEnd()[to - 1]);
      } else if (byteFallback) {
        for (int k = from; k < to; k++) {
          sink.token(pieces.byteId(bytes[k]), text.charStart()[k], text.charEnd()[k]);
        }
      } else {
        if (runStart < 0) {
          runStart = text.charStart()[from];
          runFirstByte = from;
        }
        runEnd = text.charEnd()[to - 1];
        runEndByte = to;
      }
    }
    if (runStart >= 0) {
      sink.token(pieces.unkId(), surface(bytes, runFirstByte, runEndByte), runStart, runEnd);
    }
  }

  /** Text as spm prints it: from the UTF-8 bytes (a lone surrogate shows as U+FFFD). */
  private static String surface(byte[] bytes, int from, int to) {
    return new String(bytes, from, to - from, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public boolean normalizesAs(Normalizer other) {
    return other instanceof SentencePieceNormalizer n && n.normalizer() == normalizer;
  }

  /**
   * Normalizes and segments on UTF-8 bytes throughout, as {@code spm_encode} does: no Java string
   * of the normalized text and no offsets. Unknown runs and byte fallback as in {@link #tokenize}.
   */
  @Override
  public void encodeRawIds(String text, IntConsumer ids) {
    NormalizedText normalized = normalizer.normalizeWithoutSpans(text);
    if (normalized.length() == 0) {
      return;
    }
    byte[] bytes = normalized.bytes();
    Segments segments = segmenter.segment(bytes, normalized.length());
    boolean inUnknownRun = false;
    for (int i = 0; i < segments.size(); i++) {
      int id = segments.id(i);
      if (pieces.type(id) != PieceType.UNKNOWN) {
        ids.accept(id);
        inUnknownRun = false;
      } else if (byteFallback) {
        for (int k = segments.begin(i); k < segments.end(i); k++) {
          ids.accept(pieces.byteId(bytes[k]));
        }
      } else if (!inUnknownRun) {
        ids.accept(pieces.unkId());
        inUnknownRun = true;
      }
    }
  }

  @Override
  public io.lmserve.tokenizer.model.Vocabulary vocabulary() {
    return vocabulary;
  }

  /** The model this was loaded from. */
  public ModelProto modelProto() {
    return model;
  }

  /** The {@code .model} file of this model. */
  public byte[] modelFile() {
    return ModelProtoWriter.write(model);
  }

  /**
   * {@code tokenizer} (which uses this model) re-expressed for HF tokenizers ({@link
   * HfTokenizerForm}), keeping its added tokens, post-processor, options and configuration.
   */
  public Tokenizer hfForm(Tokenizer tokenizer) {
    Tokenizer.Builder b =
        HfTokenizerForm.of(model)
            .config(tokenizer.config())
            .defaultOptions(tokenizer.defaultOptions())
            .postProcessor(tokenizer.postProcessor());
    tokenizer.addedVocabulary().entries().forEach(e -> b.addedToken(e.id(), e.token()));
    return b.build();
  }

  /** The piece type of {@code id} (normal, control, byte, …). */
  public PieceType pieceType(int id) {
    return pieces.type(id);
  }
}
