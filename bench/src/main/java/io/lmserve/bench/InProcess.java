package io.lmserve.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * A contender that runs inside this JVM: one call per text on the calling thread, or one call per
 * batch with whatever threads the library uses.
 */
final class InProcess implements Contender {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final String name;
  private final boolean allThreads;
  private final List<List<String>> calls;
  private final ToIntFunction<List<String>> tokensOfCall;
  private final Function<String, int[]> ids;

  private InProcess(
      String name,
      boolean allThreads,
      List<List<String>> calls,
      ToIntFunction<List<String>> tokensOfCall,
      Function<String, int[]> ids) {
    this.name = name;
    this.allThreads = allThreads;
    this.calls = calls;
    this.tokensOfCall = tokensOfCall;
    this.ids = ids;
  }

  /**
   * Encodes the corpus one text per call on this thread.
   *
   * @param tokensOf encodes one text and returns its token count
   * @param ids the ids of one text, for the check
   */
  static Contender perText(
      String name, Corpus corpus, ToIntFunction<String> tokensOf, Function<String, int[]> ids) {
    return new InProcess(
        name,
        false,
        corpus.texts().stream().map(List::of).toList(),
        call -> tokensOf.applyAsInt(call.getFirst()),
        ids);
  }

  /**
   * Encodes the corpus one batch per call; the library may use any number of threads.
   *
   * @param tokensOf encodes one batch and returns its token count
   */
  static Contender perBatch(
      String name,
      Corpus corpus,
      int batchSize,
      ToIntFunction<List<String>> tokensOf,
      Function<String, int[]> ids) {
    return new InProcess(name, true, corpus.batches(batchSize), tokensOf, ids);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Pass pass() {
    long cpu0 = cpuNanos();
    long t0 = System.nanoTime();
    long tokens = 0;
    for (List<String> call : calls) {
      tokens += tokensOfCall.applyAsInt(call);
    }
    long t1 = System.nanoTime();
    long cpu1 = cpuNanos();
    return new Pass(tokens, (t1 - t0) / 1e9, (cpu1 - cpu0) / 1e9);
  }

  @Override
  public List<int[]> ids(List<String> texts) {
    return texts.stream().map(ids).toList();
  }

  /** CPU time of this thread, or of the whole process when the library runs its own threads. */
  private long cpuNanos() {
    if (!allThreads) {
      return THREADS.getCurrentThreadCpuTime();
    }
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }
}
