package io.scalesweep.trainer.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Where corpus files come from. Kept to listing and opening so that an object store (s3://) can
 * plug in beside the local file system without the readers knowing.
 */
public interface CorpusStore {

  /**
   * The files a dataset URI names, in a stable order: a file, every file under a folder, or, for
   * a URI ending in {@code *}, every file whose path starts with the text before it.
   *
   * @throws DataException when the URI names nothing
   */
  List<String> list(String uri);

  /** Opens one name returned by {@link #list}; the raw bytes, still compressed if it is. */
  InputStream open(String name) throws IOException;
}
