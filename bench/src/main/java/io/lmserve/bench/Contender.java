package io.lmserve.bench;

import java.util.List;

/** One tokenizer doing one kind of work over the whole corpus, timed pass by pass. */
interface Contender extends AutoCloseable {

  /** Name in the table, e.g. {@code "DJL HF tokenizers, full encodings"}. */
  String name();

  /** Encodes every text once. */
  Pass pass();

  /** The ids of each text, for the check that every contender does the same work. */
  List<int[]> ids(List<String> texts);

  @Override
  default void close() {}

  /**
   * One timed pass.
   *
   * @param tokens tokens produced, to catch a contender that silently does less work
   * @param cpuSeconds CPU time of the threads doing the work (the calling thread for single-thread
   *     contenders, the whole process for batches), less sensitive than wall time to a loaded
   *     machine
   */
  record Pass(long tokens, double wallSeconds, double cpuSeconds) {}
}
