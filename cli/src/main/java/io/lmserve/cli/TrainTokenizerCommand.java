package io.lmserve.cli;

import io.lmserve.tokenizer.training.TokenizerTrainer;
import io.lmserve.tokenizer.training.TrainedTokenizer;
import io.lmserve.tokenizer.training.TrainerType;
import io.lmserve.tokenizer.training.TrainingCorpus;
import io.lmserve.tokenizer.training.TrainingOptions;
import io.lmserve.tokenizer.training.TrainingProgress;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code lmserve train-tokenizer}: trains a tokenizer on text files and writes its files to a
 * folder. Progress goes to stderr (a bar on a terminal, plain lines otherwise), the summary to
 * stdout.
 */
final class TrainTokenizerCommand implements Main.Command {

  static final String USAGE =
      """
      Usage: lmserve train-tokenizer --type TYPE --vocab-size N --out DIR [options] FILE...

      Trains a tokenizer on UTF-8 text files (one text per line, split on \\n only) and writes
      tokenizer.json plus the family's native files into DIR.

        --type TYPE               bpe (classic, </w>), byte-bpe (GPT-2), wordpiece (BERT),
                                  unigram (SentencePiece), spm-bpe (SentencePiece BPE)
        --vocab-size N            vocabulary size, special tokens included
        --out DIR                 output folder (created if missing)
        --special-tokens A,B,...  special tokens, first ids (default per type: bpe <unk>;
                                  byte-bpe <|endoftext|>; wordpiece [PAD],[UNK],[CLS],[SEP],[MASK];
                                  unigram and spm-bpe <unk>,<s>,</s>)
        --min-frequency N         BPE family: do not merge pairs seen fewer times (default 2;
                                  SentencePiece types 1)
        --initial-alphabet CHARS  characters always in the alphabet
        --limit-alphabet N        at most N alphabet characters (default: no limit)
        --character-coverage F    alphabet covers this fraction of characters (default 1;
                                  SentencePiece types 0.9995)
        --byte-fallback           unigram, spm-bpe: <0x00>..<0xFF> pieces for unknown characters
        --cased                   wordpiece: keep case and accents
        --max-piece-length N      longest token in characters (SentencePiece types: 16)
        --threads N               worker threads (default: the number of processors)
        --quiet                   no progress on stderr
      """;

  @Override
  public String summary() {
    return "train a bpe, byte-bpe, wordpiece or unigram tokenizer on text files";
  }

  @Override
  public int run(String[] args) throws Exception {
    return run(args, System.out, System.err, System.console() != null);
  }

  int run(String[] args, PrintStream out, PrintStream err, boolean terminal) throws Exception {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      out.print(USAGE);
      return 0;
    }
    TrainerType type = null;
    Integer vocabSize = null;
    Path outDir = null;
    List<Path> files = new ArrayList<>();
    List<String> rest = new ArrayList<>();
    boolean quiet = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--type" -> type = parseType(value(args, ++i, arg));
        case "--vocab-size" -> vocabSize = parseInt(value(args, ++i, arg), arg);
        case "--out" -> outDir = Path.of(value(args, ++i, arg));
        case "--quiet" -> quiet = true;
        case "--byte-fallback", "--cased" -> rest.add(arg);
        case "--special-tokens",
            "--min-frequency",
            "--initial-alphabet",
            "--limit-alphabet",
            "--character-coverage",
            "--max-piece-length",
            "--threads" -> {
          rest.add(arg);
          rest.add(value(args, ++i, arg));
        }
        default -> {
          if (arg.startsWith("--")) {
            throw new Main.UsageException("unknown option " + arg + " (see --help)");
          }
          files.add(Path.of(arg));
        }
      }
    }
    if (type == null || vocabSize == null || outDir == null) {
      throw new Main.UsageException("--type, --vocab-size and --out are required (see --help)");
    }
    if (files.isEmpty()) {
      throw new Main.UsageException("no training files given (see --help)");
    }
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        throw new Main.UsageException("training file not found: " + file);
      }
    }
    TrainingOptions options = options(type, vocabSize, rest);
    TrainingProgress progress = quiet ? TrainingProgress.NONE : new ProgressReporter(err, terminal);
    TrainedTokenizer trained =
        TokenizerTrainer.train(TrainingCorpus.ofFiles(files), options, progress);
    trained.save(outDir);
    out.println(trained.summary());
    out.println("written to " + outDir.toAbsolutePath().normalize());
    return 0;
  }

  private static TrainingOptions options(TrainerType type, int vocabSize, List<String> rest)
      throws Main.UsageException {
    TrainingOptions.Builder builder = TrainingOptions.builder(type, vocabSize);
    for (int i = 0; i < rest.size(); i++) {
      String option = rest.get(i);
      switch (option) {
        case "--byte-fallback" -> builder.byteFallback(true);
        case "--cased" -> builder.lowercase(false);
        case "--special-tokens" ->
            builder.specialTokens(
                Arrays.stream(rest.get(++i).split(",")).filter(s -> !s.isEmpty()).toList());
        case "--min-frequency" -> builder.minFrequency(parseInt(rest.get(++i), option));
        case "--initial-alphabet" -> builder.initialAlphabet(rest.get(++i));
        case "--limit-alphabet" -> builder.limitAlphabet(parseInt(rest.get(++i), option));
        case "--character-coverage" ->
            builder.characterCoverage(parseDouble(rest.get(++i), option));
        case "--max-piece-length" -> builder.maxPieceLength(parseInt(rest.get(++i), option));
        case "--threads" -> builder.threads(parseInt(rest.get(++i), option));
        default -> throw new IllegalStateException(option);
      }
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new Main.UsageException(e.getMessage());
    }
  }

  private static TrainerType parseType(String name) throws Main.UsageException {
    try {
      return TrainerType.fromCliName(name);
    } catch (IllegalArgumentException e) {
      throw new Main.UsageException(e.getMessage());
    }
  }

  private static String value(String[] args, int i, String option) throws Main.UsageException {
    if (i >= args.length) {
      throw new Main.UsageException(option + " needs a value");
    }
    return args[i];
  }

  private static int parseInt(String text, String option) throws Main.UsageException {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new Main.UsageException(option + " expects an integer, got '" + text + "'");
    }
  }

  private static double parseDouble(String text, String option) throws Main.UsageException {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new Main.UsageException(option + " expects a number, got '" + text + "'");
    }
  }

  /**
   * Draws progress: on a terminal one bar redrawn in place (at most ten times a second), otherwise
   * a line when a stage starts and every tenth of it.
   */
  static final class ProgressReporter implements TrainingProgress {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final boolean terminal;
    private String stage = "";
    private long lastDraw;
    private int lastTenth = -1;

    ProgressReporter(PrintStream err, boolean terminal) {
      this.err = err;
      this.terminal = terminal;
    }

    @Override
    public void update(String newStage, long done, long total) {
      boolean stageChanged = !newStage.equals(stage);
      if (stageChanged && terminal && !stage.isEmpty()) {
        err.println();
      }
      if (stageChanged) {
        stage = newStage;
        lastTenth = -1;
      }
      if (newStage.equals("done")) {
        return;
      }
      double fraction = total > 0 ? Math.min(1, Math.max(0, (double) done / total)) : -1;
      if (terminal) {
        long now = System.nanoTime();
        if (!stageChanged && now - lastDraw < 100_000_000L && fraction < 1) {
          return;
        }
        lastDraw = now;
        err.print("\r" + bar(fraction, done, total));
        err.flush();
      } else {
        int tenth = fraction < 0 ? 0 : (int) (fraction * 10);
        if (stageChanged || tenth > lastTenth) {
          lastTenth = tenth;
          err.println(line(fraction, done, total));
        }
      }
    }

    private String bar(double fraction, long done, long total) {
      if (fraction < 0) {
        return String.format(Locale.ROOT, "%-12s %,d", stage, done);
      }
      int filled = (int) Math.round(fraction * WIDTH);
      return String.format(
          Locale.ROOT,
          "%-12s [%s%s] %3d%%",
          stage,
          "#".repeat(filled),
          " ".repeat(WIDTH - filled),
          Math.round(fraction * 100));
    }

    private String line(double fraction, long done, long total) {
      return fraction < 0
          ? String.format(Locale.ROOT, "%s: %,d", stage, done)
          : String.format(Locale.ROOT, "%s: %d%%", stage, Math.round(fraction * 100));
    }
  }
}
