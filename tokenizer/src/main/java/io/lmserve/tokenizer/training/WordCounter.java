package io.lmserve.tokenizer.training;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the words of a corpus on a fixed pool of threads. The reading thread hands out chunks of
 * lines; each chunk is counted into its own small map and merged into the shared table, so memory
 * is the word table plus a few chunks in flight, whatever the size of the corpus.
 */
public final class WordCounter {

  private static final int CHUNK_LINES = 2048;

  /** Distinct words kept at most: beyond it the corpus is refused rather than exhausting memory. */
  public static final int DEFAULT_MAX_WORDS = 50_000_000;

  private final WordSplitter splitter;
  private final int threads;
  private final int maxWords;

  public WordCounter(WordSplitter splitter, int threads, int maxWords) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1: " + threads);
    }
    if (maxWords < 1) {
      throw new IllegalArgumentException("maxWords must be at least 1: " + maxWords);
    }
    this.splitter = splitter;
    this.threads = threads;
    this.maxWords = maxWords;
  }

  /** Counts every word; {@code progress} hears about the lines read. */
  public WordCounts count(TrainingCorpus corpus, TrainingProgress progress) {
    ConcurrentHashMap<String, Long> table = new ConcurrentHashMap<>();
    AtomicLong lineCount = new AtomicLong();
    long expectedBytes = corpus.sizeInBytes();
    AtomicLong bytesSeen = new AtomicLong();
    Semaphore inFlight = new Semaphore(threads * 2);
    List<Future<?>> pending = new ArrayList<>();
    try (ExecutorService pool = Workers.pool(threads, "lmserve-word-counter")) {
      List<String> chunk = new ArrayList<>(CHUNK_LINES);
      corpus.forEachLine(
          line -> {
            chunk.add(line);
            if (chunk.size() == CHUNK_LINES) {
              pending.add(submit(pool, inFlight, List.copyOf(chunk), table));
              chunk.clear();
              rethrowFailures(pending);
              pending.removeIf(Future::isDone);
            }
            long lines = lineCount.incrementAndGet();
            long bytes = bytesSeen.addAndGet(line.length() + 1L);
            if (lines % CHUNK_LINES == 0) {
              // UTF-16 units stand in for bytes: exact for ASCII, close enough for a progress bar.
              long done = expectedBytes < 0 ? lines : Math.min(bytes, expectedBytes);
              progress.update("count words", done, expectedBytes);
            }
          });
      if (!chunk.isEmpty()) {
        pending.add(submit(pool, inFlight, List.copyOf(chunk), table));
      }
      for (Future<?> future : pending) {
        Workers.await(future);
      }
    }
    long done = expectedBytes < 0 ? lineCount.get() : expectedBytes;
    progress.update("count words", done, expectedBytes);
    String[] words = table.keySet().toArray(String[]::new);
    java.util.Arrays.sort(words);
    long[] counts = new long[words.length];
    for (int i = 0; i < words.length; i++) {
      counts[i] = table.get(words[i]);
    }
    return new WordCounts(words, counts, lineCount.get());
  }

  private Future<?> submit(
      ExecutorService pool, Semaphore inFlight, List<String> lines, Map<String, Long> table) {
    try {
      inFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while counting words", e);
    }
    return pool.submit(
        () -> {
          try {
            Map<String, Long> local = new HashMap<>();
            for (String line : lines) {
              splitter.split(line, word -> local.merge(word, 1L, Long::sum));
            }
            local.forEach((word, count) -> table.merge(word, count, Long::sum));
            if (table.size() > maxWords) {
              throw new IllegalArgumentException(
                  "the corpus has more than " + maxWords + " distinct words (raise maxWords)");
            }
          } finally {
            inFlight.release();
          }
        });
  }

  private static void rethrowFailures(List<Future<?>> futures) {
    for (Future<?> future : futures) {
      if (future.isDone()) {
        Workers.await(future);
      }
    }
  }
}
