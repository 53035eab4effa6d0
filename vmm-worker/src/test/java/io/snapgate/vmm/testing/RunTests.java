package io.snapgate.vmm.testing;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs tests through the JUnit Platform launcher, without Maven: scripts/test.sh runs the KVM subset this way
 * inside run-with-kvm, where starting Maven alone costs a minute of emulated CPU. Arguments are test classes or
 * {@code Class#method}s. Prints each test as it ends, then the summary and failures; exits 1 when a test
 * failed, 2 when none succeeded (all skipped is no evidence), else 0.
 */
public final class RunTests {
    private RunTests() {
    }

    public static void main(String[] args) {
        List<DiscoverySelector> selectors = Arrays.stream(args)
                .map(name -> (DiscoverySelector) (name.contains("#") ? DiscoverySelectors.selectMethod(name)
                        : DiscoverySelectors.selectClass(name)))
                .toList();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectors).build();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, summary, new Progress());

        TestExecutionSummary result = summary.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        result.printTo(out);
        result.printFailuresTo(out, 40);
        System.exit(result.getTotalFailureCount() > 0 ? 1 : result.getTestsSucceededCount() == 0 ? 2 : 0);
    }

    /** One line per finished or skipped test, with its time, and one per aborted or failed container. */
    private static final class Progress implements TestExecutionListener {
        private final Map<String, Long> started = new ConcurrentHashMap<>();

        @Override
        public void executionStarted(TestIdentifier test) {
            started.put(test.getUniqueId(), System.nanoTime());
        }

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            Long begin = started.remove(test.getUniqueId());
            if (!test.isTest() && result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                System.out.printf("%-10s %s: %s%n", result.getStatus(), test.getDisplayName(),
                        result.getThrowable().map(Throwable::getMessage).orElse("no reason given"));
            } else if (test.isTest() && begin != null) {
                System.out.printf("%-10s %6.2f s  %s%n", result.getStatus(), (System.nanoTime() - begin) / 1e9,
                        test.getUniqueId().replaceFirst("^\\[engine:[^]]*]/", ""));
            }
        }

        @Override
        public void executionSkipped(TestIdentifier test, String reason) {
            System.out.printf("SKIPPED %s: %s%n", test.getDisplayName(), reason);
        }
    }
}
