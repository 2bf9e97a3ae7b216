package io.lmserve.tokenizer;

import io.lmserve.tokenizer.decoder.Decoder;
import io.lmserve.tokenizer.decoder.WordPieceDecoder;
import io.lmserve.tokenizer.json.TokenizerFiles;
import io.lmserve.tokenizer.model.Model;
import io.lmserve.tokenizer.model.RawTextIds;
import io.lmserve.tokenizer.normalizer.NormalizedString;
import io.lmserve.tokenizer.normalizer.Normalizer;
import io.lmserve.tokenizer.pretokenizer.PreTokenizer;
import io.lmserve.tokenizer.processor.PostProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.IntStream;

/**
 * An HF-compatible tokenizer: added tokens → normalizer → pre-tokenizer → model → truncation →
 * post-processor → padding, and a decoder for the way back. Immutable and thread-safe; every option
 * is per call ({@link EncodeOptions}).
 */
public final class Tokenizer {

  private final Normalizer normalizer;
  private final PreTokenizer preTokenizer;
  private final Model model;
  private final PostProcessor postProcessor;
  private final Decoder decoder;
  private final AddedVocabulary addedVocabulary;
  private final EncodeOptions defaultOptions;
  private final TokenizerConfig config;
  private final ByteLevelBpeIds byteLevelIds; // null unless the pipeline is byte-level BPE
  private final RawTextIds rawTextIds; // null unless the model can take raw text (SentencePiece)
  private final BertWordPieceEncoder bertWordPiece; // null unless the pipeline is BERT's

  private Tokenizer(Builder b) {
    if (b.model == null) {
      throw new IllegalArgumentException("a tokenizer needs a model");
    }
    this.normalizer = b.normalizer;
    this.preTokenizer = b.preTokenizer;
    this.model = b.model;
    this.postProcessor = b.postProcessor;
    this.decoder = b.decoder;
    this.addedVocabulary = new AddedVocabulary(b.addedTokens, b.normalizer);
    this.defaultOptions = b.defaultOptions;
    this.config = b.config;
    this.byteLevelIds = ByteLevelBpeIds.of(b.preTokenizer, b.model);
    this.bertWordPiece =
        BertWordPieceEncoder.of(b.normalizer, b.preTokenizer, b.model, addedVocabulary);
    this.rawTextIds =
        b.model instanceof RawTextIds r
                && b.preTokenizer == null
                && addedVocabulary.entries().isEmpty()
                && r.normalizesAs(b.normalizer)
            ? r
            : null;
  }

  /**
   * Loads a {@code tokenizer.json}, a BERT {@code vocab.txt}, a GPT-2 {@code vocab.json} (with
   * {@code merges.txt} beside it), or a folder holding them (in that order of preference).
   */
  public static Tokenizer load(Path fileOrFolder) {
    try {
      return TokenizerFiles.load(fileOrFolder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tokenizer from " + fileOrFolder, e);
    }
  }

  /** Writes {@code tokenizer.json} and the family's native files into {@code folder}. */
  public void save(Path folder) {
    try {
      TokenizerFiles.save(this, folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save tokenizer to " + folder, e);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this tokenizer's parts, to derive a modified tokenizer. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.normalizer = normalizer;
    b.preTokenizer = preTokenizer;
    b.model = model;
    b.postProcessor = postProcessor;
    b.decoder = decoder;
    b.addedTokens = new ArrayList<>(addedVocabulary.entries());
    b.defaultOptions = defaultOptions;
    b.config = config;
    return b;
  }

  // ---- encoding

  /** Encodes with this tokenizer's {@link #defaultOptions()}. */
  public Encoding encode(String text) {
    return encode(text, defaultOptions);
  }

  public Encoding encode(String text, EncodeOptions options) {
    return encodePair(text, null, options);
  }

  /** The ids of {@link #encode(String)}, computed without tokens, offsets or masks. */
  public int[] encodeIds(String text) {
    return encodeIds(text, defaultOptions);
  }

  /**
   * Exactly {@code encode(text, options).ids()}, computed without token strings, offsets or masks.
   * Byte-level BPE (GPT-2's pipeline) has a dedicated path that never builds alignments, and so
   * does a SentencePiece {@code .model} without added tokens (normalized and segmented on bytes);
   * any other pipeline runs its stages and keeps only the ids. Truncation and padding need the full
   * encoding and take the full path.
   */
  public int[] encodeIds(String text, EncodeOptions options) {
    if (text == null) {
      throw new IllegalArgumentException("text must not be null");
    }
    if (options.truncation().strategy() != EncodeOptions.Truncation.Strategy.NONE
        || options.padding().strategy() != EncodeOptions.Padding.Strategy.NONE) {
      return encode(text, options).ids();
    }
    IdsBuffer ids = new IdsBuffer(text.length() / 3 + 4);
    if (normalizer == null && byteLevelIds != null) {
      addedVocabulary.splitRanges(
          text,
          options.specialTokens(),
          (start, end, addedId) -> {
            if (addedId >= 0) {
              ids.add(addedId);
            } else {
              byteLevelIds.encode(text, start, end, ids);
            }
          });
    } else if (rawTextIds != null) {
      rawTextIds.encodeRawIds(text, ids::add);
    } else if (bertWordPiece != null) {
      encodeBert(text, options.specialTokens(), (id, start, end, word) -> ids.add(id));
    } else {
      sequenceIds(text, options.specialTokens(), ids);
    }
    int[] sequence = ids.toArray();
    if (!options.addSpecialTokens()
        || postProcessor == null
        || postProcessor.addedTokens(false) == 0) {
      return sequence; // a post-processor that adds no token leaves ids alone
    }
    String[] tokens = new String[sequence.length];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = tokenString(sequence[i]);
    }
    return postProcess(Encoding.withoutOffsets(sequence, tokens, 0), null, true).ids();
  }

  /** The ids of one text through added tokens, normalizer, pre-tokenizer and model. */
  private void sequenceIds(String text, EncodeOptions.SpecialTokens policy, IdsBuffer ids) {
    List<NormalizedString> words = new ArrayList<>();
    for (AddedVocabulary.Piece piece : addedVocabulary.split(text, normalizer, policy)) {
      if (piece.isAddedToken()) {
        ids.add(piece.addedTokenId());
        continue;
      }
      words.clear();
      if (preTokenizer == null) {
        if (!piece.text().isEmpty()) {
          words.add(piece.text());
        }
      } else {
        preTokenizer.preTokenize(piece.text(), words);
      }
      for (NormalizedString word : words) {
        model.tokenize(word.normalized(), (id, start, end) -> ids.add(id));
      }
    }
  }

  /** Encodes {@code text} and {@code pair} (null for none) as one input, e.g. [CLS] A [SEP] B. */
  public Encoding encodePair(String text, String pair, EncodeOptions options) {
    Encoding e = encodeUnpadded(text, pair, options);
    EncodeOptions.Padding p = options.padding();
    if (p.strategy() == EncodeOptions.Padding.Strategy.NONE) {
      return e;
    }
    return pad(e, Padding.target(p, e.length()), p);
  }

  /** Encodes texts in parallel; results are in input order, padded together if asked. */
  public List<Encoding> encodeBatch(List<String> texts, EncodeOptions options) {
    return encodePairBatch(texts, null, options);
  }

  /** Encodes pairs {@code (texts[i], pairs[i])} in parallel; {@code pairs} may be null. */
  public List<Encoding> encodePairBatch(
      List<String> texts, List<String> pairs, EncodeOptions options) {
    if (pairs != null && pairs.size() != texts.size()) {
      throw new IllegalArgumentException(
          "encodePairBatch: " + texts.size() + " texts but " + pairs.size() + " pairs");
    }
    List<Encoding> encoded =
        IntStream.range(0, texts.size())
            .parallel()
            .mapToObj(
                i -> encodeUnpadded(texts.get(i), pairs == null ? null : pairs.get(i), options))
            .toList();
    EncodeOptions.Padding p = options.padding();
    if (p.strategy() == EncodeOptions.Padding.Strategy.NONE) {
      return encoded;
    }
    int longest = 0;
    for (Encoding e : encoded) {
      longest = Math.max(longest, e.length());
    }
    int target = Padding.target(p, longest);
    List<Encoding> out = new ArrayList<>(encoded.size());
    for (Encoding e : encoded) {
      out.add(pad(e, target, p));
    }
    return out;
  }

  private Encoding pad(Encoding e, int target, EncodeOptions.Padding p) {
    String padToken = p.padToken();
    int padId = p.padId();
    if (padToken == null) {
      padToken = config.specialTokens().get("pad_token");
      OptionalInt id = padToken == null ? OptionalInt.empty() : tokenToId(padToken);
      if (id.isPresent()) {
        padId = id.getAsInt();
      } else {
        padToken = idToToken(padId);
      }
    } else {
      OptionalInt id = tokenToId(padToken);
      if (id.isPresent()) {
        padId = id.getAsInt();
      }
    }
    return Padding.pad(e, target, padId, p.padTypeId(), padToken, p.direction());
  }

  private Encoding encodeUnpadded(String text, String pair, EncodeOptions options) {
    if (text == null) {
      throw new IllegalArgumentException("text must not be null");
    }
    Encoding a = encodeSequence(text, 0, options.specialTokens());
    Encoding b = pair == null ? null : encodeSequence(pair, 1, options.specialTokens());
    EncodeOptions.Truncation t = options.truncation();
    if (t.strategy() != EncodeOptions.Truncation.Strategy.NONE) {
      int added =
          options.addSpecialTokens() && postProcessor != null
              ? postProcessor.addedTokens(b != null)
              : 0;
      int maxLength = t.maxLength() - added;
      if (maxLength < 0 || (maxLength > 0 && t.stride() >= maxLength)) {
        throw new IllegalArgumentException(
            "truncation maxLength "
                + t.maxLength()
                + " leaves no room after "
                + added
                + " special tokens (stride "
                + t.stride()
                + ")");
      }
      Encoding[] cut = Truncation.truncate(a, b, t, maxLength);
      a = cut[0];
      b = cut[1];
    }
    Encoding main = postProcess(a, b, options.addSpecialTokens());
    // Overflowing windows, combined as HF does: each of ours with the pair and its windows,
    // then ourselves with each window of the pair.
    List<Encoding> overflow = new ArrayList<>();
    for (Encoding ao : a.overflowing()) {
      overflow.add(postProcess(ao, b == null ? null : b.withOverflowing(List.of()), options));
      if (b != null) {
        for (Encoding bo : b.overflowing()) {
          overflow.add(postProcess(ao, bo, options));
        }
      }
    }
    if (b != null) {
      for (Encoding bo : b.overflowing()) {
        overflow.add(postProcess(a, bo, options));
      }
    }
    return overflow.isEmpty() ? main : main.withOverflowing(overflow);
  }

  private Encoding postProcess(Encoding a, Encoding b, EncodeOptions options) {
    return postProcess(a, b, options.addSpecialTokens());
  }

  private Encoding postProcess(Encoding a, Encoding b, boolean addSpecialTokens) {
    List<Encoding> parts = b == null ? List.of(a) : List.of(a, b);
    if (postProcessor != null) {
      parts = postProcessor.process(parts, addSpecialTokens);
    }
    return Encoding.concat(parts);
  }

  /** One text through added tokens, normalizer, pre-tokenizer and model. */
  private Encoding encodeSequence(String text, int sequenceId, EncodeOptions.SpecialTokens policy) {
    SequenceBuilder out = new SequenceBuilder(text.length() / 3 + 4);
    if (bertWordPiece != null) {
      encodeBert(
          text, policy, (id, start, end, word) -> out.add(id, tokenString(id), start, end, word));
      return out.build(sequenceId);
    }
    List<AddedVocabulary.Piece> pieces = addedVocabulary.split(text, normalizer, policy);
    int wordIndex = 0;
    for (AddedVocabulary.Piece piece : pieces) {
      NormalizedString s = piece.text();
      if (piece.isAddedToken()) {
        out.add(
            piece.addedTokenId(),
            addedVocabulary.token(piece.addedTokenId()),
            s.originalStart(),
            s.originalEnd(),
            wordIndex++);
      } else {
        wordIndex = encodePiece(s, wordIndex, out::add);
      }
    }
    return out.build(sequenceId);
  }

  /**
   * BERT's pipeline through {@link BertWordPieceEncoder}: added tokens are cut out of the original
   * text, and a piece the fused pass cannot take runs through the general stages.
   */
  private void encodeBert(
      String text, EncodeOptions.SpecialTokens policy, BertWordPieceEncoder.TokenSink sink) {
    int[] wordIndex = {0};
    addedVocabulary.splitRanges(
        text,
        policy,
        (start, end, addedId) -> {
          if (addedId >= 0) {
            sink.token(addedId, start, end, wordIndex[0]++);
            return;
          }
          int next = bertWordPiece.encode(text, start, end, wordIndex[0], sink);
          if (next < 0) {
            NormalizedString s = normalizer.normalize(NormalizedString.of(text, start, end));
            next =
                encodePiece(
                    s,
                    wordIndex[0],
                    (id, surface, from, to, word) -> sink.token(id, from, to, word));
          }
          wordIndex[0] = next;
        });
  }

  /**
   * A plain piece (already normalized) through pre-tokenizer and model; words are numbered from
   * {@code wordIndex}, and the next index is returned.
   */
  private int encodePiece(NormalizedString s, int wordIndex, TokenOut out) {
    List<NormalizedString> words = new ArrayList<>();
    if (preTokenizer == null) {
      if (!s.isEmpty()) {
        words.add(s);
      }
    } else {
      preTokenizer.preTokenize(s, words);
    }
    for (NormalizedString word : words) {
      int w = wordIndex++;
      model.tokenize(
          word.normalized(),
          new Model.TokenSink() {
            @Override
            public void token(int id, int start, int end) {
              token(id, tokenString(id), start, end);
            }

            @Override
            public void token(int id, String surface, int start, int end) {
              out.token(
                  id, surface, word.originalStartOf(start, end), word.originalEndOf(start, end), w);
            }
          });
    }
    return wordIndex;
  }

  /** Receives one token: id, text, UTF-16 range in the original text and word index. */
  @FunctionalInterface
  private interface TokenOut {
    void token(int id, String surface, int start, int end, int word);
  }

  private String tokenString(int id) {
    String t = model.idToToken(id);
    return t != null ? t : addedVocabulary.token(id);
  }

  /** Growable per-token arrays of one sequence. */
  private static final class SequenceBuilder {
    int[] ids;
    String[] tokens;
    int[] starts;
    int[] ends;
    int[] words;
    int size;

    SequenceBuilder(int capacity) {
      ids = new int[capacity];
      tokens = new String[capacity];
      starts = new int[capacity];
      ends = new int[capacity];
      words = new int[capacity];
    }

    void add(int id, String token, int start, int end, int word) {
      if (size == ids.length) {
        int n = size * 2;
        ids = Arrays.copyOf(ids, n);
        tokens = Arrays.copyOf(tokens, n);
        starts = Arrays.copyOf(starts, n);
        ends = Arrays.copyOf(ends, n);
        words = Arrays.copyOf(words, n);
      }
      ids[size] = id;
      tokens[size] = token;
      starts[size] = start;
      ends[size] = end;
      words[size] = word;
      size++;
    }

    Encoding build(int sequenceId) {
      int[][] offsets = new int[size][];
      for (int i = 0; i < size; i++) {
        offsets[i] = new int[] {starts[i], ends[i]};
      }
      return new Encoding(
          Arrays.copyOf(ids, size),
          Arrays.copyOf(tokens, size),
          Encoding.filled(size, sequenceId),
          Encoding.filled(size, 1),
          new int[size],
          offsets,
          Arrays.copyOf(words, size),
          Encoding.filled(size, sequenceId),
          List.of());
    }
  }

  // ---- decoding

  /** The text of {@code ids}; special tokens left out if asked. Unknown ids are an error. */
  public String decode(int[] ids, boolean skipSpecialTokens) {
    List<String> tokens = new ArrayList<>(ids.length);
    for (int id : ids) {
      String token = addedVocabulary.token(id);
      if (token == null) {
        token = model.idToToken(id);
      }
      if (token == null) {
        throw new IllegalArgumentException(
            "token id " + id + " is not in the vocabulary (size " + vocabSize() + ")");
      }
      if (skipSpecialTokens && addedVocabulary.isSpecial(id)) {
        continue;
      }
      tokens.add(token);
    }
    String text = decoder == null ? String.join(" ", tokens) : decoder.decode(tokens);
    return config.cleanUpTokenizationSpaces()
        ? WordPieceDecoder.cleanUpTokenizationSpaces(text)
        : text;
  }

  /** A stream that decodes one id at a time (see {@link DecodeStream}). */
  public DecodeStream decodeStream(boolean skipSpecialTokens) {
    return new DecodeStream(this, skipSpecialTokens);
  }

  // ---- vocabulary

  /** One more than the largest id (model or added): the embedding rows a model needs. */
  public int vocabSize() {
    return Math.max(model.vocabulary().idLimit(), addedVocabulary.idLimit());
  }

  public OptionalInt tokenToId(String token) {
    OptionalInt added = addedVocabulary.id(token);
    return added.isPresent() ? added : model.tokenToId(token);
  }

  /** The token of {@code id}, or null. */
  public String idToToken(int id) {
    String t = addedVocabulary.token(id);
    return t != null ? t : model.idToToken(id);
  }

  public boolean isSpecial(int id) {
    return addedVocabulary.isSpecial(id);
  }

  /**
   * A tokenizer with {@code tokens} added (those already known keep their id; new ones get ids
   * after the current {@link #vocabSize()}). The new tokenizer's {@code vocabSize()} is the size
   * the model's embeddings must have.
   */
  public Tokenizer withAddedTokens(List<AddedToken> tokens) {
    Builder b = toBuilder();
    int next = vocabSize();
    for (AddedToken t : tokens) {
      OptionalInt existing = tokenToId(t.content());
      int id = existing.isPresent() ? existing.getAsInt() : next++;
      b.addedTokens.add(new AddedVocabulary.Entry(id, t));
    }
    return b.build();
  }

  /** Short description of the tokenizer family, e.g. "gpt2-bpe", "wordpiece". */
  public Optional<String> family() {
    return Optional.ofNullable(config.family());
  }

  public EncodeOptions defaultOptions() {
    return defaultOptions;
  }

  public Normalizer normalizer() {
    return normalizer;
  }

  public PreTokenizer preTokenizer() {
    return preTokenizer;
  }

  public Model model() {
    return model;
  }

  public PostProcessor postProcessor() {
    return postProcessor;
  }

  public Decoder decoder() {
    return decoder;
  }

  public AddedVocabulary addedVocabulary() {
    return addedVocabulary;
  }

  public TokenizerConfig config() {
    return config;
  }

  /**
   * Settings that live beside the pipeline in {@code tokenizer_config.json} / {@code
   * special_tokens_map.json}.
   *
   * @param family "gpt2-bpe", "wordpiece", … or null
   * @param specialTokens role (bos_token, eos_token, unk_token, pad_token, cls_token, sep_token,
   *     mask_token) → token text
   * @param cleanUpTokenizationSpaces apply HF's clean-up to decoded text
   * @param modelMaxLength the model's maximum input length, 0 if unknown
   */
  public record TokenizerConfig(
      String family,
      Map<String, String> specialTokens,
      boolean cleanUpTokenizationSpaces,
      int modelMaxLength) {
    public TokenizerConfig {
      specialTokens = Map.copyOf(specialTokens);
    }

    public static TokenizerConfig empty() {
      return new TokenizerConfig(null, Map.of(), false, 0);
    }
  }

  /** Assembles a tokenizer; only the model is required. */
  public static final class Builder {
    private Normalizer normalizer;
    private PreTokenizer preTokenizer;
    private Model model;
    private PostProcessor postProcessor;
    private Decoder decoder;
    private List<AddedVocabulary.Entry> addedTokens = new ArrayList<>();
    private EncodeOptions defaultOptions = EncodeOptions.defaults();
    private TokenizerConfig config = TokenizerConfig.empty();

    public Builder normalizer(Normalizer n) {
      normalizer = n;
      return this;
    }

    public Builder preTokenizer(PreTokenizer p) {
      preTokenizer = p;
      return this;
    }

    public Builder model(Model m) {
      model = m;
      return this;
    }

    public Builder postProcessor(PostProcessor p) {
      postProcessor = p;
      return this;
    }

    public Builder decoder(Decoder d) {
      decoder = d;
      return this;
    }

    public Builder addedTokens(List<AddedVocabulary.Entry> entries) {
      addedTokens = new ArrayList<>(entries);
      return this;
    }

    public Builder addedToken(int id, AddedToken token) {
      addedTokens.add(new AddedVocabulary.Entry(id, token));
      return this;
    }

    public Builder defaultOptions(EncodeOptions options) {
      defaultOptions = options;
      return this;
    }

    public Builder config(TokenizerConfig c) {
      config = c;
      return this;
    }

    public Tokenizer build() {
      return new Tokenizer(this);
    }
  }
}
