package io.lmserve.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code bin/lmserve bench <what> [options]}: the benchmarks of lmserve against other libraries.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    Locale.setDefault(Locale.ROOT);
    if (args.length == 0 || isHelp(args[0])) {
      System.out.println(USAGE);
      System.exit(args.length == 0 ? 2 : 0);
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    switch (args[0]) {
      case "tokenizers" -> System.exit(TokenizerBench.run(rest));
      case "training" -> System.exit(TrainingBench.run(rest));
      default -> {
        System.err.println("lmserve bench: unknown benchmark '" + args[0] + "'\n" + USAGE);
        System.exit(2);
      }
    }
  }

  static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h") || arg.equals("help");
  }

  static final String USAGE =
      """
      Usage: lmserve bench tokenizers [options]
             lmserve bench training [options]     (tokenizer training against spm_train)

      Throughput (MB/s of UTF-8 text) of lmserve's tokenizers against HF tokenizers (Rust, through
      DJL), jtokkit (GPT-2 ids) and SentencePiece (python binding), in one run: contenders take turns
      round by round and medians are reported, so a loaded machine slows them alike.
      """
          + TokenizerBench.OPTIONS;
}
