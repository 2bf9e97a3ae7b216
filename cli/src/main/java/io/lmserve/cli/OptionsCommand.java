package io.lmserve.cli;

/** A command driven by declared {@link Options}: {@code --help} prints its usage text. */
abstract class OptionsCommand implements Main.Command {

  private final String usage;
  private final Options.Spec spec;

  /**
   * @param usage the text {@code --help} prints, starting with a {@code Usage:} line
   * @param spec the options the command accepts
   */
  OptionsCommand(String usage, Options.Spec spec) {
    this.usage = usage;
    this.spec = spec;
  }

  /** Runs with parsed options; returns the exit code. */
  abstract int run(Options options) throws Exception;

  @Override
  public final int run(String[] args) throws Exception {
    if (Options.wantsHelp(args)) {
      System.out.print(usage);
      return 0;
    }
    return run(spec.parse(args));
  }
}
