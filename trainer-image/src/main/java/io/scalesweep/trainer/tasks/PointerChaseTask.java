package io.scalesweep.trainer.tasks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * {@code chase}: the compact pointer chase of a given table size and hop range, written {@code
 * a=b;c=7;b=4;...} and asked as {@code ?a} (here 2 hops, answer 4). As in {@link LookupTask} the
 * other entries form chains of their own that end in digits, the table always has the same
 * number of entries, in a shuffled order; unlike it, the sizes are parameters and the text has no
 * spaces, so 12 entries take about 50 bytes.
 */
final class PointerChaseTask implements SyntheticTask {

  private final int entries;
  private final int maxHops;

  /**
   * @param entries table entries, at least {@code maxHops} and at most 26 (one letter per name)
   * @param maxHops hops run from 1 to this, equally often
   */
  PointerChaseTask(int entries, int maxHops) {
    if (maxHops < 1 || entries < maxHops || entries > 26) {
      throw new IllegalArgumentException(
          "a pointer chase needs 1 <= hops <= entries <= 26, got " + maxHops + " hops and "
              + entries + " entries");
    }
    this.entries = entries;
    this.maxHops = maxHops;
  }

  @Override
  public String name() {
    return "chase";
  }

  @Override
  public List<Integer> depths() {
    return IntStream.rangeClosed(1, maxHops).boxed().toList();
  }

  @Override
  public List<String> labels() {
    return IntStream.range(0, 10).mapToObj(Integer::toString).toList();
  }

  @Override
  public ObjectNode draw(int hops, String label, Random random) {
    List<String> names = new ArrayList<>();
    for (char c = 'a'; c <= 'z'; c++) {
      names.add(String.valueOf(c));
    }
    Collections.shuffle(names, random);
    List<String> table = new ArrayList<>();
    chain(table, names, hops, label);
    while (table.size() < entries) {
      int length = 1 + random.nextInt(Math.min(maxHops, entries - table.size()));
      chain(table, names, length, Integer.toString(random.nextInt(10)));
    }
    Collections.shuffle(table, random);
    return JsonNodeFactory.instance
        .objectNode()
        .put("table", String.join(";", table))
        .put("query", names.get(0))
        .put("answer", label)
        .put("hops", hops);
  }

  /** Adds {@code v1=v2, ..., vn=end} with the next unused names, which start at table.size(). */
  private static void chain(List<String> table, List<String> names, int length, String end) {
    int first = table.size();
    for (int i = first; i < first + length; i++) {
      table.add(names.get(i) + "=" + (i == first + length - 1 ? end : names.get(i + 1)));
    }
  }
}
