package io.lmserve.cli;

import io.lmserve.cli.Main.UsageException;
import io.lmserve.tokenizer.EncodeOptions;
import io.lmserve.tokenizer.Encoding;
import io.lmserve.tokenizer.OffsetUnit;
import io.lmserve.tokenizer.Tokenizer;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code lmserve encode}: texts from stdin to token ids, tokens and offsets as JSON lines. */
final class EncodeCommand extends OptionsCommand {

  static final String USAGE =
      """
      Usage: lmserve encode --tokenizer PATH [--jsonl] [--pairs] [--no-special] [--offsets codepoint|utf16|utf8]

      Reads one text per line from stdin (lines end at \\n only; \\r, U+0085 and U+2028 are part of the
      text) and prints one JSON line per text:
        {"ids":[...],"tokens":[...],"offsets":[[start,end],...],"type_ids":[...]}
      Offsets point into the input text; tokens the tokenizer adds itself ([CLS], [SEP]) get [-1,-1].

        --tokenizer PATH  a tokenizer.json, a vocab.txt, a vocab.json (+ merges.txt beside it), a .model,
                          or a folder holding one (tried in that order)
        --jsonl           each line is {"text": "...", "text_pair": "..."} (text_pair optional), so texts
                          may contain newlines
        --pairs           encode pairs: with --jsonl, text_pair is required; without, a line is
                          TEXT<TAB>PAIR (split at the first tab)
        --no-special      do not add the special tokens of the post-processor ([CLS] ... [SEP])
        --offsets UNIT    codepoint (default; HF Python's unit), utf16 (Java/JS string index) or utf8 (bytes)
      """;

  private static final Options.Spec SPEC =
      new Options.Spec()
          .value("--tokenizer")
          .flag("--jsonl")
          .flag("--pairs")
          .flag("--no-special")
          .value("--offsets");

  /** Texts encoded together in one parallel batch. */
  private static final int BATCH = 256;

  EncodeCommand() {
    super(USAGE, SPEC);
  }

  @Override
  public String summary() {
    return "token ids, tokens and offsets for texts on stdin (prints JSON lines)";
  }

  @Override
  int run(Options options) throws Exception {
    Path path = Path.of(options.required("--tokenizer"));
    OffsetUnit unit =
        switch (options.value("--offsets").orElse("codepoint")) {
          case "codepoint" -> OffsetUnit.CODE_POINT;
          case "utf16" -> OffsetUnit.UTF16;
          case "utf8" -> OffsetUnit.UTF8;
          default ->
              throw new UsageException(
                  "--offsets must be codepoint, utf16 or utf8, not '"
                      + options.value("--offsets").get()
                      + "'");
        };
    boolean jsonl = options.flag("--jsonl");
    boolean pairs = options.flag("--pairs");
    Tokenizer tokenizer = Tokenizer.load(path);
    EncodeOptions encodeOptions =
        tokenizer.defaultOptions().withAddSpecialTokens(!options.flag("--no-special"));
    JsonMapper json = JsonMapper.shared();
    TextLines lines = TextLines.stdin();
    Writer out = TextLines.stdout();
    List<String> texts = new ArrayList<>(BATCH);
    List<String> pairTexts = new ArrayList<>(BATCH);
    String line;
    while ((line = lines.next()) != null) {
      String text;
      String pair = null;
      if (jsonl) {
        JsonNode node;
        try {
          node = json.readTree(line);
        } catch (JacksonException e) {
          throw new UsageException("stdin line " + lines.number() + ": invalid JSON");
        }
        JsonNode t = node.get("text");
        if (t == null || !t.isString()) {
          throw new UsageException("stdin line " + lines.number() + ": no \"text\" string");
        }
        text = t.asString();
        JsonNode p = node.get("text_pair");
        if (p != null && p.isString()) {
          pair = p.asString();
        } else if (pairs) {
          throw new UsageException("stdin line " + lines.number() + ": no \"text_pair\" string");
        }
      } else if (pairs) {
        int tab = line.indexOf('\t');
        if (tab < 0) {
          throw new UsageException("stdin line " + lines.number() + ": no tab between the pair");
        }
        text = line.substring(0, tab);
        pair = line.substring(tab + 1);
      } else {
        text = line;
      }
      texts.add(text);
      pairTexts.add(pair);
      if (texts.size() == BATCH) {
        write(tokenizer, texts, pairTexts, encodeOptions, unit, out);
      }
    }
    write(tokenizer, texts, pairTexts, encodeOptions, unit, out);
    out.flush();
    return 0;
  }

  private static void write(
      Tokenizer tokenizer,
      List<String> texts,
      List<String> pairs,
      EncodeOptions options,
      OffsetUnit unit,
      Writer out)
      throws java.io.IOException {
    List<Encoding> encodings = tokenizer.encodePairBatch(texts, pairs, options);
    for (int i = 0; i < encodings.size(); i++) {
      out.write(toJson(encodings.get(i), texts.get(i), pairs.get(i), unit));
      out.write('\n');
    }
    texts.clear();
    pairs.clear();
  }

  /** One output line; written by hand as it is the whole of the command's work. */
  static String toJson(Encoding e, String text, String pair, OffsetUnit unit) {
    StringBuilder sb = new StringBuilder(32 + e.length() * 24);
    sb.append("{\"ids\":[");
    for (int i = 0; i < e.length(); i++) {
      sb.append(i == 0 ? "" : ",").append(e.ids()[i]);
    }
    sb.append("],\"tokens\":[");
    for (int i = 0; i < e.length(); i++) {
      sb.append(i == 0 ? "" : ",");
      quote(e.tokens()[i], sb);
    }
    sb.append("],\"offsets\":[");
    int[][] offsets = e.offsets(unit, text, pair);
    for (int i = 0; i < e.length(); i++) {
      sb.append(i == 0 ? "[" : ",[");
      if (e.sequenceIds()[i] < 0) {
        sb.append("-1,-1]");
      } else {
        sb.append(offsets[i][0]).append(',').append(offsets[i][1]).append(']');
      }
    }
    sb.append("],\"type_ids\":[");
    for (int i = 0; i < e.length(); i++) {
      sb.append(i == 0 ? "" : ",").append(e.typeIds()[i]);
    }
    return sb.append("]}").toString();
  }

  /** A JSON string literal (lone surrogates are escaped, so the output stays valid UTF-8). */
  static void quote(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean loneSurrogate =
          Character.isSurrogate(c)
              && !(Character.isHighSurrogate(c)
                  && i + 1 < s.length()
                  && Character.isLowSurrogate(s.charAt(i + 1)))
              && !(Character.isLowSurrogate(c)
                  && i > 0
                  && Character.isHighSurrogate(s.charAt(i - 1)));
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || loneSurrogate) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }
}
