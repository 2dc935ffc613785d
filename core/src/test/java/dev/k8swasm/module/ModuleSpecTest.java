package dev.k8swasm.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.k8swasm.testing.FakeModule;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ModuleSpecTest {

  @Test
  void defaults() {
    ModuleSpec spec = ModuleSpec.builder("m").path(Path.of("m.wasm")).build();

    assertThat(spec.name()).isEqualTo("m");
    assertThat(spec.path()).contains(Path.of("m.wasm"));
    assertThat(spec.bytes()).isEmpty();
    assertThat(spec.type()).isEqualTo(ModuleType.WASI);
    assertThat(spec.settings()).isEmpty();
    assertThat(spec.debug()).isFalse();
    assertThat(spec.limits()).isEqualTo(Limits.defaults());
    assertThat(spec.engine()).isEqualTo(Engine.COMPILER);
    assertThat(spec.strategy()).isEqualTo(InstanceStrategy.SNAPSHOT);
    assertThat(spec.options()).isEmpty();
    assertThat(spec.extension(String.class)).isEmpty();
    assertThat(spec.clock().getZone()).isEqualTo(ZoneOffset.UTC);
    assertThat(spec.random().get()).isNotNull();
    assertThat(spec.origin()).isEqualTo("m.wasm");
    assertThat(spec.toString()).contains("name=m", "type=wasi", "origin=m.wasm");
  }

  @Test
  void withoutPathOrBytesBuildFailsClearly() {
    assertThatThrownBy(() -> ModuleSpec.builder("lonely").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("module 'lonely'")
        .hasMessageContaining("no module path specified");
  }

  @Test
  void namesMustBeGiven() {
    assertThatThrownBy(() -> ModuleSpec.builder(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ModuleSpec.builder(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
  }

  @Test
  void bytesAreCopiedInAndOut() {
    byte[] bytes = {0, 'a', 's', 'm'};
    ModuleSpec spec = ModuleSpec.builder("b").bytes(bytes).build();
    bytes[1] = 'X';
    spec.bytes().orElseThrow()[2] = 'Y';

    assertThat(spec.bytes())
        .hasValueSatisfying(b -> assertThat(b).containsExactly(0, 'a', 's', 'm'));
    assertThat(spec.path()).isEmpty();
    assertThat(spec.origin()).isEqualTo("<4 bytes>");
  }

  @Test
  void pathAndBytesReplaceEachOther() {
    ModuleSpec fromPath =
        ModuleSpec.builder("x").bytes(new byte[] {1}).path(Path.of("x.wasm")).build();
    ModuleSpec fromBytes =
        ModuleSpec.builder("x").path(Path.of("x.wasm")).bytes(new byte[] {1}).build();

    assertThat(fromPath.bytes()).isEmpty();
    assertThat(fromPath.path()).isPresent();
    assertThat(fromBytes.path()).isEmpty();
    assertThat(fromBytes.bytes()).isPresent();
  }

  @Test
  void settingsAreCopiedInAndOut() {
    ObjectNode settings = (ObjectNode) FakeModule.parse("{\"a\":{\"b\":1}}");
    ModuleSpec spec = ModuleSpec.builder("s").path(Path.of("s.wasm")).settings(settings).build();
    ((ObjectNode) settings.get("a")).put("b", 2);
    ((ObjectNode) spec.settings().orElseThrow().get("a")).put("b", 3);

    assertThat(spec.settings()).contains(FakeModule.parse("{\"a\":{\"b\":1}}"));
  }

  @Test
  void optionsAndExtensionsAreImmutableAndTyped() {
    Runnable handler = () -> {};
    ModuleSpec spec =
        ModuleSpec.builder("o")
            .path(Path.of("o.wasm"))
            .option("executionMode", TextNode.valueOf("wasi"))
            .extension(Runnable.class, handler)
            .build();

    assertThat(spec.options()).containsOnlyKeys("executionMode");
    assertThat(spec.extension(Runnable.class)).containsSame(handler);
    assertThat(spec.extension(Supplier.class)).isEmpty();
    assertThatThrownBy(() -> spec.options().put("x", IntNode.valueOf(1)))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ModuleSpec.builder("o").option("k", null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void toBuilderCopiesEverything() {
    Clock clock = Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);
    Supplier<Random> random = () -> new Random(42);
    JsonNode settings = FakeModule.parse("[1,2]");
    ModuleSpec spec =
        ModuleSpec.builder("full")
            .path(Path.of("full.wasm"))
            .type(ModuleType.KUBEWARDEN)
            .settings(settings)
            .debug(true)
            .limits(Limits.builder().timeout(Duration.ofSeconds(9)).build())
            .engine(Engine.INTERPRETER)
            .strategy(InstanceStrategy.FRESH)
            .option("policyMode", TextNode.valueOf("monitor"))
            .extension(String.class, "ext")
            .clock(clock)
            .random(random)
            .build();

    ModuleSpec copy = spec.toBuilder().build();

    assertThat(copy.name()).isEqualTo("full");
    assertThat(copy.path()).isEqualTo(spec.path());
    assertThat(copy.type()).isEqualTo(ModuleType.KUBEWARDEN);
    assertThat(copy.settings()).contains(settings);
    assertThat(copy.debug()).isTrue();
    assertThat(copy.limits().timeout()).isEqualTo(Duration.ofSeconds(9));
    assertThat(copy.engine()).isEqualTo(Engine.INTERPRETER);
    assertThat(copy.strategy()).isEqualTo(InstanceStrategy.FRESH);
    assertThat(copy.options()).isEqualTo(spec.options());
    assertThat(copy.extension(String.class)).contains("ext");
    assertThat(copy.clock()).isSameAs(clock);
    assertThat(copy.random()).isSameAs(random);
    assertThat(spec.toBuilder().debug(false).build().debug()).isFalse();
    assertThat(spec.debug()).isTrue();
  }

  @Test
  void nullsAreRejectedWhereAValueIsRequired() {
    ModuleSpec.Builder b = ModuleSpec.builder("n");

    assertThatThrownBy(() -> b.path(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.bytes(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.type((ModuleType) null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.type((String) null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.limits(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.engine(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.strategy(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.clock(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.random(null)).isInstanceOf(NullPointerException.class);
    assertThat(b.settings(null).path(Path.of("n.wasm")).build().settings()).isEmpty();
  }
}
