package io.lmserve.tokenizer.sentencepiece;

import io.lmserve.tokenizer.Tokenizer;
import io.lmserve.tokenizer.sentencepiece.proto.ModelProto;
import io.lmserve.tokenizer.sentencepiece.proto.ModelProtoReader;
import io.lmserve.tokenizer.sentencepiece.proto.PieceType;
import io.lmserve.tokenizer.sentencepiece.proto.TrainerSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A SentencePiece model loaded from its {@code .model} file, encoding and decoding exactly as
 * SentencePiece's {@code spm_encode} / {@code spm_decode} do (same ids, same pieces), with offsets
 * into the original text. Immutable and thread-safe.
 */
public final class SentencePieceProcessor {

  private final ModelProto model;
  private final Vocabulary vocabulary;
  private final SpmNormalizer normalizer;
  private final Segmenter segmenter;
  private final SpmDecoder decoder;
  private final boolean byteFallback;

  private SentencePieceProcessor(ModelProto model) {
    this.model = model;
    this.vocabulary = new Vocabulary(model);
    boolean suffix = model.trainerSpec().treatWhitespaceAsSuffix();
    this.normalizer = new SpmNormalizer(model.normalizerSpec(), suffix, vocabulary.userDefined());
    this.segmenter =
        switch (model.trainerSpec().modelType()) {
          case UNIGRAM -> new UnigramSegmenter(vocabulary);
          case BPE -> new BpeSegmenter(vocabulary);
          case WORD -> new WordSegmenter(vocabulary, suffix);
          case CHAR -> new CharSegmenter(vocabulary);
        };
    this.decoder = new SpmDecoder(model, vocabulary);
    this.byteFallback = model.trainerSpec().byteFallback();
  }

  public static SentencePieceProcessor load(Path modelFile) throws IOException {
    return new SentencePieceProcessor(ModelProtoReader.read(modelFile));
  }

  public static SentencePieceProcessor of(ModelProto model) {
    return new SentencePieceProcessor(model);
  }

  public ModelProto model() {
    return model;
  }

  /**
   * The parts of a pipeline {@link Tokenizer} that encodes and decodes as this processor: its
   * normalizer, its segmentation as the model (no pre-tokenizer: SentencePiece segments the whole
   * text), its decoder; no post-processor and no added tokens, as {@code spm_encode} adds nothing
   * and never reads {@code <s>} in text as a control token.
   */
  public Tokenizer.Builder tokenizerBuilder() {
    return Tokenizer.builder()
        .normalizer(new SentencePieceNormalizer(normalizer))
        .model(new SentencePieceModel(model, vocabulary, segmenter, byteFallback, normalizer))
        .decoder(new SentencePieceDecoder(vocabulary, decoder));
  }

  /**
   * {@code config} with the unknown, bos, eos and pad pieces of the trainer spec as the {@code
   * unk_token}, {@code bos_token}, {@code eos_token} and {@code pad_token} roles it does not name
   * already (a role whose id is -1 or outside the vocabulary is left out).
   */
  public Tokenizer.TokenizerConfig withSpecialTokenRoles(Tokenizer.TokenizerConfig config) {
    Map<String, String> roles = new LinkedHashMap<>(config.specialTokens());
    TrainerSpec t = model.trainerSpec();
    int[] ids = {vocabulary.unkId(), t.bosId(), t.eosId(), t.padId()};
    String[] names = {"unk_token", "bos_token", "eos_token", "pad_token"};
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] >= 0 && ids[i] < vocabulary.size()) {
        roles.putIfAbsent(names[i], vocabulary.piece(ids[i]));
      }
    }
    return new Tokenizer.TokenizerConfig(
        config.family(), roles, config.cleanUpTokenizationSpaces(), config.modelMaxLength());
  }

  /** "sentencepiece-unigram", "sentencepiece-bpe", "sentencepiece-word" or "sentencepiece-char". */
  public String family() {
    return "sentencepiece-" + model.trainerSpec().modelType().name().toLowerCase(Locale.ROOT);
  }

  /** The text as SentencePiece normalizes it before segmentation ({@code ▁} for spaces). */
  public String normalize(String text) {
    return normalizer.normalize(text).text();
  }

  public EncodedPieces encode(String text) {
    NormalizedText normalized = normalizer.normalize(text);
    return pieces(normalized, segmenter.segment(normalized.bytes(), normalized.length()));
  }

  /** Largest n-best list SentencePiece computes. */
  public static final int MAX_NBEST = 1024;

  /**
   * The {@code n} best segmentations of a Unigram model, best first, as {@code spm_encode
   * --output_format=nbest_piece --nbest_size=n} lists them (n is clamped to [1, 1024]).
   */
  public List<EncodedPieces> nbest(String text, int n) {
    UnigramSegmenter unigram = requireUnigram("n-best segmentation");
    NormalizedText normalized = normalizer.normalize(text);
    if (normalized.length() == 0) {
      return List.of(pieces(normalized, new Segments()));
    }
    UnigramLattice lattice = new UnigramLattice(unigram, normalized.bytes(), normalized.length());
    List<EncodedPieces> out = new ArrayList<>();
    for (Segments s : lattice.nbest(Math.clamp(n, 1, MAX_NBEST))) {
      out.add(pieces(normalized, s));
    }
    return out;
  }

  /**
   * A segmentation of a Unigram model sampled for subword regularization: each segmentation with
   * probability proportional to {@code exp(alpha * score)} (SentencePiece's {@code --nbest_size=-1
   * --alpha}). Deterministic for a given {@code random} state; SentencePiece's own random numbers
   * cannot be reproduced, so samples differ from spm's while following the same distribution.
   */
  public EncodedPieces sample(String text, float alpha, java.util.random.RandomGenerator random) {
    NormalizedText normalized = normalizer.normalize(text);
    if (segmenter instanceof BpeSegmenter bpe) {
      return pieces(
          normalized, bpe.segment(normalized.bytes(), normalized.length(), alpha, random));
    }
    UnigramSegmenter unigram = requireUnigram("sampling");
    if (normalized.length() == 0) {
      return pieces(normalized, new Segments());
    }
    UnigramLattice lattice = new UnigramLattice(unigram, normalized.bytes(), normalized.length());
    return pieces(normalized, lattice.sample(alpha, random));
  }

  private UnigramSegmenter requireUnigram(String what) {
    if (!(segmenter instanceof UnigramSegmenter unigram)) {
      throw new UnsupportedOperationException(
          what + " needs a Unigram model; this one is " + model.trainerSpec().modelType());
    }
    return unigram;
  }

  /** A segmentation as spm reports it: byte fallback applied, unknown runs merged. */
  private EncodedPieces pieces(NormalizedText normalized, Segments segments) {
    Output out = new Output(segments.size());
    byte[] bytes = normalized.bytes();
    boolean previousUnknown = false;
    for (int i = 0; i < segments.size(); i++) {
      int id = segments.id(i);
      int from = segments.begin(i);
      int to = segments.end(i);
      boolean unknown = vocabulary.type(id) == PieceType.UNKNOWN;
      if (unknown && byteFallback) {
        for (int k = from; k < to; k++) {
          int byteId = vocabulary.byteId(bytes[k]);
          out.add(byteId, vocabulary.piece(byteId), normalized.spanStart(k), normalized.spanEnd(k));
        }
        continue;
      }
      int start = normalized.spanStart(from);
      int end = normalized.spanEnd(to - 1);
      if (unknown && previousUnknown) {
        // SentencePiece merges a run of unknown pieces into one, spelled as the text it covers.
        out.extendLast(normalized.text(from, to), end);
      } else {
        out.add(id, unknown ? normalized.text(from, to) : vocabulary.piece(id), start, end);
      }
      previousUnknown = unknown;
    }
    return out.result();
  }

  public int[] encodeIds(String text) {
    return encode(text).ids();
  }

  public String decode(int[] ids) {
    return decoder.decode(ids);
  }

  public int vocabSize() {
    return vocabulary.size();
  }

  public String idToPiece(int id) {
    if (id < 0 || id >= vocabulary.size()) {
      throw new IllegalArgumentException(
          "id " + id + " is outside the vocabulary [0, " + vocabulary.size() + ")");
    }
    return vocabulary.piece(id);
  }

  /** The id of a piece, or empty if the string is no piece of this model. */
  public OptionalInt pieceToId(String piece) {
    int id = vocabulary.exactId(piece);
    return id < 0 ? OptionalInt.empty() : OptionalInt.of(id);
  }

  public PieceType pieceType(int id) {
    idToPiece(id);
    return vocabulary.type(id);
  }

  public float score(int id) {
    idToPiece(id);
    return vocabulary.score(id);
  }

  public int unkId() {
    return vocabulary.unkId();
  }

  /** Collects the encoding's parallel arrays. */
  private static final class Output {
    private final List<String> pieces;
    private int[] ids;
    private int[] starts;
    private int[] ends;
    private int size;

    Output(int capacity) {
      pieces = new ArrayList<>(capacity);
      ids = new int[Math.max(4, capacity)];
      starts = new int[ids.length];
      ends = new int[ids.length];
    }

    void add(int id, String piece, int start, int end) {
      if (size == ids.length) {
        ids = java.util.Arrays.copyOf(ids, size * 2);
        starts = java.util.Arrays.copyOf(starts, size * 2);
        ends = java.util.Arrays.copyOf(ends, size * 2);
      }
      ids[size] = id;
      starts[size] = start;
      ends[size] = end;
      pieces.add(piece);
      size++;
    }

    void extendLast(String piece, int end) {
      pieces.set(size - 1, pieces.get(size - 1) + piece);
      ends[size - 1] = end;
    }

    EncodedPieces result() {
      return new EncodedPieces(
          java.util.Arrays.copyOf(ids, size),
          pieces.toArray(String[]::new),
          java.util.Arrays.copyOf(starts, size),
          java.util.Arrays.copyOf(ends, size));
    }
  }
}
