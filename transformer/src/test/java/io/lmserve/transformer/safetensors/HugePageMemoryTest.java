package io.lmserve.transformer.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HugePageMemoryTest {

  private static final long MIB = 1L << 20;

  @Test
  void memoryHoldsWhatIsWrittenUntilTheArenaCloses() {
    MemorySegment seg;
    try (Arena arena = Arena.ofShared()) {
      seg = HugePageMemory.allocate(9 * MIB + 12, arena);
      assertEquals(9 * MIB + 12, seg.byteSize());
      for (long i = 0; i < seg.byteSize(); i += 4093) {
        seg.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 31));
      }
      for (long i = 0; i < seg.byteSize(); i += 4093) {
        assertEquals((byte) (i * 31), seg.get(ValueLayout.JAVA_BYTE, i));
      }
      assertEquals(0, seg.address() % 64, "vector loads want at least 64-byte alignment");
    }
    assertFalse(seg.scope().isAlive(), "closing the arena releases the memory");
  }

  @Test
  void smallAndEmptyRequestsGetOrdinaryMemory() {
    try (Arena arena = Arena.ofConfined()) {
      assertEquals(1, HugePageMemory.allocate(0, arena).byteSize());
      MemorySegment small = HugePageMemory.allocate(1000, arena);
      assertEquals(1000, small.byteSize());
      assertEquals(0, small.address() % 64);
    }
  }

  /**
   * Where the kernel hands out transparent huge pages on request (mode {@code madvise} or {@code
   * always}), a large allocation is 2 MiB aligned and, once written, backed by huge pages in {@code
   * /proc/self/smaps}; with THP off the memory is ordinary and still works (tested above).
   */
  @Test
  void largeAllocationsAreBackedByHugePagesWhereTheKernelGrantsThem() throws IOException {
    Path mode = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
    boolean granted =
        HugePageMemory.enabled()
            && Files.isReadable(mode)
            && !Files.readString(mode).contains("[never]");
    try (Arena arena = Arena.ofShared()) {
      MemorySegment seg = HugePageMemory.allocate(64 * MIB, arena);
      seg.fill((byte) 1);
      if (!granted) {
        assertEquals(1, seg.get(ValueLayout.JAVA_BYTE, 64 * MIB - 1));
        return;
      }
      assertEquals(0, seg.address() % (2 * MIB));
      long hugeKb = anonHugePagesKb(seg.address());
      assertTrue(hugeKb >= 2048, "AnonHugePages of the mapping: " + hugeKb + " kB");
    }
  }

  /** AnonHugePages of the /proc/self/smaps entry that contains {@code address}. */
  private static long anonHugePagesKb(long address) throws IOException {
    List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps"));
    boolean inside = false;
    for (String line : lines) {
      if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
        String[] range = line.substring(0, line.indexOf(' ')).split("-");
        long start = Long.parseUnsignedLong(range[0], 16);
        long end = Long.parseUnsignedLong(range[1], 16);
        inside = address >= start && address < end;
      } else if (inside && line.startsWith("AnonHugePages:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
