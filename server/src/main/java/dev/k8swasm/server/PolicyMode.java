package dev.k8swasm.server;

import java.util.Locale;
import java.util.Optional;

/** A policies.yml policy's {@code policyMode}, as policy-server has it. */
enum PolicyMode {
  /** Answers are the policy's own (the default). */
  PROTECT,
  /** Every request is accepted without patch or status; what the policy decided is logged. */
  MONITOR;

  /** The name in policies.yml and in the {@code policy_mode} metric label. */
  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode named {@code text} in policies.yml, if it is one. */
  static Optional<PolicyMode> of(String text) {
    for (PolicyMode m : values()) {
      if (m.wireName().equals(text)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
