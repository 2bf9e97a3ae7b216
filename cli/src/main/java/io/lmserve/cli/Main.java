package io.lmserve.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Entry point of the library commands behind {@code bin/lmserve} (everything but {@code serve}).
 * Each command registers here under its name; {@code bin/lmserve} lists the same names in its help.
 *
 * <p>Exit codes: 0 success, 1 failure while running, 2 bad usage.
 */
public final class Main {

  /**
   * A subcommand: a one-line summary for the command list and a runner that gets the rest of argv.
   */
  public interface Command {
    String summary();

    int run(String[] args) throws Exception;
  }

  private static final Map<String, Command> COMMANDS = new TreeMap<>();

  static {
    COMMANDS.put("generate", new GenerateCommand());
    COMMANDS.put("fill-mask", new FillMaskCommand());
    COMMANDS.put("encode", new EncodeCommand());
    COMMANDS.put("decode", new DecodeCommand());
    COMMANDS.put("train-tokenizer", new TrainTokenizerCommand());
    COMMANDS.put("eval", new EvalCommand());
  }

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.err));
  }

  static int run(String[] args, PrintStream err) {
    if (args.length == 0) {
      err.println("lmserve: no command given (see lmserve --help)");
      return 2;
    }
    Command command = COMMANDS.get(args[0]);
    if (command == null) {
      err.println("lmserve: unknown command '" + args[0] + "' (see lmserve --help)");
      return 2;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      return command.run(rest);
    } catch (UsageException e) {
      err.println("lmserve " + args[0] + ": " + e.getMessage());
      return 2;
    } catch (Exception e) {
      err.println("lmserve " + args[0] + ": " + e.getMessage());
      return 1;
    }
  }

  /** Thrown for wrong arguments: reported in one line with exit code 2. */
  public static final class UsageException extends Exception {
    public UsageException(String message) {
      super(message);
    }
  }
}
