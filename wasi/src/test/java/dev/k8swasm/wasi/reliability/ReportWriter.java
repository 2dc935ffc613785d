package dev.k8swasm.wasi.reliability;

import java.nio.file.Path;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Writes the {@link ReliabilityReport} to {@code target/reliability-report.md} and prints it when
 * the test run ends (after the JUnit Jupiter and the jqwik tests alike). Registered in {@code
 * META-INF/services/org.junit.platform.launcher.TestExecutionListener}.
 */
public final class ReportWriter implements TestExecutionListener {
  static final Path REPORT = Path.of("target", "reliability-report.md");

  /** Used by the JUnit Platform launcher. */
  public ReportWriter() {}

  @Override
  public void testPlanExecutionFinished(TestPlan testPlan) {
    ReliabilityReport.writeAndPrint(REPORT, "Reliability report: k8s-wasm-wasi test suite");
  }
}
