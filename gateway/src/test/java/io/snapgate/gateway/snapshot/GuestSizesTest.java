package io.snapgate.gateway.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each size a deploy names sets that size and no other; the names are the record's, in its order. */
class GuestSizesTest {
    @Test
    void eachNameSetsItsOwnSize() {
        Map<String, String> given = Map.of("heap", "1MiB", "stack", "64KiB", "input", "8KiB", "output", "12KiB");
        assertThat(GuestSizes.parse(given::get, 1L << 30))
                .isEqualTo(new GuestSizes(1L << 20, 64L << 10, 8L << 10, 12L << 10));
        assertThat(GuestSizes.parse(Map.of("output", "4KiB")::get, 1L << 30))
                .isEqualTo(new GuestSizes(null, null, null, 4096L));
    }

    @Test
    void theNamesAreTheRecordsComponents() {
        assertThat(GuestSizes.NAMES).containsExactlyElementsOf(Arrays.stream(GuestSizes.class.getRecordComponents())
                .map(RecordComponent::getName).toList());
    }
}
