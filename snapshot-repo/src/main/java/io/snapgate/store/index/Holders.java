package io.snapgate.store.index;

import java.util.ArrayList;
import java.util.List;

/** The holders of one snapshot, one per node, in the order they registered; immutable. */
public record Holders(List<Holder> holders) {
    public Holders {
        holders = List.copyOf(holders);
    }

    public static Holders none() {
        return new Holders(List.of());
    }

    /** These holders with {@code holder} in place of any earlier entry of its node. */
    public Holders with(Holder holder) {
        List<Holder> list = new ArrayList<>(without(holder.node()).holders);
        list.add(holder);
        return new Holders(list);
    }

    /** These holders less {@code node}'s entry. */
    public Holders without(String node) {
        return new Holders(holders.stream().filter(h -> !h.node().equals(node)).toList());
    }

    public boolean hasNone() {
        return holders.isEmpty();
    }
}
