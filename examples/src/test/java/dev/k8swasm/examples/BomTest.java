package dev.k8swasm.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The BOM ({@code bom/pom.xml}, which has no parent on purpose) stays in step with the build: same
 * version as the parent, every published module listed, nothing but our own artifacts pinned.
 */
class BomTest {
  private static final Path ROOT = Path.of("..");

  private static Element pom(Path file) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
  }

  /** The text of the direct child {@code name} of {@code parent}, or null. */
  private static String child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e.getTextContent().trim();
      }
    }
    return null;
  }

  private static Element element(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  private static List<Element> all(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    NodeList list = parent.getElementsByTagName(name);
    for (int i = 0; i < list.getLength(); i++) {
      out.add((Element) list.item(i));
    }
    return out;
  }

  @Test
  void theBomPinsEveryPublishedModuleAndNothingElse() throws Exception {
    Element parent = pom(ROOT.resolve("pom.xml"));
    Element bom = pom(ROOT.resolve("bom/pom.xml"));

    assertThat(element(bom, "parent"))
        .as("the BOM must not inherit a dependencyManagement")
        .isNull();
    assertThat(child(bom, "version")).isEqualTo(child(parent, "version"));

    List<String> pinned = new ArrayList<>();
    for (Element d : all(element(bom, "dependencyManagement"), "dependency")) {
      assertThat(child(d, "groupId")).isEqualTo("dev.k8swasm");
      assertThat(child(d, "version")).isEqualTo("${project.version}");
      pinned.add(child(d, "artifactId"));
    }

    List<String> published = new ArrayList<>();
    for (Element module : all(element(parent, "modules"), "module")) {
      Path file = ROOT.resolve(module.getTextContent().trim()).resolve("pom.xml");
      assertThat(file).exists();
      Element pom = pom(file);
      Element properties = element(pom, "properties");
      boolean skipped =
          properties != null && "true".equals(child(properties, "k8swasm.publish.skip"));
      if (!skipped && !"pom".equals(child(pom, "packaging"))) {
        published.add(child(pom, "artifactId"));
      }
    }
    assertThat(published).contains("k8s-wasm-core", "k8s-wasm-wasi", "k8s-wasm-testing");
    assertThat(pinned).as("bom/pom.xml must pin every published module").containsAll(published);
  }

  @Test
  void everyArtifactCarriesTheLicence() throws Exception {
    assertThat(ROOT.resolve("LICENSE")).exists();
    assertThat(Files.readString(ROOT.resolve("LICENSE"))).contains("Apache License");
    for (Path file : List.of(ROOT.resolve("pom.xml"), ROOT.resolve("bom/pom.xml"))) {
      Element pom = pom(file);
      Element licence = element(element(pom, "licenses"), "license");
      assertThat(child(licence, "name")).as(file.toString()).isEqualTo("Apache-2.0");
      assertThat(element(pom, "scm")).as(file.toString()).isNotNull();
      assertThat(element(pom, "developers")).as(file.toString()).isNotNull();
    }
  }
}
