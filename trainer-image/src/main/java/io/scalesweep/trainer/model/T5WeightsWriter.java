package io.scalesweep.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a model's weights as safetensors under their Hugging Face names: the checkpoint format
 * of this trainer, readable by {@link HuggingFaceT5Loader}, by DJL's {@code NDList.decode} and by
 * Python's safetensors and transformers. Streams tensor by tensor, so models past 2 GB (where
 * DJL's own encoder stops) can be written too.
 */
public final class T5WeightsWriter {

  private static final ObjectMapper JSON = new ObjectMapper();

  private T5WeightsWriter() {}

  public static void write(T5Model model, Path file) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      write(model, out);
    }
  }

  public static void write(T5Model model, OutputStream out) throws IOException {
    Map<String, Parameter> named = model.namedParameters();
    ObjectNode header = JSON.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    List<NDArray> arrays = new ArrayList<>();
    long offset = 0;
    for (Map.Entry<String, Parameter> entry : named.entrySet()) {
      NDArray array = entry.getValue().getArray();
      if (array.getDataType() != DataType.FLOAT32) {
        throw new IOException(
            entry.getKey() + " is " + array.getDataType() + "; only fp32 is written");
      }
      long bytes = array.size() * Float.BYTES;
      ObjectNode tensor = header.putObject(entry.getKey());
      tensor.put("dtype", "F32");
      var shape = tensor.putArray("shape");
      for (long dim : array.getShape().getShape()) {
        shape.add(dim);
      }
      tensor.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
      arrays.add(array);
    }
    byte[] json = JSON.writeValueAsBytes(header);
    // The data section starts 8-byte aligned, as the reference writer keeps it.
    int padding = (8 - json.length % 8) % 8;
    ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    length.putLong(json.length + padding);
    out.write(length.array());
    out.write(json);
    out.write(" ".repeat(padding).getBytes(StandardCharsets.US_ASCII));
    for (NDArray array : arrays) {
      ByteBuffer data = array.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      byte[] chunk = new byte[Math.min(data.remaining(), 1 << 20)];
      while (data.hasRemaining()) {
        int n = Math.min(chunk.length, data.remaining());
        data.get(chunk, 0, n);
        out.write(chunk, 0, n);
      }
    }
  }
}
