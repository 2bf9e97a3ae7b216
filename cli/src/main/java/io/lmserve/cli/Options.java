package io.lmserve.cli;

import io.lmserve.cli.Main.UsageException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --name value} and {@code --flag} arguments checked against what a command declares, so
 * that a misspelt option is a usage error rather than silently ignored. A command adds options by
 * declaring them; values are read with the typed getters, which name the option in their errors.
 */
final class Options {

  /** What a command accepts: option names mapped to whether they take a value. */
  static final class Spec {
    private final Map<String, Boolean> takesValue = new LinkedHashMap<>();
    private String positional;

    Spec value(String name) {
      takesValue.put(name, true);
      return this;
    }

    Spec flag(String name) {
      takesValue.put(name, false);
      return this;
    }

    /**
     * One argument without a dash is accepted as the value of option {@code name} (e.g. the text of
     * {@code lmserve fill-mask --model DIR "The [MASK] is here."}).
     */
    Spec positional(String name) {
      takesValue.put(name, true);
      positional = name;
      return this;
    }

    Options parse(String[] args) throws UsageException {
      Map<String, String> values = new HashMap<>();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        String name = arg;
        String inline = null;
        int eq = arg.indexOf('=');
        if (arg.startsWith("--") && eq > 0) {
          name = arg.substring(0, eq);
          inline = arg.substring(eq + 1);
        }
        Boolean valued = takesValue.get(name);
        if (valued == null && positional != null && !arg.startsWith("-")) {
          if (values.containsKey(positional)) {
            throw new UsageException(positional + " given twice");
          }
          values.put(positional, arg);
          continue;
        }
        if (valued == null) {
          throw new UsageException(
              (arg.startsWith("-") ? "unknown option " : "unexpected argument ") + "'" + arg + "'");
        }
        if (values.containsKey(name)) {
          throw new UsageException(name + " given twice");
        }
        if (!valued) {
          if (inline != null) {
            throw new UsageException(name + " takes no value");
          }
          values.put(name, "");
        } else if (inline != null) {
          values.put(name, inline);
        } else if (i + 1 < args.length) {
          values.put(name, args[++i]);
        } else {
          throw new UsageException(name + " needs a value");
        }
      }
      return new Options(values);
    }
  }

  private final Map<String, String> values;

  private Options(Map<String, String> values) {
    this.values = values;
  }

  static boolean wantsHelp(String[] args) {
    return Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h");
  }

  boolean flag(String name) {
    return values.containsKey(name);
  }

  Optional<String> value(String name) {
    return Optional.ofNullable(values.get(name));
  }

  String required(String name) throws UsageException {
    String v = values.get(name);
    if (v == null) {
      throw new UsageException(name + " is required");
    }
    return v;
  }

  Optional<Integer> integer(String name, int min, int max) throws UsageException {
    String v = values.get(name);
    if (v == null) {
      return Optional.empty();
    }
    return Optional.of(parseInt(name, v.trim(), min, max));
  }

  Optional<Double> decimal(String name, double min, double max) throws UsageException {
    String v = values.get(name);
    if (v == null) {
      return Optional.empty();
    }
    double value;
    try {
      value = Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new UsageException(name + ": '" + v + "' is not a number");
    }
    if (!(value >= min && value <= max)) {
      throw new UsageException(name + ": " + value + " out of range [" + min + ", " + max + "]");
    }
    return Optional.of(value);
  }

  Optional<Long> longValue(String name) throws UsageException {
    String v = values.get(name);
    if (v == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      throw new UsageException(name + ": '" + v + "' is not an integer");
    }
  }

  /** A comma-separated list of integers, e.g. {@code 5,17,42}. */
  int[] intList(String name, int min, int max, int maxCount) throws UsageException {
    String v = required(name);
    String[] parts = v.split(",", -1);
    if (parts.length > maxCount) {
      throw new UsageException(name + " has " + parts.length + " entries; at most " + maxCount);
    }
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = parseInt(name, parts[i].trim(), min, max);
    }
    return out;
  }

  private static int parseInt(String name, String text, int min, int max) throws UsageException {
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new UsageException(name + ": '" + text + "' is not an integer");
    }
    if (value < min || value > max) {
      throw new UsageException(name + ": " + value + " out of range [" + min + ", " + max + "]");
    }
    return value;
  }
}
