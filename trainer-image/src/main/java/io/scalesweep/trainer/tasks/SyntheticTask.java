package io.scalesweep.trainer.tasks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Random;

/** A generated task whose difficulty is a reasoning depth, for {@link SyntheticTasks}. */
interface SyntheticTask {

  /** Keeps whole inputs within the 128 tokens of a byte-level quickstart model. */
  int MAX_EXPRESSION_CHARS = 100;

  String name();

  /** The depths the task is generated at, each equally often. */
  List<Integer> depths();

  /** The raw answers the task is balanced over, each equally often. */
  List<String> labels();

  /**
   * A record of this depth whose answer is {@code label}, or null when this draw did not give
   * one (the caller draws again).
   */
  ObjectNode draw(int depth, String label, Random random);
}
