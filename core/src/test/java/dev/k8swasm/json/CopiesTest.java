package dev.k8swasm.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CopiesTest {

  @Test
  void absentListsAndMapsStayAbsentAndEmptyOnesStayEmpty() {
    assertThat(Copies.list(null)).isNull();
    assertThat(Copies.list(List.of())).isNotNull().isEmpty();
    assertThat(Copies.map(null)).isNull();
    assertThat(Copies.map(Map.of())).isNotNull().isEmpty();
    assertThat(Copies.extra(null)).isNull();
    assertThat(Copies.fields(null)).isNotNull().isEmpty();
  }

  @Test
  void copiesAreDetachedUnmodifiableAndKeepOrder() {
    List<String> list = new ArrayList<>(List.of("b", "a"));
    Map<String, String> map = new LinkedHashMap<>();
    map.put("z", "1");
    map.put("a", "2");
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    fields.put("y", TextNode.valueOf("1"));
    fields.put("b", TextNode.valueOf("2"));

    List<String> listCopy = Copies.list(list);
    Map<String, String> mapCopy = Copies.map(map);
    Map<String, JsonNode> fieldsCopy = Copies.fields(fields);
    list.add("c");
    map.put("c", "3");
    fields.clear();

    assertThat(listCopy).containsExactly("b", "a");
    assertThat(mapCopy.keySet()).containsExactly("z", "a");
    assertThat(fieldsCopy.keySet()).containsExactly("y", "b");
    assertThatThrownBy(() -> listCopy.add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> mapCopy.put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> fieldsCopy.remove("y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void listsMayHoldNulls() {
    List<String> withNull = new ArrayList<>();
    withNull.add(null);

    assertThat(Copies.list(withNull)).containsExactly((String) null);
  }

  @Test
  void extraIsCopiedDeeply() {
    Map<String, List<String>> extra = new LinkedHashMap<>();
    List<String> values = new ArrayList<>(List.of("v"));
    extra.put("k", values);
    extra.put("absent", null);

    Map<String, List<String>> copy = Copies.extra(extra);
    values.add("w");

    assertThat(copy.get("k")).containsExactly("v");
    assertThat(copy).containsKey("absent");
    assertThat(copy.get("absent")).isNull();
    assertThatThrownBy(() -> copy.get("k").add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
