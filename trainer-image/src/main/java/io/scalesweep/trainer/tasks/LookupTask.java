package io.scalesweep.trainer.tasks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * {@code lookup}: follow a chain of assignments through a small table to a digit, as in {@code
 * c=7; a=b; x=2; b=c} asked for {@code a} (3 hops). The other entries form distracting chains of
 * their own that end in digits too, and the table always has the same number of entries in a
 * shuffled order, so neither the length nor the position of an entry gives the answer away.
 */
final class LookupTask implements SyntheticTask {

  private static final int ENTRIES = 10;
  private static final int MAX_HOPS = 4;

  @Override
  public String name() {
    return "lookup";
  }

  @Override
  public List<Integer> depths() {
    return IntStream.rangeClosed(1, MAX_HOPS).boxed().toList();
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
    List<String> entries = new ArrayList<>();
    chain(entries, names, hops, label);
    while (entries.size() < ENTRIES) {
      int length = 1 + random.nextInt(Math.min(MAX_HOPS, ENTRIES - entries.size()));
      chain(entries, names, length, Integer.toString(random.nextInt(10)));
    }
    Collections.shuffle(entries, random);
    ObjectNode record = JsonNodeFactory.instance.objectNode();
    return record
        .put("table", String.join("; ", entries))
        .put("query", names.get(0))
        .put("answer", label)
        .put("hops", hops);
  }

  /** Adds {@code v1=v2; ...; vn=end} with the next unused names, which start at entries.size(). */
  private static void chain(List<String> entries, List<String> names, int length, String end) {
    int first = entries.size();
    for (int i = first; i < first + length; i++) {
      entries.add(names.get(i) + "=" + (i == first + length - 1 ? end : names.get(i + 1)));
    }
  }
}
