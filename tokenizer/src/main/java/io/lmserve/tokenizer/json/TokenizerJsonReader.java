package io.lmserve.tokenizer.json;

import io.lmserve.tokenizer.AddedToken;
import io.lmserve.tokenizer.AddedVocabulary;
import io.lmserve.tokenizer.EncodeOptions;
import io.lmserve.tokenizer.Tokenizer;
import io.lmserve.tokenizer.TokenizerFormatException;
import io.lmserve.tokenizer.decoder.BpeDecoder;
import io.lmserve.tokenizer.decoder.ByteFallbackDecoder;
import io.lmserve.tokenizer.decoder.ByteLevelDecoder;
import io.lmserve.tokenizer.decoder.CtcDecoder;
import io.lmserve.tokenizer.decoder.Decoder;
import io.lmserve.tokenizer.decoder.DecoderSequence;
import io.lmserve.tokenizer.decoder.FuseDecoder;
import io.lmserve.tokenizer.decoder.MetaspaceDecoder;
import io.lmserve.tokenizer.decoder.ReplaceDecoder;
import io.lmserve.tokenizer.decoder.StripDecoder;
import io.lmserve.tokenizer.decoder.WordPieceDecoder;
import io.lmserve.tokenizer.model.Bpe;
import io.lmserve.tokenizer.model.Model;
import io.lmserve.tokenizer.model.Unigram;
import io.lmserve.tokenizer.model.Vocabulary;
import io.lmserve.tokenizer.model.WordLevel;
import io.lmserve.tokenizer.model.WordPiece;
import io.lmserve.tokenizer.normalizer.BertNormalizer;
import io.lmserve.tokenizer.normalizer.ByteLevelNormalizer;
import io.lmserve.tokenizer.normalizer.Lowercase;
import io.lmserve.tokenizer.normalizer.Normalizer;
import io.lmserve.tokenizer.normalizer.NormalizerSequence;
import io.lmserve.tokenizer.normalizer.Precompiled;
import io.lmserve.tokenizer.normalizer.Prepend;
import io.lmserve.tokenizer.normalizer.Replace;
import io.lmserve.tokenizer.normalizer.Strip;
import io.lmserve.tokenizer.normalizer.StripAccents;
import io.lmserve.tokenizer.normalizer.TextPattern;
import io.lmserve.tokenizer.normalizer.UnicodeNormalizer;
import io.lmserve.tokenizer.pretokenizer.BertPreTokenizer;
import io.lmserve.tokenizer.pretokenizer.ByteLevel;
import io.lmserve.tokenizer.pretokenizer.Digits;
import io.lmserve.tokenizer.pretokenizer.Metaspace;
import io.lmserve.tokenizer.pretokenizer.PreTokenizer;
import io.lmserve.tokenizer.pretokenizer.PreTokenizerSequence;
import io.lmserve.tokenizer.pretokenizer.Punctuation;
import io.lmserve.tokenizer.pretokenizer.Split;
import io.lmserve.tokenizer.pretokenizer.SplitBehavior;
import io.lmserve.tokenizer.pretokenizer.Whitespace;
import io.lmserve.tokenizer.pretokenizer.WhitespaceSplit;
import io.lmserve.tokenizer.processor.BertProcessing;
import io.lmserve.tokenizer.processor.ByteLevelProcessing;
import io.lmserve.tokenizer.processor.PostProcessor;
import io.lmserve.tokenizer.processor.PostProcessorSequence;
import io.lmserve.tokenizer.processor.RobertaProcessing;
import io.lmserve.tokenizer.processor.TemplateProcessing;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Reads HF's {@code tokenizer.json} schema. Every component type it does not know fails with a
 * {@link TokenizerFormatException} naming the type, the section and the file.
 */
public final class TokenizerJsonReader {

  private final String source;

  /**
   * @param source the file name, for error messages
   */
  public TokenizerJsonReader(String source) {
    this.source = source;
  }

  public Tokenizer.Builder read(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw error("is not a JSON object");
    }
    Tokenizer.Builder b = Tokenizer.builder();
    Normalizer normalizer = normalizer(root.get("normalizer"));
    b.normalizer(normalizer);
    b.preTokenizer(preTokenizer(root.get("pre_tokenizer")));
    if (!present(root.get("model"))) {
      throw error("has no \"model\"");
    }
    b.model(model(root.get("model")));
    b.postProcessor(postProcessor(root.get("post_processor")));
    b.decoder(decoder(root.get("decoder")));
    b.addedTokens(addedTokens(root.get("added_tokens")));
    EncodeOptions options = EncodeOptions.defaults();
    options = options.withTruncation(truncation(root.get("truncation")));
    options = options.withPadding(padding(root.get("padding")));
    b.defaultOptions(options);
    return b;
  }

  // ---- added tokens, truncation, padding

  List<AddedVocabulary.Entry> addedTokens(JsonNode node) {
    List<AddedVocabulary.Entry> out = new ArrayList<>();
    if (!present(node)) {
      return out;
    }
    for (JsonNode t : node) {
      out.add(
          new AddedVocabulary.Entry(
              requiredInt(t, "id", "added_tokens"),
              new AddedToken(
                  requiredString(t, "content", "added_tokens"),
                  bool(t, "single_word", false),
                  bool(t, "lstrip", false),
                  bool(t, "rstrip", false),
                  bool(t, "normalized", true),
                  bool(t, "special", false))));
    }
    return out;
  }

  EncodeOptions.Truncation truncation(JsonNode node) {
    if (!present(node)) {
      return EncodeOptions.Truncation.NONE;
    }
    String strategy = node.path("strategy").asString("LongestFirst");
    EncodeOptions.Truncation.Strategy s =
        switch (strategy) {
          case "LongestFirst" -> EncodeOptions.Truncation.Strategy.LONGEST_FIRST;
          case "OnlyFirst" -> EncodeOptions.Truncation.Strategy.ONLY_FIRST;
          case "OnlySecond" -> EncodeOptions.Truncation.Strategy.ONLY_SECOND;
          default -> throw unknown("truncation strategy", strategy);
        };
    return new EncodeOptions.Truncation(
        s,
        requiredInt(node, "max_length", "truncation"),
        node.path("stride").asInt(0),
        direction(node.path("direction").asString("Right"), "truncation"));
  }

  EncodeOptions.Padding padding(JsonNode node) {
    if (!present(node)) {
      return EncodeOptions.Padding.NONE;
    }
    JsonNode strategy = node.get("strategy");
    EncodeOptions.Padding.Strategy s;
    int length = 0;
    if (strategy != null && strategy.isObject() && strategy.has("Fixed")) {
      s = EncodeOptions.Padding.Strategy.MAX_LENGTH;
      length = strategy.get("Fixed").asInt();
    } else if (strategy == null || "BatchLongest".equals(strategy.asString(""))) {
      s = EncodeOptions.Padding.Strategy.LONGEST;
    } else {
      throw unknown("padding strategy", strategy.toString());
    }
    return new EncodeOptions.Padding(
        s,
        length,
        node.path("pad_to_multiple_of").asInt(0),
        direction(node.path("direction").asString("Right"), "padding"),
        node.path("pad_id").asInt(0),
        node.path("pad_type_id").asInt(0),
        node.path("pad_token").asString("[PAD]"));
  }

  private EncodeOptions.Direction direction(String s, String section) {
    return switch (s) {
      case "Right" -> EncodeOptions.Direction.RIGHT;
      case "Left" -> EncodeOptions.Direction.LEFT;
      default -> throw unknown(section + " direction", s);
    };
  }

  // ---- normalizers

  Normalizer normalizer(JsonNode node) {
    if (!present(node)) {
      return null;
    }
    String type = type(node, "normalizer");
    return switch (type) {
      case "BertNormalizer" ->
          new BertNormalizer(
              bool(node, "clean_text", true),
              bool(node, "handle_chinese_chars", true),
              present(node.get("strip_accents")) ? node.get("strip_accents").asBoolean() : null,
              bool(node, "lowercase", true));
      case "Lowercase" -> new Lowercase();
      case "ByteLevel" -> new ByteLevelNormalizer();
      case "NFC" -> new UnicodeNormalizer(UnicodeNormalizer.Form.NFC);
      case "NFD" -> new UnicodeNormalizer(UnicodeNormalizer.Form.NFD);
      case "NFKC" -> new UnicodeNormalizer(UnicodeNormalizer.Form.NFKC);
      case "NFKD" -> new UnicodeNormalizer(UnicodeNormalizer.Form.NFKD);
      case "Strip" -> new Strip(bool(node, "strip_left", true), bool(node, "strip_right", true));
      case "StripAccents" -> new StripAccents();
      case "Replace" ->
          new Replace(
              pattern(node.get("pattern"), "Replace"), requiredString(node, "content", "Replace"));
      case "Prepend" -> new Prepend(requiredString(node, "prepend", "Prepend"));
      case "Precompiled" -> precompiled(node);
      case "Sequence" -> {
        List<Normalizer> list = new ArrayList<>();
        for (JsonNode n : required(node, "normalizers", "normalizer Sequence")) {
          list.add(normalizer(n));
        }
        yield new NormalizerSequence(list);
      }
      default -> throw unknown("normalizer", type);
    };
  }

  // ---- pre-tokenizers

  PreTokenizer preTokenizer(JsonNode node) {
    if (!present(node)) {
      return null;
    }
    String type = type(node, "pre_tokenizer");
    return switch (type) {
      case "ByteLevel" ->
          new ByteLevel(
              bool(node, "add_prefix_space", true),
              bool(node, "trim_offsets", true),
              bool(node, "use_regex", true));
      case "Whitespace" -> new Whitespace();
      case "WhitespaceSplit" -> new WhitespaceSplit();
      case "BertPreTokenizer" -> new BertPreTokenizer();
      case "Punctuation" -> new Punctuation(behavior(node.path("behavior").asString("Isolated")));
      case "Digits" -> new Digits(bool(node, "individual_digits", false));
      case "Metaspace" ->
          new Metaspace(replacement(node), prependScheme(node), bool(node, "split", true));
      case "Split" ->
          new Split(
              pattern(node.get("pattern"), "Split"),
              behavior(requiredString(node, "behavior", "Split")),
              bool(node, "invert", false));
      case "Sequence" -> {
        List<PreTokenizer> list = new ArrayList<>();
        for (JsonNode n : required(node, "pretokenizers", "pre_tokenizer Sequence")) {
          list.add(preTokenizer(n));
        }
        yield new PreTokenizerSequence(list);
      }
      default -> throw unknown("pre_tokenizer", type);
    };
  }

  private SplitBehavior behavior(String s) {
    return switch (s) {
      case "Removed" -> SplitBehavior.REMOVED;
      case "Isolated" -> SplitBehavior.ISOLATED;
      case "MergedWithPrevious" -> SplitBehavior.MERGED_WITH_PREVIOUS;
      case "MergedWithNext" -> SplitBehavior.MERGED_WITH_NEXT;
      case "Contiguous" -> SplitBehavior.CONTIGUOUS;
      default -> throw unknown("split behavior", s);
    };
  }

  private char replacement(JsonNode node) {
    String r = node.path("replacement").asString("\u2581");
    if (r.length() != 1) {
      throw error("has a Metaspace replacement that is not one character: '" + r + "'");
    }
    return r.charAt(0);
  }

  private Metaspace.PrependScheme prependScheme(JsonNode node) {
    if (present(node.get("prepend_scheme"))) {
      String s = node.get("prepend_scheme").asString();
      return switch (s) {
        case "always" -> Metaspace.PrependScheme.ALWAYS;
        case "first" -> Metaspace.PrependScheme.FIRST;
        case "never" -> Metaspace.PrependScheme.NEVER;
        default -> throw unknown("Metaspace prepend_scheme", s);
      };
    }
    return bool(node, "add_prefix_space", true)
        ? Metaspace.PrependScheme.ALWAYS
        : Metaspace.PrependScheme.NEVER;
  }

  private TextPattern pattern(JsonNode node, String where) {
    if (node != null && node.has("String")) {
      return TextPattern.literal(node.get("String").asString());
    }
    if (node != null && node.has("Regex")) {
      try {
        return TextPattern.regex(node.get("Regex").asString());
      } catch (IllegalArgumentException e) {
        throw new TokenizerFormatException(source + ": " + where + " has an " + e.getMessage(), e);
      }
    }
    throw error("has a " + where + " pattern that is neither {\"String\"} nor {\"Regex\"}");
  }

  // ---- models

  Model model(JsonNode node) {
    String type = node.has("type") ? node.get("type").asString() : guessModelType(node);
    return switch (type) {
      case "BPE" -> {
        List<Bpe.Merge> merges = new ArrayList<>();
        for (JsonNode m : required(node, "merges", "BPE model")) {
          if (m.isArray()) {
            merges.add(new Bpe.Merge(m.get(0).asString(), m.get(1).asString()));
          } else {
            String s = m.asString();
            int space = s.indexOf(' ');
            if (space < 0) {
              throw error("has a BPE merge without a space: '" + s + "'");
            }
            merges.add(new Bpe.Merge(s.substring(0, space), s.substring(space + 1)));
          }
        }
        Float dropout =
            present(node.get("dropout")) ? (float) node.get("dropout").asDouble() : null;
        try {
          yield new Bpe(
              vocabulary(node),
              merges,
              new Bpe.Options(
                  dropout,
                  optionalString(node, "unk_token"),
                  optionalString(node, "continuing_subword_prefix"),
                  optionalString(node, "end_of_word_suffix"),
                  bool(node, "fuse_unk", false),
                  bool(node, "byte_fallback", false),
                  bool(node, "ignore_merges", false)));
        } catch (IllegalArgumentException e) {
          throw new TokenizerFormatException(source + ": " + e.getMessage(), e);
        }
      }
      case "WordPiece" -> {
        try {
          yield new WordPiece(
              vocabulary(node),
              node.path("unk_token").asString("[UNK]"),
              node.path("continuing_subword_prefix").asString("##"),
              node.path("max_input_chars_per_word").asInt(100));
        } catch (IllegalArgumentException e) {
          throw new TokenizerFormatException(source + ": " + e.getMessage(), e);
        }
      }
      case "WordLevel" -> new WordLevel(vocabulary(node), optionalString(node, "unk_token"));
      case "Unigram" -> unigram(node);
      default -> throw unknown("model", type);
    };
  }

  private Precompiled precompiled(JsonNode node) {
    try {
      return Precompiled.fromBase64(requiredString(node, "precompiled_charsmap", "Precompiled"));
    } catch (IllegalArgumentException e) {
      throw new TokenizerFormatException(source + ": Precompiled: " + e.getMessage(), e);
    }
  }

  private Unigram unigram(JsonNode node) {
    List<Unigram.Piece> pieces = new ArrayList<>();
    for (JsonNode entry : required(node, "vocab", "Unigram model")) {
      if (!entry.isArray() || entry.size() != 2 || !entry.get(1).isNumber()) {
        throw error("has a Unigram vocab entry that is not [piece, score]: " + entry);
      }
      pieces.add(new Unigram.Piece(entry.get(0).asString(), entry.get(1).asDouble()));
    }
    JsonNode unk = node.get("unk_id");
    try {
      return new Unigram(
          pieces, present(unk) ? unk.asInt() : -1, bool(node, "byte_fallback", false));
    } catch (IllegalArgumentException e) {
      throw new TokenizerFormatException(source + ": " + e.getMessage(), e);
    }
  }

  private String guessModelType(JsonNode node) {
    if (node.has("merges")) {
      return "BPE";
    }
    if (node.has("max_input_chars_per_word")) {
      return "WordPiece";
    }
    if (node.has("vocab") && node.get("vocab").isArray()) {
      return "Unigram";
    }
    return "WordLevel";
  }

  private Vocabulary vocabulary(JsonNode model) {
    JsonNode vocab = required(model, "vocab", "model");
    Map<String, Integer> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : vocab.properties()) {
      map.put(e.getKey(), e.getValue().asInt());
    }
    try {
      return new Vocabulary(map);
    } catch (IllegalArgumentException e) {
      throw new TokenizerFormatException(source + ": model vocab: " + e.getMessage(), e);
    }
  }

  // ---- post-processors

  PostProcessor postProcessor(JsonNode node) {
    if (!present(node)) {
      return null;
    }
    String type = type(node, "post_processor");
    return switch (type) {
      case "TemplateProcessing" -> template(node);
      case "BertProcessing" -> {
        JsonNode sep = required(node, "sep", "BertProcessing");
        JsonNode cls = required(node, "cls", "BertProcessing");
        yield new BertProcessing(
            sep.get(0).asString(), sep.get(1).asInt(), cls.get(0).asString(), cls.get(1).asInt());
      }
      case "RobertaProcessing" -> {
        JsonNode sep = required(node, "sep", "RobertaProcessing");
        JsonNode cls = required(node, "cls", "RobertaProcessing");
        yield new RobertaProcessing(
            sep.get(0).asString(),
            sep.get(1).asInt(),
            cls.get(0).asString(),
            cls.get(1).asInt(),
            bool(node, "trim_offsets", true),
            bool(node, "add_prefix_space", true));
      }
      case "ByteLevel" ->
          new ByteLevelProcessing(
              bool(node, "add_prefix_space", true),
              bool(node, "trim_offsets", true),
              bool(node, "use_regex", true));
      case "Sequence" -> {
        List<PostProcessor> list = new ArrayList<>();
        for (JsonNode n : required(node, "processors", "post_processor Sequence")) {
          list.add(postProcessor(n));
        }
        yield new PostProcessorSequence(list);
      }
      default -> throw unknown("post_processor", type);
    };
  }

  private TemplateProcessing template(JsonNode node) {
    Map<String, TemplateProcessing.SpecialToken> specials = new LinkedHashMap<>();
    JsonNode st = node.get("special_tokens");
    if (present(st)) {
      for (Map.Entry<String, JsonNode> e : st.properties()) {
        JsonNode v = e.getValue();
        JsonNode ids = required(v, "ids", "TemplateProcessing special token");
        JsonNode tokens = required(v, "tokens", "TemplateProcessing special token");
        int[] idArray = new int[ids.size()];
        String[] tokenArray = new String[tokens.size()];
        for (int i = 0; i < idArray.length; i++) {
          idArray[i] = ids.get(i).asInt();
        }
        for (int i = 0; i < tokenArray.length; i++) {
          tokenArray[i] = tokens.get(i).asString();
        }
        if (idArray.length != tokenArray.length) {
          throw error(
              "has TemplateProcessing special token '" + e.getKey() + "' with ids ≠ tokens");
        }
        specials.put(
            e.getKey(), new TemplateProcessing.SpecialToken(e.getKey(), idArray, tokenArray));
      }
    }
    try {
      return new TemplateProcessing(
          templatePieces(required(node, "single", "TemplateProcessing")),
          templatePieces(required(node, "pair", "TemplateProcessing")),
          specials);
    } catch (IllegalArgumentException e) {
      throw new TokenizerFormatException(source + ": " + e.getMessage(), e);
    }
  }

  private List<TemplateProcessing.Piece> templatePieces(JsonNode node) {
    List<TemplateProcessing.Piece> out = new ArrayList<>();
    for (JsonNode p : node) {
      if (p.has("Sequence")) {
        JsonNode s = p.get("Sequence");
        String id = s.path("id").asString("A");
        if (!id.equals("A") && !id.equals("B")) {
          throw unknown("TemplateProcessing sequence", id);
        }
        out.add(new TemplateProcessing.SequencePiece(id.equals("B"), s.path("type_id").asInt(0)));
      } else if (p.has("SpecialToken")) {
        JsonNode s = p.get("SpecialToken");
        out.add(
            new TemplateProcessing.SpecialPiece(
                requiredString(s, "id", "TemplateProcessing"), s.path("type_id").asInt(0)));
      } else {
        throw error("has a TemplateProcessing piece that is neither Sequence nor SpecialToken");
      }
    }
    return out;
  }

  // ---- decoders

  Decoder decoder(JsonNode node) {
    if (!present(node)) {
      return null;
    }
    String type = type(node, "decoder");
    return switch (type) {
      case "ByteLevel" -> new ByteLevelDecoder();
      case "WordPiece" ->
          new WordPieceDecoder(node.path("prefix").asString("##"), bool(node, "cleanup", true));
      case "BPEDecoder" -> new BpeDecoder(node.path("suffix").asString("</w>"));
      case "Metaspace" ->
          new MetaspaceDecoder(replacement(node), prependScheme(node), bool(node, "split", true));
      case "ByteFallback" -> new ByteFallbackDecoder();
      case "Fuse" -> new FuseDecoder();
      case "CTC" ->
          new CtcDecoder(
              node.path("pad_token").asString("<pad>"),
              node.path("word_delimiter_token").asString("|"),
              bool(node, "cleanup", true));
      case "Strip" -> {
        String content = requiredString(node, "content", "Strip decoder");
        if (content.length() != 1) {
          throw error("has a Strip decoder content that is not one character");
        }
        yield new StripDecoder(
            content.charAt(0), node.path("start").asInt(0), node.path("stop").asInt(0));
      }
      case "Replace" ->
          new ReplaceDecoder(
              pattern(node.get("pattern"), "Replace decoder"),
              requiredString(node, "content", "Replace decoder"));
      case "Sequence" -> {
        List<Decoder> list = new ArrayList<>();
        for (JsonNode n : required(node, "decoders", "decoder Sequence")) {
          list.add(decoder(n));
        }
        yield new DecoderSequence(list);
      }
      default -> throw unknown("decoder", type);
    };
  }

  // ---- helpers

  private static boolean present(JsonNode node) {
    return node != null && !node.isNull() && !node.isMissingNode();
  }

  private String type(JsonNode node, String section) {
    JsonNode t = node.get("type");
    if (t == null || !t.isString()) {
      throw error("has a " + section + " without \"type\"");
    }
    return t.asString();
  }

  private static boolean bool(JsonNode node, String field, boolean dflt) {
    JsonNode v = node.get(field);
    return present(v) ? v.asBoolean() : dflt;
  }

  private static String optionalString(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return present(v) ? v.asString() : null;
  }

  private JsonNode required(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (!present(v)) {
      throw error("has a " + where + " without \"" + field + "\"");
    }
    return v;
  }

  private String requiredString(JsonNode node, String field, String where) {
    return required(node, field, where).asString();
  }

  private int requiredInt(JsonNode node, String field, String where) {
    JsonNode v = required(node, field, where);
    if (!v.isIntegralNumber()) {
      throw error("has a " + where + " \"" + field + "\" that is not an integer: " + v);
    }
    return v.asInt();
  }

  private TokenizerFormatException unknown(String what, String type) {
    return new TokenizerFormatException(source + ": unsupported " + what + " type '" + type + "'");
  }

  private TokenizerFormatException error(String what) {
    return new TokenizerFormatException(source + " " + what);
  }
}
