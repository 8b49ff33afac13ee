package io.scalesweep.trainer.data;

import java.io.Serializable;

/**
 * Where a pipeline stands between two batches, enough to continue exactly: the document at the
 * head of the packing buffer (epoch, file ordinal in that epoch's order, document index in the
 * file, tokens of it already used) and the number of chunks corrupted so far, which is the whole
 * random state because each chunk's spans are drawn from a seed derived from its number.
 * Jackson writes it as a JSON object; {@link #encode()} gives a one-line form.
 */
public record PipelineState(long epoch, int file, long document, int tokenOffset, long chunk)
    implements Serializable {

  /** Before the first document. */
  public static final PipelineState START = new PipelineState(0, 0, 0, 0, 0);

  public PipelineState {
    if (epoch < 0 || file < 0 || document < 0 || tokenOffset < 0 || chunk < 0) {
      throw new IllegalArgumentException("negative field in pipeline state");
    }
  }

  /** {@code epoch/file/document/tokenOffset/chunk}, e.g. {@code 0/3/1207/55/40960}. */
  public String encode() {
    return epoch + "/" + file + "/" + document + "/" + tokenOffset + "/" + chunk;
  }

  public static PipelineState decode(String text) {
    String[] p = text.trim().split("/");
    if (p.length != 5) {
      throw new IllegalArgumentException("pipeline state must have 5 fields, got: " + text);
    }
    return new PipelineState(
        Long.parseLong(p[0]),
        Integer.parseInt(p[1]),
        Long.parseLong(p[2]),
        Integer.parseInt(p[3]),
        Long.parseLong(p[4]));
  }
}
