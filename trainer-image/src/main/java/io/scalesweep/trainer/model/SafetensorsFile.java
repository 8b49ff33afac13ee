package io.scalesweep.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads a safetensors file one tensor at a time. DJL's {@code NDList.decode} reads the same
 * format but holds the whole file in one byte array and its offsets in ints, so it stops at 2 GB:
 * t5-efficient-large and up are bigger. Half-precision tensors are widened to fp32 here, in Java,
 * because casting them in the engine is where DJL's bf16 support breaks.
 */
public final class SafetensorsFile implements AutoCloseable {

  /** Where one tensor's bytes lie, relative to the start of the data section. */
  public record Entry(String dtype, long[] shape, long begin, long end) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, Entry> entries;

  private SafetensorsFile(FileChannel channel, long dataStart, Map<String, Entry> entries) {
    this.channel = channel;
    this.dataStart = dataStart;
    this.entries = entries;
  }

  public static SafetensorsFile open(Path path) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    try {
      ByteBuffer length = readFully(channel, 0, 8);
      long headerLength = length.order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (headerLength <= 0 || headerLength > 100_000_000L) {
        throw new IOException(
            path + " is not a safetensors file (header length " + headerLength + ")");
      }
      ByteBuffer header = readFully(channel, 8, Math.toIntExact(headerLength));
      JsonNode root = JSON.readTree(header.array());
      Map<String, Entry> entries = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getKey().equals("__metadata__")) {
          continue;
        }
        JsonNode node = field.getValue();
        long[] shape = new long[node.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = node.get("shape").get(i).asLong();
        }
        JsonNode offsets = node.get("data_offsets");
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        entries.put(field.getKey(), new Entry(node.get("dtype").asText(), shape, begin, end));
      }
      return new SafetensorsFile(channel, 8 + headerLength, entries);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  public Set<String> names() {
    return entries.keySet();
  }

  public Entry entry(String name) {
    Entry entry = entries.get(name);
    if (entry == null) {
      throw new IllegalArgumentException("no tensor named " + name);
    }
    return entry;
  }

  /**
   * The tensor called {@code name}, created in {@code manager}: F32, F16 and BF16 as FLOAT32,
   * I64 and I32 as they are.
   */
  public NDArray read(String name, NDManager manager) throws IOException {
    Entry entry = entry(name);
    ByteBuffer raw =
        readFully(channel, dataStart + entry.begin(), Math.toIntExact(entry.end() - entry.begin()));
    raw.order(ByteOrder.LITTLE_ENDIAN);
    Shape shape = new Shape(entry.shape());
    NDArray array =
        switch (entry.dtype()) {
          case "F32" -> manager.create(raw.asFloatBuffer(), shape, DataType.FLOAT32);
          case "F16" -> manager.create(HalfFloats.fromF16(raw), shape, DataType.FLOAT32);
          case "BF16" -> manager.create(HalfFloats.fromBF16(raw), shape, DataType.FLOAT32);
          case "I64" -> manager.create(raw.asLongBuffer(), shape, DataType.INT64);
          case "I32" -> manager.create(raw.asIntBuffer(), shape, DataType.INT32);
          default -> throw new IOException("unsupported dtype " + entry.dtype() + " of " + name);
        };
    array.setName(name);
    return array;
  }

  private static ByteBuffer readFully(FileChannel channel, long position, int length)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new IOException("safetensors file ends early");
      }
    }
    buffer.flip();
    return buffer;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
