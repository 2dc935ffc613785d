package dev.k8swasm.testing.kubewarden;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import dev.k8swasm.kubewarden.capabilities.HostCapabilityException;
import java.util.ArrayList;
import java.util.List;
import org.opentest4j.AssertionFailedError;

/**
 * The stubs of one {@link HostCapabilityStubs} and the calls they saw: answers calls with the first
 * matching stub, verifies that every call was stubbed, and resets between tests. Thread-safe.
 */
final class StubRegistry {

  /** What {@link #keepAcrossTests()} keeps, unused. */
  private final List<Stub> baseline = new ArrayList<>();

  /** The kept stubs in use in this test (answering after the test's own). */
  private final List<Stub> kept = new ArrayList<>();

  /** The stubs the current test added, in order. */
  private final List<Stub> stubs = new ArrayList<>();

  private final List<HostCall> calls = new ArrayList<>();

  synchronized void add(Stub stub) {
    stubs.add(stub);
  }

  synchronized void addAll(List<Stub> more) {
    stubs.addAll(more);
  }

  /** Keeps the current stubs across {@link #reset()}. */
  synchronized void keepAcrossTests() {
    List<Stub> all = all();
    baseline.clear();
    all.forEach(s -> baseline.add(s.fresh()));
    kept.clear();
    kept.addAll(all);
    stubs.clear();
  }

  /** The stubs in the order they are tried: the test's, then the kept ones. */
  private List<Stub> all() {
    List<Stub> all = new ArrayList<>(stubs);
    all.addAll(kept);
    return all;
  }

  synchronized List<HostCall> calls() {
    return List.copyOf(calls);
  }

  synchronized List<HostCall> unexpectedCalls() {
    return calls.stream().filter(c -> !c.stubbed()).toList();
  }

  /**
   * Fails when the policy made calls that nothing stubbed.
   *
   * @throws AssertionFailedError listing them and what was stubbed
   */
  synchronized void verify() {
    List<HostCall> unexpected = unexpectedCalls();
    if (unexpected.isEmpty()) {
      return;
    }
    StringBuilder why =
        new StringBuilder("The policy made host capability calls that nothing stubbed:");
    unexpected.forEach(c -> why.append("\n  - ").append(c));
    why.append("\n").append(describeStubs());
    why.append(
        "\nStub them, e.g. host.dnsLookup(\"example.com\").returns(\"93.184.215.14\"), or replay a"
            + " kwctl session with host.replay(\"session.yml\").");
    throw new AssertionFailedError(why.toString());
  }

  /** Forgets the calls and the stubs, except those kept with {@link #keepAcrossTests()}. */
  synchronized void reset() {
    calls.clear();
    stubs.clear();
    kept.clear();
    for (Stub s : baseline) {
      kept.add(s.fresh());
    }
  }

  private String describeStubs() {
    List<Stub> all = all();
    if (all.isEmpty()) {
      return "Nothing is stubbed.";
    }
    StringBuilder out = new StringBuilder("Stubbed:");
    for (Stub s : all) {
      out.append("\n  - ").append(s.description());
      if (s.usesLeft() == 0) {
        out.append(" (used up)");
      }
    }
    return out.toString();
  }

  @Override
  public synchronized String toString() {
    return "HostCapabilityStubs[" + all().size() + " stubs, " + calls.size() + " calls]";
  }

  /** Answers a call with the first matching stub that has uses left. */
  Object answer(String capability, JsonNode request) {
    Stub found;
    synchronized (this) {
      found = null;
      for (Stub s : all()) {
        if (s.capability().equals(capability) && s.usesLeft() != 0 && s.matcher().test(request)) {
          found = s;
          break;
        }
      }
      calls.add(new HostCall(capability, request, found != null));
      if (found == null) {
        throw new HostCapabilityException(
            "unexpected host capability call "
                + capability
                + " "
                + Json.writeString(request)
                + ": nothing stubs it in this test");
      }
      found.use();
    }
    return found.answer().apply(request);
  }
}
