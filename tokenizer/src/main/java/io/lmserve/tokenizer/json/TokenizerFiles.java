package io.lmserve.tokenizer.json;

import io.lmserve.tokenizer.AddedToken;
import io.lmserve.tokenizer.EncodeOptions;
import io.lmserve.tokenizer.Encoding;
import io.lmserve.tokenizer.Tokenizer;
import io.lmserve.tokenizer.TokenizerFormatException;
import io.lmserve.tokenizer.decoder.ByteLevelDecoder;
import io.lmserve.tokenizer.decoder.WordPieceDecoder;
import io.lmserve.tokenizer.model.Bpe;
import io.lmserve.tokenizer.model.Model;
import io.lmserve.tokenizer.model.Vocabulary;
import io.lmserve.tokenizer.model.WordLevel;
import io.lmserve.tokenizer.model.WordPiece;
import io.lmserve.tokenizer.normalizer.BertNormalizer;
import io.lmserve.tokenizer.pretokenizer.BertPreTokenizer;
import io.lmserve.tokenizer.pretokenizer.ByteLevel;
import io.lmserve.tokenizer.processor.ByteLevelProcessing;
import io.lmserve.tokenizer.processor.TemplateProcessing;
import io.lmserve.tokenizer.sentencepiece.SentencePieceModel;
import io.lmserve.tokenizer.sentencepiece.SentencePieceProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Finding, reading and writing tokenizer files: {@code tokenizer.json}, GPT-2's {@code vocab.json}
 * + {@code merges.txt}, BERT's {@code vocab.txt}, with {@code tokenizer_config.json} and {@code
 * special_tokens_map.json} from the same folder.
 */
public final class TokenizerFiles {

  static final ObjectMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private static final String[] ROLES = {
    "bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"
  };

  private TokenizerFiles() {}

  public static Tokenizer load(Path path) throws IOException {
    if (!Files.exists(path)) {
      throw new TokenizerFormatException("no tokenizer at " + path + " (file or folder missing)");
    }
    if (Files.isDirectory(path)) {
      for (String name : List.of("tokenizer.json", "vocab.json", "vocab.txt")) {
        if (Files.isRegularFile(path.resolve(name))) {
          return load(path.resolve(name));
        }
      }
      try (var files = Files.list(path)) {
        Path model = files.filter(p -> p.toString().endsWith(".model")).findFirst().orElse(null);
        if (model != null) {
          return load(model);
        }
      }
      throw new TokenizerFormatException(
          path + " holds no tokenizer.json, vocab.json + merges.txt, vocab.txt or .model file");
    }
    String name = path.getFileName().toString();
    Path folder = path.toAbsolutePath().getParent();
    JsonNode config = readOptional(folder.resolve("tokenizer_config.json"));
    JsonNode specialMap = readOptional(folder.resolve("special_tokens_map.json"));
    Tokenizer.Builder b;
    String family;
    SentencePieceProcessor spm = null;
    if (name.endsWith(".model")) {
      spm = loadSentencePiece(path);
      b = spm.tokenizerBuilder();
      family = spm.family();
    } else if (name.equals("vocab.txt") || name.endsWith(".txt")) {
      b = bertFromVocabTxt(path, config);
      family = "wordpiece";
    } else if (name.equals("vocab.json") || name.equals("encoder.json")) {
      b = gpt2FromVocabJson(path, config);
      family = "gpt2-bpe";
    } else {
      b = new TokenizerJsonReader(path.toString()).read(readJson(path));
      family = null;
    }
    Tokenizer t = b.config(config(config, specialMap, family)).build();
    if (spm != null) {
      t = t.toBuilder().config(spm.withSpecialTokenRoles(t.config())).build();
    }
    if (t.config().family() == null) {
      t = t.toBuilder().config(withFamily(t.config(), inferFamily(t))).build();
    }
    checkSpecialTokensDecode(t, path);
    return t;
  }

  /**
   * The special tokens the post-processor adds must be ids the tokenizer can decode: a file whose
   * template names an id outside its vocabulary would produce encodings nothing can read back.
   */
  private static void checkSpecialTokensDecode(Tokenizer t, Path source) {
    EncodeOptions options = t.defaultOptions();
    for (Encoding e : List.of(t.encode("", options), t.encodePair("", "", options))) {
      for (int id : e.ids()) {
        if (t.idToToken(id) == null) {
          throw new TokenizerFormatException(
              source
                  + ": the post-processor adds token id "
                  + id
                  + ", which is not in the vocabulary");
        }
      }
    }
  }

  private static SentencePieceProcessor loadSentencePiece(Path model) throws IOException {
    try {
      return SentencePieceProcessor.load(model);
    } catch (IllegalArgumentException e) {
      throw new TokenizerFormatException(model + ": " + e.getMessage(), e);
    }
  }

  private static Tokenizer.TokenizerConfig withFamily(Tokenizer.TokenizerConfig c, String f) {
    return new Tokenizer.TokenizerConfig(
        f, c.specialTokens(), c.cleanUpTokenizationSpaces(), c.modelMaxLength());
  }

  /** "gpt2-bpe" for byte-level BPE, "bpe", "wordpiece", "wordlevel", or the model's class. */
  public static String inferFamily(Tokenizer t) {
    Model m = t.model();
    if (m instanceof Bpe) {
      return t.preTokenizer() instanceof ByteLevel || t.decoder() instanceof ByteLevelDecoder
          ? "gpt2-bpe"
          : "bpe";
    }
    if (m instanceof WordPiece) {
      return "wordpiece";
    }
    if (m instanceof WordLevel) {
      return "wordlevel";
    }
    return m.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }

  // ---- GPT-2 and BERT native files

  static Tokenizer.Builder gpt2FromVocabJson(Path vocabJson, JsonNode config) throws IOException {
    Path folder = vocabJson.toAbsolutePath().getParent();
    Path merges = folder.resolve("merges.txt");
    if (!Files.isRegularFile(merges)) {
      merges = folder.resolve("vocab.bpe");
    }
    if (!Files.isRegularFile(merges)) {
      throw new TokenizerFormatException(vocabJson + ": no merges.txt beside it");
    }
    JsonNode vocabNode = readJson(vocabJson);
    if (!vocabNode.isObject()) {
      throw new TokenizerFormatException(vocabJson + ": not a JSON object of token ids");
    }
    Map<String, Integer> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : vocabNode.properties()) {
      JsonNode id = e.getValue();
      if (!id.isIntegralNumber() || !id.canConvertToInt() || id.intValue() < 0) {
        throw new TokenizerFormatException(
            vocabJson + ": the id of '" + e.getKey() + "' is " + id + ", not a non-negative int");
      }
      map.put(e.getKey(), id.intValue());
    }
    Vocabulary vocab = new Vocabulary(map);
    List<Bpe.Merge> mergeList = new ArrayList<>();
    int lineNo = 0;
    for (String line : Files.readAllLines(merges, StandardCharsets.UTF_8)) {
      lineNo++;
      if (line.isEmpty() || (lineNo == 1 && line.startsWith("#version"))) {
        continue;
      }
      int space = line.indexOf(' ');
      if (space <= 0) {
        throw new TokenizerFormatException(merges + ":" + lineNo + ": not a merge: '" + line + "'");
      }
      mergeList.add(new Bpe.Merge(line.substring(0, space), line.substring(space + 1)));
    }
    boolean prefixSpace = config != null && config.path("add_prefix_space").asBoolean(false);
    Tokenizer.Builder b =
        Tokenizer.builder()
            .model(newBpe(vocab, mergeList, merges))
            .preTokenizer(new ByteLevel(prefixSpace, true, true))
            .postProcessor(new ByteLevelProcessing(true, false, true))
            .decoder(new ByteLevelDecoder());
    String eot = "<|endoftext|>";
    if (vocab.get(eot) >= 0) {
      b.addedToken(vocab.get(eot), new AddedToken(eot, false, false, false, true, true));
    }
    return b;
  }

  private static Bpe newBpe(Vocabulary vocab, List<Bpe.Merge> merges, Path source) {
    try {
      return new Bpe(vocab, merges, Bpe.Options.defaults());
    } catch (IllegalArgumentException e) {
      throw new TokenizerFormatException(source + ": " + e.getMessage(), e);
    }
  }

  static Tokenizer.Builder bertFromVocabTxt(Path vocabTxt, JsonNode config) throws IOException {
    Map<String, Integer> map = new LinkedHashMap<>();
    int id = 0;
    for (String line : Files.readAllLines(vocabTxt, StandardCharsets.UTF_8)) {
      String token = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
      map.putIfAbsent(token, id++);
    }
    Vocabulary vocab = new Vocabulary(map);
    boolean lower = config == null || config.path("do_lower_case").asBoolean(true);
    boolean chinese = config == null || config.path("tokenize_chinese_chars").asBoolean(true);
    JsonNode strip = config == null ? null : config.get("strip_accents");
    Boolean stripAccents = strip == null || strip.isNull() ? null : strip.asBoolean();
    String unk = configToken(config, "unk_token", "[UNK]");
    String cls = configToken(config, "cls_token", "[CLS]");
    String sep = configToken(config, "sep_token", "[SEP]");
    String pad = configToken(config, "pad_token", "[PAD]");
    String mask = configToken(config, "mask_token", "[MASK]");
    for (String required : List.of(unk, cls, sep)) {
      if (vocab.get(required) < 0) {
        throw new TokenizerFormatException(vocabTxt + ": BERT token " + required + " is missing");
      }
    }
    Tokenizer.Builder b =
        Tokenizer.builder()
            .normalizer(new BertNormalizer(true, chinese, stripAccents, lower))
            .preTokenizer(new BertPreTokenizer())
            .model(new WordPiece(vocab, unk, "##", 100))
            .decoder(new WordPieceDecoder("##", true))
            .postProcessor(bertTemplate(cls, vocab.get(cls), sep, vocab.get(sep)));
    List<String> specials = new ArrayList<>(List.of(pad, unk, cls, sep, mask));
    specials.sort((x, y) -> Integer.compare(vocab.get(x), vocab.get(y)));
    for (String s : specials) {
      if (vocab.get(s) >= 0) {
        b.addedToken(vocab.get(s), AddedToken.special(s));
      }
    }
    return b;
  }

  /** {@code [CLS] $A:0 [SEP]:0} and {@code [CLS] $A:0 [SEP]:0 $B:1 [SEP]:1}. */
  public static TemplateProcessing bertTemplate(String cls, int clsId, String sep, int sepId) {
    TemplateProcessing.Piece c = new TemplateProcessing.SpecialPiece(cls, 0);
    TemplateProcessing.Piece a = new TemplateProcessing.SequencePiece(false, 0);
    TemplateProcessing.Piece s0 = new TemplateProcessing.SpecialPiece(sep, 0);
    TemplateProcessing.Piece bSeq = new TemplateProcessing.SequencePiece(true, 1);
    TemplateProcessing.Piece s1 = new TemplateProcessing.SpecialPiece(sep, 1);
    return new TemplateProcessing(
        List.of(c, a, s0),
        List.of(c, a, s0, bSeq, s1),
        Map.of(
            cls, new TemplateProcessing.SpecialToken(cls, new int[] {clsId}, new String[] {cls}),
            sep, new TemplateProcessing.SpecialToken(sep, new int[] {sepId}, new String[] {sep})));
  }

  // ---- tokenizer_config.json / special_tokens_map.json

  private static String configToken(JsonNode config, String role, String dflt) {
    String s = config == null ? null : tokenText(config.get(role));
    return s == null ? dflt : s;
  }

  /** A special token given as a string or as {@code {"content": …}}. */
  private static String tokenText(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isString()) {
      return node.asString();
    }
    JsonNode content = node.get("content");
    return content != null && content.isString() ? content.asString() : null;
  }

  static Tokenizer.TokenizerConfig config(JsonNode config, JsonNode specialMap, String family) {
    Map<String, String> specials = new LinkedHashMap<>();
    for (JsonNode source : new JsonNode[] {specialMap, config}) {
      if (source == null) {
        continue;
      }
      for (String role : ROLES) {
        String s = tokenText(source.get(role));
        if (s != null) {
          specials.putIfAbsent(role, s);
        }
      }
    }
    boolean cleanUp =
        config != null && config.path("clean_up_tokenization_spaces").asBoolean(false);
    long maxLength = config == null ? 0 : config.path("model_max_length").asLong(0);
    int max = maxLength > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.max(0, maxLength);
    return new Tokenizer.TokenizerConfig(family, specials, cleanUp, max);
  }

  // ---- saving

  public static void save(Tokenizer t, Path folder) throws IOException {
    Files.createDirectories(folder);
    // A .model tokenizer is written in its HF form, with the .model itself beside it.
    Tokenizer forJson = t.model() instanceof SentencePieceModel s ? s.hfForm(t) : t;
    ObjectNode json = TokenizerJsonWriter.write(forJson);
    Files.writeString(folder.resolve("tokenizer.json"), JSON.writeValueAsString(json));
    Model m = t.model();
    if (m instanceof WordPiece w) {
      StringBuilder sb = new StringBuilder();
      for (String token : w.vocabulary().asMap().keySet()) {
        sb.append(token).append('\n');
      }
      Files.writeString(folder.resolve("vocab.txt"), sb.toString());
    } else if (m instanceof Bpe b) {
      ObjectNode vocab = JSON.createObjectNode();
      b.vocabulary().asMap().forEach(vocab::put);
      Files.writeString(folder.resolve("vocab.json"), JSON.writeValueAsString(vocab));
      StringBuilder sb = new StringBuilder("#version: 0.2\n");
      for (Bpe.Merge x : b.merges()) {
        sb.append(x.left()).append(' ').append(x.right()).append('\n');
      }
      Files.writeString(folder.resolve("merges.txt"), sb.toString());
    } else if (m instanceof SentencePieceModel s) {
      Files.write(folder.resolve("tokenizer.model"), s.modelFile());
    }
    Tokenizer.TokenizerConfig c = t.config();
    ObjectNode specials = JSON.createObjectNode();
    c.specialTokens().forEach(specials::put);
    Files.writeString(folder.resolve("special_tokens_map.json"), JSON.writeValueAsString(specials));
    ObjectNode config = specials.deepCopy();
    config.put("clean_up_tokenization_spaces", c.cleanUpTokenizationSpaces());
    if (c.modelMaxLength() > 0) {
      config.put("model_max_length", c.modelMaxLength());
    }
    config.put("tokenizer_class", "PreTrainedTokenizerFast");
    Files.writeString(folder.resolve("tokenizer_config.json"), JSON.writeValueAsString(config));
  }

  // ---- JSON helpers

  static JsonNode readJson(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      return JSON.readTree(in);
    } catch (JacksonException e) {
      throw new TokenizerFormatException(path + ": invalid JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static JsonNode readOptional(Path path) throws IOException {
    return Files.isRegularFile(path) ? readJson(path) : null;
  }
}
