package io.lmserve.tokenizer.json;

import io.lmserve.tokenizer.AddedVocabulary;
import io.lmserve.tokenizer.EncodeOptions;
import io.lmserve.tokenizer.Tokenizer;
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
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Writes a tokenizer as HF's {@code tokenizer.json} (readable by HF tokenizers and by us). */
public final class TokenizerJsonWriter {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private TokenizerJsonWriter() {}

  public static ObjectNode write(Tokenizer t) {
    ObjectNode root = F.objectNode();
    root.put("version", "1.0");
    EncodeOptions o = t.defaultOptions();
    root.set("truncation", truncation(o.truncation()));
    root.set("padding", padding(o.padding()));
    ArrayNode added = root.putArray("added_tokens");
    for (AddedVocabulary.Entry e : t.addedVocabulary().entries()) {
      ObjectNode n = added.addObject();
      n.put("id", e.id());
      n.put("content", e.token().content());
      n.put("single_word", e.token().singleWord());
      n.put("lstrip", e.token().lstrip());
      n.put("rstrip", e.token().rstrip());
      n.put("normalized", e.token().normalized());
      n.put("special", e.token().special());
    }
    root.set("normalizer", normalizer(t.normalizer()));
    root.set("pre_tokenizer", preTokenizer(t.preTokenizer()));
    root.set("post_processor", postProcessor(t.postProcessor()));
    root.set("decoder", decoder(t.decoder()));
    root.set("model", model(t.model()));
    return root;
  }

  private static JsonNode truncation(EncodeOptions.Truncation t) {
    if (t.strategy() == EncodeOptions.Truncation.Strategy.NONE) {
      return F.nullNode();
    }
    ObjectNode n = F.objectNode();
    n.put("direction", t.direction() == EncodeOptions.Direction.LEFT ? "Left" : "Right");
    n.put("max_length", t.maxLength());
    n.put(
        "strategy",
        switch (t.strategy()) {
          case ONLY_FIRST -> "OnlyFirst";
          case ONLY_SECOND -> "OnlySecond";
          default -> "LongestFirst";
        });
    n.put("stride", t.stride());
    return n;
  }

  private static JsonNode padding(EncodeOptions.Padding p) {
    if (p.strategy() == EncodeOptions.Padding.Strategy.NONE) {
      return F.nullNode();
    }
    ObjectNode n = F.objectNode();
    if (p.strategy() == EncodeOptions.Padding.Strategy.MAX_LENGTH) {
      n.putObject("strategy").put("Fixed", p.length());
    } else {
      n.put("strategy", "BatchLongest");
    }
    n.put("direction", p.direction() == EncodeOptions.Direction.LEFT ? "Left" : "Right");
    if (p.multipleOf() > 0) {
      n.put("pad_to_multiple_of", p.multipleOf());
    } else {
      n.putNull("pad_to_multiple_of");
    }
    n.put("pad_id", p.padId());
    n.put("pad_type_id", p.padTypeId());
    n.put("pad_token", p.padToken() == null ? "[PAD]" : p.padToken());
    return n;
  }

  static JsonNode normalizer(Normalizer n) {
    if (n == null) {
      return F.nullNode();
    }
    ObjectNode o = F.objectNode();
    switch (n) {
      case BertNormalizer b -> {
        o.put("type", "BertNormalizer");
        o.put("clean_text", b.cleanText());
        o.put("handle_chinese_chars", b.handleChineseChars());
        if (b.stripAccents() == null) {
          o.putNull("strip_accents");
        } else {
          o.put("strip_accents", b.stripAccents());
        }
        o.put("lowercase", b.lowercase());
      }
      case Lowercase l -> o.put("type", "Lowercase");
      case ByteLevelNormalizer b -> o.put("type", "ByteLevel");
      case UnicodeNormalizer u -> o.put("type", u.form().name());
      case Strip s -> {
        o.put("type", "Strip");
        o.put("strip_left", s.left());
        o.put("strip_right", s.right());
      }
      case StripAccents s -> o.put("type", "StripAccents");
      case Replace r -> {
        o.put("type", "Replace");
        o.set("pattern", pattern(r.pattern()));
        o.put("content", r.content());
      }
      case Prepend p -> {
        o.put("type", "Prepend");
        o.put("prepend", p.prepend());
      }
      case Precompiled p -> {
        o.put("type", "Precompiled");
        o.put("precompiled_charsmap", p.charsMapBase64());
      }
      case NormalizerSequence s -> {
        o.put("type", "Sequence");
        ArrayNode a = o.putArray("normalizers");
        s.normalizers().forEach(x -> a.add(normalizer(x)));
      }
      default -> throw cannotWrite("normalizer", n);
    }
    return o;
  }

  static JsonNode preTokenizer(PreTokenizer p) {
    if (p == null) {
      return F.nullNode();
    }
    ObjectNode o = F.objectNode();
    switch (p) {
      case ByteLevel b -> {
        o.put("type", "ByteLevel");
        o.put("add_prefix_space", b.addPrefixSpace());
        o.put("trim_offsets", b.trimOffsets());
        o.put("use_regex", b.useRegex());
      }
      case Whitespace w -> o.put("type", "Whitespace");
      case WhitespaceSplit w -> o.put("type", "WhitespaceSplit");
      case BertPreTokenizer b -> o.put("type", "BertPreTokenizer");
      case Punctuation x -> {
        o.put("type", "Punctuation");
        o.put("behavior", behavior(x.behavior()));
      }
      case Digits d -> {
        o.put("type", "Digits");
        o.put("individual_digits", d.individualDigits());
      }
      case Metaspace m -> {
        o.put("type", "Metaspace");
        o.put("replacement", String.valueOf(m.replacement()));
        o.put("prepend_scheme", m.prependScheme().name().toLowerCase(java.util.Locale.ROOT));
        o.put("split", m.split());
      }
      case Split s -> {
        o.put("type", "Split");
        o.set("pattern", pattern(s.pattern()));
        o.put("behavior", behavior(s.behavior()));
        o.put("invert", s.invert());
      }
      case PreTokenizerSequence s -> {
        o.put("type", "Sequence");
        ArrayNode a = o.putArray("pretokenizers");
        s.preTokenizers().forEach(x -> a.add(preTokenizer(x)));
      }
      default -> throw cannotWrite("pre_tokenizer", p);
    }
    return o;
  }

  private static String behavior(SplitBehavior b) {
    return switch (b) {
      case REMOVED -> "Removed";
      case ISOLATED -> "Isolated";
      case MERGED_WITH_PREVIOUS -> "MergedWithPrevious";
      case MERGED_WITH_NEXT -> "MergedWithNext";
      case CONTIGUOUS -> "Contiguous";
    };
  }

  private static JsonNode pattern(TextPattern p) {
    ObjectNode o = F.objectNode();
    switch (p) {
      case TextPattern.Literal l -> o.put("String", l.text());
      case TextPattern.Regex r -> o.put("Regex", r.regex());
    }
    return o;
  }

  static JsonNode model(Model m) {
    ObjectNode o = F.objectNode();
    switch (m) {
      case Bpe b -> {
        Bpe.Options opt = b.options();
        o.put("type", "BPE");
        if (opt.dropout() == null) {
          o.putNull("dropout");
        } else {
          o.put("dropout", opt.dropout());
        }
        o.put("unk_token", opt.unkToken());
        o.put("continuing_subword_prefix", opt.continuingSubwordPrefix());
        o.put("end_of_word_suffix", opt.endOfWordSuffix());
        o.put("fuse_unk", opt.fuseUnk());
        o.put("byte_fallback", opt.byteFallback());
        o.put("ignore_merges", opt.ignoreMerges());
        o.set("vocab", vocab(b.vocabulary()));
        boolean spaces =
            b.merges().stream().anyMatch(x -> x.left().contains(" ") || x.right().contains(" "));
        ArrayNode merges = o.putArray("merges");
        for (Bpe.Merge x : b.merges()) {
          if (spaces) {
            merges.addArray().add(x.left()).add(x.right());
          } else {
            merges.add(x.left() + " " + x.right());
          }
        }
      }
      case WordPiece w -> {
        o.put("type", "WordPiece");
        o.put("unk_token", w.unkToken());
        o.put("continuing_subword_prefix", w.continuingSubwordPrefix());
        o.put("max_input_chars_per_word", w.maxInputCharsPerWord());
        o.set("vocab", vocab(w.vocabulary()));
      }
      case WordLevel w -> {
        o.put("type", "WordLevel");
        o.set("vocab", vocab(w.vocabulary()));
        o.put("unk_token", w.unkToken());
      }
      case Unigram u -> {
        o.put("type", "Unigram");
        o.put("unk_id", u.unkId());
        ArrayNode vocab = o.putArray("vocab");
        u.pieces().forEach(p -> vocab.addArray().add(p.piece()).add(p.score()));
        o.put("byte_fallback", u.byteFallback());
      }
      default -> throw cannotWrite("model", m);
    }
    return o;
  }

  private static ObjectNode vocab(Vocabulary v) {
    ObjectNode o = F.objectNode();
    for (Map.Entry<String, Integer> e : v.asMap().entrySet()) {
      o.put(e.getKey(), e.getValue());
    }
    return o;
  }

  static JsonNode postProcessor(PostProcessor p) {
    if (p == null) {
      return F.nullNode();
    }
    ObjectNode o = F.objectNode();
    switch (p) {
      case TemplateProcessing t -> {
        o.put("type", "TemplateProcessing");
        o.set("single", templatePieces(t.single()));
        o.set("pair", templatePieces(t.pair()));
        ObjectNode specials = o.putObject("special_tokens");
        for (TemplateProcessing.SpecialToken s : t.specialTokens().values()) {
          ObjectNode n = specials.putObject(s.name());
          n.put("id", s.name());
          ArrayNode ids = n.putArray("ids");
          for (int id : s.ids()) {
            ids.add(id);
          }
          ArrayNode tokens = n.putArray("tokens");
          for (String token : s.tokens()) {
            tokens.add(token);
          }
        }
      }
      case BertProcessing b -> {
        o.put("type", "BertProcessing");
        o.putArray("sep").add(b.sep()).add(b.sepId());
        o.putArray("cls").add(b.cls()).add(b.clsId());
      }
      case RobertaProcessing r -> {
        o.put("type", "RobertaProcessing");
        o.putArray("sep").add(r.sep()).add(r.sepId());
        o.putArray("cls").add(r.cls()).add(r.clsId());
        o.put("trim_offsets", r.trimOffsets());
        o.put("add_prefix_space", r.addPrefixSpace());
      }
      case ByteLevelProcessing b -> {
        o.put("type", "ByteLevel");
        o.put("add_prefix_space", b.addPrefixSpace());
        o.put("trim_offsets", b.trimOffsets());
        o.put("use_regex", b.useRegex());
      }
      case PostProcessorSequence s -> {
        o.put("type", "Sequence");
        ArrayNode a = o.putArray("processors");
        s.processors().forEach(x -> a.add(postProcessor(x)));
      }
      default -> throw cannotWrite("post_processor", p);
    }
    return o;
  }

  private static ArrayNode templatePieces(java.util.List<TemplateProcessing.Piece> pieces) {
    ArrayNode a = F.arrayNode();
    for (TemplateProcessing.Piece p : pieces) {
      ObjectNode n = a.addObject();
      switch (p) {
        case TemplateProcessing.SequencePiece s ->
            n.putObject("Sequence").put("id", s.isB() ? "B" : "A").put("type_id", s.typeId());
        case TemplateProcessing.SpecialPiece s ->
            n.putObject("SpecialToken").put("id", s.name()).put("type_id", s.typeId());
      }
    }
    return a;
  }

  static JsonNode decoder(Decoder d) {
    if (d == null) {
      return F.nullNode();
    }
    ObjectNode o = F.objectNode();
    switch (d) {
      case ByteLevelDecoder b -> {
        o.put("type", "ByteLevel");
        o.put("add_prefix_space", true);
        o.put("trim_offsets", true);
        o.put("use_regex", true);
      }
      case WordPieceDecoder w -> {
        o.put("type", "WordPiece");
        o.put("prefix", w.prefix());
        o.put("cleanup", w.cleanup());
      }
      case BpeDecoder b -> {
        o.put("type", "BPEDecoder");
        o.put("suffix", b.suffix());
      }
      case MetaspaceDecoder m -> {
        o.put("type", "Metaspace");
        o.put("replacement", String.valueOf(m.replacement()));
        o.put("prepend_scheme", m.prependScheme().name().toLowerCase(java.util.Locale.ROOT));
        o.put("split", m.split());
      }
      case ByteFallbackDecoder b -> o.put("type", "ByteFallback");
      case FuseDecoder f -> o.put("type", "Fuse");
      case CtcDecoder c -> {
        o.put("type", "CTC");
        o.put("pad_token", c.padToken());
        o.put("word_delimiter_token", c.wordDelimiterToken());
        o.put("cleanup", c.cleanup());
      }
      case StripDecoder s -> {
        o.put("type", "Strip");
        o.put("content", String.valueOf(s.content()));
        o.put("start", s.start());
        o.put("stop", s.stop());
      }
      case ReplaceDecoder r -> {
        o.put("type", "Replace");
        o.set("pattern", pattern(r.pattern()));
        o.put("content", r.content());
      }
      case DecoderSequence s -> {
        o.put("type", "Sequence");
        ArrayNode a = o.putArray("decoders");
        s.decoders().forEach(x -> a.add(decoder(x)));
      }
      default -> throw cannotWrite("decoder", d);
    }
    return o;
  }

  private static IllegalArgumentException cannotWrite(String what, Object component) {
    return new IllegalArgumentException(
        "cannot write " + what + " " + component.getClass().getName() + " to tokenizer.json");
  }
}
