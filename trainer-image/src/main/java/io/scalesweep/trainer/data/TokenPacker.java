package io.scalesweep.trainer.data;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Concatenates tokenized documents, each followed by EOS, and cuts the stream into chunks of a
 * fixed length (T5's reduce_concat_tokens + split_tokens), remembering which document the next
 * chunk starts in so the stream can be resumed exactly.
 */
final class TokenPacker {

  /** A document's tokens, the first {@code used} already packed into chunks. */
  private static final class Segment {
    final DocumentSource.Document document;
    final int[] tokens;
    int used;

    Segment(DocumentSource.Document document, int[] tokens, int used) {
      this.document = document;
      this.tokens = tokens;
      this.used = used;
    }
  }

  private final DocumentSource source;
  private final Tokenizer tokenizer;
  private final int chunkLength;
  private final ArrayDeque<Segment> buffer = new ArrayDeque<>();
  private int buffered;
  private int skipInFirstDocument;
  private long documents;
  private long tokens;

  TokenPacker(DocumentSource source, Tokenizer tokenizer, int chunkLength) {
    this.source = source;
    this.tokenizer = tokenizer;
    this.chunkLength = chunkLength;
  }

  /** Starts at a saved head position: that document, less its first {@code tokenOffset} tokens. */
  void seek(long epoch, int file, long document, int tokenOffset) {
    buffer.clear();
    buffered = 0;
    source.seek(epoch, file, document);
    skipInFirstDocument = tokenOffset;
  }

  /**
   * The next chunk: {@code chunkLength} tokens, shorter only for the last one of a single pass;
   * null when a single pass has nothing left.
   */
  int[] next() {
    while (buffered < chunkLength && fill()) {
      // keep reading documents
    }
    if (buffered == 0) {
      return null;
    }
    int[] chunk = new int[Math.min(chunkLength, buffered)];
    int n = 0;
    while (n < chunk.length) {
      Segment head = buffer.peekFirst();
      int take = Math.min(chunk.length - n, head.tokens.length - head.used);
      System.arraycopy(head.tokens, head.used, chunk, n, take);
      head.used += take;
      n += take;
      if (head.used == head.tokens.length) {
        buffer.removeFirst();
      }
    }
    buffered -= chunk.length;
    return chunk;
  }

  /** {epoch, file, document, tokenOffset} of the first token the next chunk will hold. */
  long[] head() {
    Segment head = buffer.peekFirst();
    if (head != null) {
      DocumentSource.Document d = head.document;
      return new long[] {d.epoch(), d.file(), d.index(), head.used};
    }
    return new long[] {source.epoch(), source.file(), source.nextIndex(), skipInFirstDocument};
  }

  long documents() {
    return documents;
  }

  /** Tokens read from documents, EOS included. */
  long tokens() {
    return tokens;
  }

  private boolean fill() {
    DocumentSource.Document d = source.next();
    if (d == null) {
      return false;
    }
    int[] ids = tokenizer.encode(d.text());
    int[] withEos = Arrays.copyOf(ids, ids.length + 1);
    withEos[ids.length] = tokenizer.eosId();
    int skip = skipInFirstDocument;
    skipInFirstDocument = 0;
    if (skip > withEos.length) {
      throw new DataException(
          "saved pipeline position is " + skip + " tokens into a document of " + withEos.length
              + " tokens; did the corpus or the tokenizer change since the checkpoint?");
    }
    documents++;
    tokens += withEos.length;
    if (skip < withEos.length) {
      buffer.addLast(new Segment(d, withEos, skip));
      buffered += withEos.length - skip;
    }
    return true;
  }

  void close() {
    source.close();
  }
}
