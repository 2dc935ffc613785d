package dev.k8swasm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The help of every command, printed by the real jar: nothing wider than 80 columns, footers (exit
 * codes, examples) exactly as written so an example command can be copied and pasted, and a
 * complete one-sentence summary of every command in the top-level list.
 */
class HelpIT {

  static Stream<String> commands() {
    return K8sWasm.commandLine().getSubcommands().keySet().stream().filter(c -> !c.equals("help"));
  }

  static Stream<String> commandsAndSubcommands() {
    return Stream.concat(commands(), Stream.of("scaffold admission-request"));
  }

  @ParameterizedTest
  @MethodSource("commandsAndSubcommands")
  void footersAreNeverRewrappedAndExamplesStayWhole(String command) throws Exception {
    List<String> args = new ArrayList<>(List.of(command.split(" ")));
    args.add("--help");
    K8sWasmIT.Proc p = K8sWasmIT.exec(null, args.toArray(String[]::new));

    assertThat(p.exitCode()).as(p.toString()).isZero();
    List<String> lines = p.out().lines().toList();
    assertThat(lines).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(80));
    picocli.CommandLine cmd = K8sWasm.commandLine();
    for (String name : command.split(" ")) {
      cmd = cmd.getSubcommands().get(name);
    }
    String[] footer = cmd.getCommandSpec().usageMessage().footer();
    for (String line : footer) {
      assertThat(lines).as(p.out()).contains(line);
    }
    // an example continued with a backslash goes on, indented, on the next line
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).endsWith("\\")) {
        assertThat(lines.get(i + 1)).as(p.out()).startsWith("      ").doesNotStartWith("       ");
      }
      if (lines.get(i).stripLeading().startsWith("k8s-wasm ")) {
        assertThat(lines.get(i)).as("an example command at the left margin").startsWith("  k8s");
      }
    }
  }

  @Test
  void everyCommandHasACompleteSummaryInTheTopLevelList() throws Exception {
    K8sWasmIT.Proc p = K8sWasmIT.exec(null, "--help");

    assertThat(p.exitCode()).as(p.toString()).isZero();
    List<String> entries = new ArrayList<>();
    boolean inCommands = false;
    for (String line : p.out().lines().toList()) {
      if (line.equals("Commands:")) {
        inCommands = true;
      } else if (inCommands && line.isBlank()) {
        break;
      } else if (inCommands && line.matches("  \\S.*")) {
        entries.add(line.strip());
      } else if (inCommands) {
        entries.set(entries.size() - 1, entries.get(entries.size() - 1) + " " + line.strip());
      }
    }
    assertThat(entries).hasSize((int) commands().count() + 1);
    assertThat(entries)
        .allSatisfy(e -> assertThat(e).as("a complete sentence").matches(".*[.)]$"))
        .anySatisfy(
            e ->
                assertThat(e)
                    .startsWith("serve")
                    .endsWith("as webhooks for kube-apiserver over HTTPS."));
  }

  @Test
  void helpCommandShowsTheSameAsTheFlag() throws Exception {
    assertThat(K8sWasmIT.exec(null, "help", "run").out())
        .isEqualTo(K8sWasmIT.exec(null, "run", "--help").out());
  }
}
