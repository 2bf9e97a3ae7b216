package io.lmserve.transformer.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Writes safetensors files for tests, including deliberately broken ones. */
public final class SafetensorsWriter {

  private final Map<String, Entry> entries = new LinkedHashMap<>();

  private record Entry(DType dtype, long[] shape, byte[] bytes) {}

  /** Adds an F32 tensor. */
  public SafetensorsWriter f32(String name, long[] shape, float... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return raw(name, DType.F32, shape, b.array());
  }

  /** Adds a tensor from its raw little-endian bytes. */
  public SafetensorsWriter raw(String name, DType dtype, long[] shape, byte[] bytes) {
    entries.put(name, new Entry(dtype, shape, bytes));
    return this;
  }

  /** Copies every tensor of {@code source}, renaming and reshaping through {@code rename}. */
  public static SafetensorsWriter copyOf(Checkpoint source) {
    SafetensorsWriter w = new SafetensorsWriter();
    for (String name : source.names()) {
      Tensor t = source.find(name).orElseThrow();
      w.raw(
          name,
          t.dtype(),
          t.info().shape(),
          t.data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
    }
    return w;
  }

  public Map<String, Entry> entriesView() {
    return entries;
  }

  public SafetensorsWriter remove(String name) {
    entries.remove(name);
    return this;
  }

  public SafetensorsWriter rename(String from, String to) {
    Entry e = entries.remove(from);
    entries.put(to, e);
    return this;
  }

  public SafetensorsWriter reshape(String name, long... shape) {
    Entry e = entries.get(name);
    entries.put(name, new Entry(e.dtype, shape, e.bytes));
    return this;
  }

  /** The header JSON the entries would get, contiguous in insertion order. */
  public ObjectNode header() {
    ObjectNode root = JsonMapper.shared().createObjectNode();
    long offset = 0;
    for (Map.Entry<String, Entry> e : entries.entrySet()) {
      ObjectNode t = root.putObject(e.getKey());
      t.put("dtype", e.getValue().dtype.name());
      var shape = t.putArray("shape");
      for (long d : e.getValue().shape) {
        shape.add(d);
      }
      t.putArray("data_offsets").add(offset).add(offset + e.getValue().bytes.length);
      offset += e.getValue().bytes.length;
    }
    root.putObject("__metadata__").put("format", "pt");
    return root;
  }

  public Path write(Path file) throws IOException {
    return write(file, header().toString());
  }

  /** Writes {@code headerJson} (space-padded to 8 bytes) followed by the entries' bytes. */
  public Path write(Path file, String headerJson) throws IOException {
    byte[] json = headerJson.getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    long data = entries.values().stream().mapToLong(e -> e.bytes.length).sum();
    ByteBuffer b = ByteBuffer.allocate((int) (8 + padded + data)).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(padded);
    b.put(json);
    for (int i = json.length; i < padded; i++) {
      b.put((byte) ' ');
    }
    for (Entry e : entries.values()) {
      b.put(e.bytes);
    }
    Files.write(file, b.array());
    return file;
  }
}
