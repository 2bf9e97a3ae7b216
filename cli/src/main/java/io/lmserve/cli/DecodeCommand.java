package io.lmserve.cli;

import io.lmserve.cli.Main.UsageException;
import io.lmserve.tokenizer.Tokenizer;
import java.io.Writer;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code lmserve decode}: JSON id arrays from stdin back to text. */
final class DecodeCommand extends OptionsCommand {

  static final String USAGE =
      """
      Usage: lmserve decode --tokenizer PATH [--skip-special] [--jsonl]

      Reads one JSON array of token ids per line from stdin, e.g. [15496, 995] (an object with an
      "ids" array, as encode prints, works too) and prints the decoded text, one line per input line.

        --tokenizer PATH  a tokenizer.json, vocab.txt, vocab.json, .model, or a folder holding one
        --skip-special    leave special tokens ([CLS], <|endoftext|>, ...) out of the text
        --jsonl           print {"text": "..."} lines, so texts containing newlines stay one line
      """;

  private static final Options.Spec SPEC =
      new Options.Spec().value("--tokenizer").flag("--skip-special").flag("--jsonl");

  DecodeCommand() {
    super(USAGE, SPEC);
  }

  @Override
  public String summary() {
    return "text for JSON arrays of token ids on stdin";
  }

  @Override
  int run(Options options) throws Exception {
    Tokenizer tokenizer = Tokenizer.load(Path.of(options.required("--tokenizer")));
    boolean skip = options.flag("--skip-special");
    boolean jsonl = options.flag("--jsonl");
    JsonMapper json = JsonMapper.shared();
    TextLines lines = TextLines.stdin();
    Writer out = TextLines.stdout();
    String line;
    while ((line = lines.next()) != null) {
      JsonNode node;
      try {
        node = json.readTree(line);
      } catch (JacksonException e) {
        throw new UsageException("stdin line " + lines.number() + ": invalid JSON");
      }
      JsonNode ids = node != null && node.isObject() ? node.get("ids") : node;
      if (ids == null || !ids.isArray()) {
        throw new UsageException("stdin line " + lines.number() + ": not an array of ids");
      }
      int[] array = new int[ids.size()];
      for (int i = 0; i < array.length; i++) {
        JsonNode id = ids.get(i);
        if (!id.isIntegralNumber() || !id.canConvertToInt() || id.asInt() < 0) {
          throw new UsageException("stdin line " + lines.number() + ": '" + id + "' is not an id");
        }
        array[i] = id.asInt();
      }
      String text;
      try {
        text = tokenizer.decode(array, skip);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("stdin line " + lines.number() + ": " + e.getMessage());
      }
      if (jsonl) {
        StringBuilder sb = new StringBuilder("{\"text\":");
        EncodeCommand.quote(text, sb);
        out.write(sb.append('}').toString());
      } else {
        out.write(text);
      }
      out.write('\n');
    }
    out.flush();
    return 0;
  }
}
