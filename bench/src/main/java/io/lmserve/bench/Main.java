package io.lmserve.bench;

import io.lmserve.bench.reliability.ReliabilityBench;
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
    try {
      switch (args[0]) {
        case "tokenizers" -> System.exit(TokenizerBench.run(rest));
        case "training" -> System.exit(TrainingBench.run(rest));
        case "engine" -> System.exit(EngineBench.run(rest));
        case "scheduler" -> System.exit(SchedulerBench.run(rest));
        case "reliability" -> System.exit(reliability(rest));
        default -> {
          System.err.println("lmserve bench: unknown benchmark '" + args[0] + "'\n" + USAGE);
          System.exit(2);
        }
      }
    } catch (IllegalArgumentException e) {
      // bad options (and arguments a benchmark rejects): one line, like the other commands
      System.err.println("lmserve bench " + args[0] + ": " + e.getMessage());
      System.exit(2);
    }
  }

  private static int reliability(List<String> args) throws Exception {
    if (args.stream().anyMatch(Main::isHelp)) {
      System.out.println(ReliabilityBench.OPTIONS);
      return 0;
    }
    return ReliabilityBench.run(args);
  }

  static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h") || arg.equals("help");
  }

  static final String USAGE =
      """
      Usage: lmserve bench tokenizers [options]
             lmserve bench training [options]     (tokenizer training against spm_train)
             lmserve bench engine --model DIR [--model DIR] [options]
             lmserve bench scheduler --model DIR [options]
             lmserve bench reliability [options]

      tokenizers: throughput (MB/s of UTF-8 text) of lmserve's tokenizers against HF tokenizers (Rust,
      through DJL), jtokkit (GPT-2 ids) and SentencePiece (python binding).
      engine: GPT-2 prefill and decode tokens/s and BERT sequences/s against PyTorch on the same shapes,
      with the achieved GFLOP/s and GB/s beside the machine's measured FMA peak and memory bandwidth.
      scheduler: aggregate tokens/s of 1/4/8/16 concurrent requests through the batching scheduler.
      reliability: starts the service on loopback and prints the load it held, the bad inputs it
      answered, the faults it survived and the leaks afterwards; exit code 1 if any check fails.
      Contenders take turns round by round and medians are reported, so a loaded machine slows them
      alike. `lmserve bench <what> --help` lists each one's options.
      """;
}
