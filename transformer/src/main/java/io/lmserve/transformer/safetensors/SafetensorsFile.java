package io.lmserve.transformer.safetensors;

import io.lmserve.transformer.ModelLoadException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;

/**
 * A safetensors file read into native memory owned by an {@link Arena} (on huge pages where Linux
 * allows: {@link HugePageMemory}): tensors are read in place from there, and the memory lives as
 * long as the arena.
 *
 * <p>The data section is read once at open rather than memory-mapped. A mapped file that is cut
 * short while a model serves (a copy over the model folder, a full disk) makes the next read of a
 * vanished page a SIGBUS, and in JIT-compiled Vector API code HotSpot does not turn that into an
 * exception: the whole JVM dies. Read into memory, a changed file cannot reach a loaded model.
 */
public final class SafetensorsFile {

  private final Path path;
  private final SafetensorsHeader header;
  private final MemorySegment dataSection;

  private SafetensorsFile(Path path, SafetensorsHeader header, MemorySegment dataSection) {
    this.path = path;
    this.header = header;
    this.dataSection = dataSection;
  }

  /** Maps {@code path} into {@code arena} after validating its whole header. */
  public static SafetensorsFile open(Path path, Arena arena) throws IOException {
    String source = path.toString();
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < 8) {
        throw new ModelLoadException(
            source + ": " + size + " bytes, too short for a safetensors header length");
      }
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, lengthBytes, 0);
      long headerLength = lengthBytes.flip().getLong();
      if (headerLength < 0 || headerLength > SafetensorsHeader.MAX_HEADER_BYTES) {
        throw new ModelLoadException(
            source
                + ": header length "
                + Long.toUnsignedString(headerLength)
                + " is not plausible");
      }
      if (8 + headerLength > size) {
        throw new ModelLoadException(
            source
                + ": header of "
                + headerLength
                + " bytes does not fit in the file ("
                + size
                + " bytes; truncated?)");
      }
      ByteBuffer json = ByteBuffer.allocate((int) headerLength);
      readFully(channel, json, 8);
      long dataStart = 8 + headerLength;
      SafetensorsHeader header = SafetensorsHeader.parse(json.array(), size - dataStart, source);
      return new SafetensorsFile(
          path, header, readData(channel, dataStart, size - dataStart, arena));
    }
  }

  /** Reads through a ByteBuffer view, which is limited to 2 GiB, so in chunks. */
  private static final long CHUNK = 1L << 30;

  private static MemorySegment readData(FileChannel channel, long start, long length, Arena arena)
      throws IOException {
    MemorySegment data = HugePageMemory.allocate(length, arena).asSlice(0, length);
    for (long done = 0; done < length; done += CHUNK) {
      long n = Math.min(CHUNK, length - done);
      ByteBuffer chunk = data.asSlice(done, n).asByteBuffer();
      readFully(channel, chunk, start + done);
    }
    return data;
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position + buffer.position());
      if (n < 0) {
        throw new ModelLoadException(channel + ": unexpected end of file");
      }
    }
  }

  public Path path() {
    return path;
  }

  public Map<String, TensorInfo> tensors() {
    return header.tensors();
  }

  public Map<String, String> metadata() {
    return header.metadata();
  }

  public Optional<Tensor> tensor(String name) {
    TensorInfo info = header.tensors().get(name);
    if (info == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Tensor(info, dataSection.asSlice(info.begin(), info.end() - info.begin())));
  }
}
