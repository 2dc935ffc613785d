package dev.k8swasm.testing;

import dev.k8swasm.admission.AdmissionChain;
import dev.k8swasm.admission.AdmissionController;
import dev.k8swasm.authn.Authenticator;
import dev.k8swasm.authn.AuthenticatorChain;
import dev.k8swasm.authz.Authorizer;
import dev.k8swasm.authz.AuthorizerChain;
import dev.k8swasm.config.Quantities;
import dev.k8swasm.module.ModuleType;
import dev.k8swasm.module.PolicyModule;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link WasmPolicy} and {@link WasmConfig}: loads each declared
 * module or configuration once per test class (before the first test, or when first needed),
 * injects it into annotated fields and resolves parameters, and closes everything after the last
 * test of the class.
 *
 * <p>Registered by the annotations themselves; there is no need to name it in {@code @ExtendWith}.
 */
public final class WasmPolicyExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

  private static final Namespace NAMESPACE = Namespace.create(WasmPolicyExtension.class);

  private static final Set<Class<?>> POLICY_TYPES =
      Set.of(
          Policy.class,
          PolicyModule.class,
          Authenticator.class,
          Authorizer.class,
          AdmissionController.class);

  private static final Set<Class<?>> CHAIN_TYPES =
      Set.of(
          PolicyChain.class,
          AuthenticatorChain.class,
          AuthorizerChain.class,
          AdmissionChain.class,
          Authenticator.class,
          Authorizer.class,
          AdmissionController.class);

  /** Created by JUnit. */
  public WasmPolicyExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    declareClassLevel(context, testClass);
    injectFields(context, testClass, null);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    // also covers registration through an instance field, which happens after beforeAll
    for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
      Class<?> testClass = instance.getClass();
      ExtensionContext classContext = classContext(context, testClass);
      declareClassLevel(classContext, testClass);
      injectFields(classContext, testClass, null);
      injectFields(classContext, testClass, instance);
    }
  }

  /** Verifies and resets the per-test state of every policy the test could use. */
  @Override
  public void afterEach(ExtensionContext context) {
    List<PerTestState> states = new ArrayList<>();
    for (Registry r : visibleRegistries(context)) {
      for (Entry e : r.entries()) {
        if (e.value() instanceof Policy p) {
          states.addAll(p.attachments());
        }
      }
    }
    AssertionError failure = null;
    for (PerTestState state : states) {
      try {
        state.verify();
      } catch (AssertionError e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      } finally {
        state.reset();
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  // ------------------------------------------------------------------------------ parameters

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (parameter.isAnnotated(WasmPolicy.class) || parameter.isAnnotated(WasmConfig.class)) {
      return true;
    }
    if (type == Policy.class || type == PolicyChain.class) {
      return true;
    }
    return candidates(context, type).size() == 1;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    String where =
        "parameter " + parameter.getParameter() + " of " + parameter.getDeclaringExecutable();
    Optional<WasmPolicy> policy = parameter.findAnnotation(WasmPolicy.class);
    Optional<WasmConfig> config = parameter.findAnnotation(WasmConfig.class);
    ExtensionContext classContext = classContext(context, context.getRequiredTestClass());
    Entry entry;
    if (policy.isPresent()) {
      entry =
          location(policy.get()).isEmpty()
              ? named(context, policy.get().name(), where)
              : declare(classContext, policy.get(), where, false);
    } else if (config.isPresent()) {
      entry =
          location(config.get()).isEmpty()
              ? named(context, config.get().name(), where)
              : declare(classContext, config.get(), where, false);
    } else {
      List<Entry> found = candidates(context, type);
      if (found.isEmpty()) {
        throw new ParameterResolutionException(
            where
                + ": no "
                + (type == PolicyChain.class ? "@WasmConfig" : "@WasmPolicy")
                + " declared on the test class (or on the parameter) to give it");
      }
      if (found.size() > 1) {
        throw new ParameterResolutionException(
            where
                + ": several candidates "
                + found.stream().map(Entry::name).toList()
                + "; annotate the parameter with @WasmPolicy(name = \"...\") or @WasmConfig(name ="
                + " \"...\") to choose");
      }
      entry = found.get(0);
    }
    Object value = provide(entry.value(), type);
    if (value == null) {
      throw new ParameterResolutionException(
          where
              + ": cannot give '"
              + entry.name()
              + "' as a "
              + type.getName()
              + "; "
              + supported(entry));
    }
    return value;
  }

  // ------------------------------------------------------------------------------ declarations

  private static void declareClassLevel(ExtensionContext classContext, Class<?> testClass) {
    String where = "test class " + testClass.getName();
    for (WasmPolicy p : AnnotationSupport.findRepeatableAnnotations(testClass, WasmPolicy.class)) {
      declare(classContext, p, where, true);
    }
    AnnotationSupport.findAnnotation(testClass, WasmConfig.class)
        .ifPresent(c -> declare(classContext, c, where, true));
  }

  /** Injects the static fields ({@code instance} null) or the instance fields of a test class. */
  private static void injectFields(
      ExtensionContext classContext, Class<?> testClass, Object instance) {
    for (Field field : fields(testClass, instance == null)) {
      String where = "field " + field;
      if (Modifier.isFinal(field.getModifiers())) {
        throw new ExtensionConfigurationException(where + ": must not be final to be injected");
      }
      Entry entry;
      Optional<WasmPolicy> policy = AnnotationSupport.findAnnotation(field, WasmPolicy.class);
      if (policy.isPresent()) {
        entry = declare(classContext, policy.get(), where, false);
      } else {
        entry = declare(classContext, field.getAnnotation(WasmConfig.class), where, false);
      }
      Object value = provide(entry.value(), field.getType());
      if (value == null) {
        throw new ExtensionConfigurationException(
            where
                + ": cannot inject '"
                + entry.name()
                + "' as a "
                + field.getType().getName()
                + "; "
                + supported(entry));
      }
      try {
        field.setAccessible(true);
        field.set(instance, value);
      } catch (IllegalAccessException | RuntimeException e) {
        throw new ExtensionConfigurationException(where + ": cannot be set: " + e, e);
      }
    }
  }

  private static List<Field> fields(Class<?> testClass, boolean statics) {
    List<Field> fields = new ArrayList<>();
    for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        boolean annotated =
            f.isAnnotationPresent(WasmPolicy.class) || f.isAnnotationPresent(WasmConfig.class);
        if (annotated && Modifier.isStatic(f.getModifiers()) == statics) {
          fields.add(f);
        }
      }
    }
    return fields;
  }

  private static String location(WasmPolicy p) {
    if (!p.value().isEmpty() && !p.path().isEmpty() && !p.value().equals(p.path())) {
      throw new ExtensionConfigurationException(
          "@WasmPolicy gives two paths: value '" + p.value() + "' and path '" + p.path() + "'");
    }
    return p.path().isEmpty() ? p.value() : p.path();
  }

  private static String location(WasmConfig c) {
    if (!c.value().isEmpty() && !c.path().isEmpty() && !c.value().equals(c.path())) {
      throw new ExtensionConfigurationException(
          "@WasmConfig gives two paths: value '" + c.value() + "' and path '" + c.path() + "'");
    }
    return c.path().isEmpty() ? c.value() : c.path();
  }

  private static Entry declare(
      ExtensionContext classContext, WasmPolicy p, String where, boolean classLevel) {
    String location = location(p);
    if (location.isEmpty()) {
      throw new ExtensionConfigurationException(where + ": @WasmPolicy needs the module's path");
    }
    String name = p.name().isEmpty() ? defaultName(location) : p.name();
    String signature =
        String.join(
            "\u0000",
            "policy",
            location,
            p.type(),
            p.settings(),
            p.settingsFile(),
            String.valueOf(p.mutating()),
            p.timeout(),
            p.options(),
            p.hostCapabilities());
    return registry(classContext)
        .declare(name, signature, where, classLevel, () -> loadPolicy(p, location, name, where));
  }

  private static Entry declare(
      ExtensionContext classContext, WasmConfig c, String where, boolean classLevel) {
    String location = location(c);
    if (location.isEmpty()) {
      throw new ExtensionConfigurationException(where + ": @WasmConfig needs the file's path");
    }
    String name = c.name().isEmpty() ? location : c.name();
    return registry(classContext)
        .declare(
            name, "config\u0000" + location, where, classLevel, () -> loadConfig(location, where));
  }

  private static Policy loadPolicy(WasmPolicy p, String location, String name, String where) {
    try {
      Policy.Builder b = Policy.builder(location).name(name).type(p.type()).mutating(p.mutating());
      if (!p.settings().isEmpty() && !p.settingsFile().isEmpty()) {
        throw new IllegalArgumentException("give settings or settingsFile, not both");
      }
      if (!p.settings().isEmpty()) {
        b.settings(p.settings());
      }
      if (!p.settingsFile().isEmpty()) {
        b.settingsFile(p.settingsFile());
      }
      if (!p.timeout().isEmpty()) {
        b.timeout(Quantities.parseDuration(p.timeout()));
      }
      if (!p.options().isEmpty()) {
        b.options(p.options());
      }
      PolicyTypeSupport support = PolicyTypeSupport.find(ModuleType.of(p.type()));
      if (support != null) {
        try {
          support.prepare(b, p);
        } catch (LinkageError e) {
          String needs =
              ModuleType.KUBEWARDEN.name().equals(p.type())
                  ? "dev.k8swasm:k8s-wasm-kubewarden-compat"
                  : "its module runtime";
          throw new IllegalArgumentException(
              "type '" + p.type() + "' needs " + needs + " on the test class path (" + e + ")", e);
        }
      } else if (ModuleType.KUBEWARDEN.name().equals(p.type())) {
        throw new IllegalArgumentException(
            "type 'kubewarden' needs dev.k8swasm:k8s-wasm-kubewarden-compat on the test class"
                + " path");
      } else if (!p.hostCapabilities().isEmpty()) {
        throw new IllegalArgumentException("hostCapabilities is for type 'kubewarden' only");
      }
      return b.load();
    } catch (RuntimeException e) {
      throw new ExtensionConfigurationException(
          where + ": @WasmPolicy(\"" + location + "\") cannot be loaded: " + e.getMessage(), e);
    }
  }

  private static PolicyChain loadConfig(String location, String where) {
    try {
      return PolicyChain.load(location);
    } catch (RuntimeException e) {
      throw new ExtensionConfigurationException(
          where + ": @WasmConfig(\"" + location + "\") cannot be loaded: " + e.getMessage(), e);
    }
  }

  static String defaultName(String location) {
    String file =
        location.substring(Math.max(location.lastIndexOf('/'), location.lastIndexOf('\\')) + 1);
    return file.endsWith(".wasm") ? file.substring(0, file.length() - ".wasm".length()) : file;
  }

  // ------------------------------------------------------------------------------ lookups

  private static Entry named(ExtensionContext context, String name, String where) {
    if (name.isEmpty()) {
      throw new ParameterResolutionException(
          where + ": the annotation needs a path (to load a module) or a name (to refer to one)");
    }
    for (Registry r : visibleRegistries(context)) {
      Entry e = r.get(name);
      if (e != null) {
        return e;
      }
    }
    List<String> known = new ArrayList<>();
    visibleRegistries(context).forEach(r -> known.addAll(r.names()));
    throw new ParameterResolutionException(
        where + ": nothing named '" + name + "' is declared; declared: " + known);
  }

  /**
   * The declarations that can give a {@code type}: of the innermost class that has any, its
   * class-level declarations if some fit, else its field and parameter declarations.
   */
  private static List<Entry> candidates(ExtensionContext context, Class<?> type) {
    for (Registry r : visibleRegistries(context)) {
      List<Entry> fitting = r.entries().stream().filter(e -> canProvide(e.value(), type)).toList();
      List<Entry> classLevel = fitting.stream().filter(Entry::classLevel).toList();
      if (!classLevel.isEmpty()) {
        return classLevel;
      }
      if (!fitting.isEmpty()) {
        return fitting;
      }
    }
    return List.of();
  }

  private static boolean canProvide(Object value, Class<?> type) {
    if (value instanceof Policy p) {
      return POLICY_TYPES.contains(type) || p.attachment(type).isPresent();
    }
    return CHAIN_TYPES.contains(type);
  }

  /** The registries of the class contexts from the innermost outwards. */
  private static List<Registry> visibleRegistries(ExtensionContext context) {
    List<Registry> registries = new ArrayList<>();
    for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
      if (c.getTestMethod().isEmpty() && c.getTestClass().isPresent()) {
        Registry r = c.getStore(NAMESPACE).get(Registry.class, Registry.class);
        if (r != null) {
          registries.add(r);
        }
      }
    }
    return registries;
  }

  /** The context of {@code testClass} (where its modules live until it is done). */
  private static ExtensionContext classContext(ExtensionContext context, Class<?> testClass) {
    ExtensionContext nearest = null;
    for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
      if (c.getTestMethod().isEmpty() && c.getTestClass().isPresent()) {
        if (nearest == null) {
          nearest = c;
        }
        if (c.getTestClass().get() == testClass) {
          return c;
        }
      }
    }
    if (nearest == null) {
      throw new ExtensionConfigurationException("no test class context for " + testClass);
    }
    return nearest;
  }

  private static Registry registry(ExtensionContext classContext) {
    return classContext
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(Registry.class, k -> new Registry(), Registry.class);
  }

  static Object provide(Object value, Class<?> type) {
    if (value instanceof Policy p) {
      if (type == Policy.class) {
        return p;
      } else if (type == PolicyModule.class) {
        return p.module();
      } else if (type == Authenticator.class) {
        return p.authenticator();
      } else if (type == Authorizer.class) {
        return p.authorizer();
      } else if (type == AdmissionController.class) {
        return p.admissionController();
      }
      return p.attachment(type).orElse(null);
    } else if (value instanceof PolicyChain c) {
      if (type == PolicyChain.class) {
        return c;
      } else if (type == AuthenticatorChain.class || type == Authenticator.class) {
        return c.authenticator();
      } else if (type == AuthorizerChain.class || type == Authorizer.class) {
        return c.authorizer();
      } else if (type == AdmissionChain.class || type == AdmissionController.class) {
        return c.admission();
      }
    }
    return null;
  }

  private static String supported(Entry entry) {
    Set<Class<?>> types = entry.value() instanceof Policy ? POLICY_TYPES : CHAIN_TYPES;
    return "supported types: " + types.stream().map(Class::getSimpleName).sorted().toList();
  }

  // ------------------------------------------------------------------------------ registry

  /** A declared module or configuration. */
  record Entry(
      String name, String signature, String where, boolean classLevel, AutoCloseable value) {}

  /** The modules and configurations of one test class; closed with the class's context. */
  @SuppressWarnings("deprecation") // CloseableResource: closed also by JUnit versions before 5.13
  static final class Registry implements AutoCloseable, ExtensionContext.Store.CloseableResource {
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private boolean closed;

    synchronized Entry declare(
        String name,
        String signature,
        String where,
        boolean classLevel,
        Supplier<AutoCloseable> loader) {
      Entry existing = entries.get(name);
      if (existing != null) {
        if (!existing.signature().equals(signature)) {
          throw new ExtensionConfigurationException(
              where
                  + ": two different declarations are named '"
                  + name
                  + "' (the other on "
                  + existing.where()
                  + "); give them different names");
        }
        if (classLevel && !existing.classLevel()) {
          existing = new Entry(name, signature, existing.where(), true, existing.value());
          entries.put(name, existing);
        }
        return existing;
      }
      if (closed) {
        throw new ExtensionConfigurationException(where + ": the test class is already done");
      }
      Entry entry = new Entry(name, signature, where, classLevel, loader.get());
      entries.put(name, entry);
      return entry;
    }

    synchronized Entry get(String name) {
      return entries.get(name);
    }

    synchronized List<Entry> entries() {
      return List.copyOf(entries.values());
    }

    synchronized List<String> names() {
      return List.copyOf(entries.keySet());
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      List<AutoCloseable> values = new ArrayList<>();
      entries.values().forEach(e -> values.add(e.value()));
      entries.clear();
      Closing.all(values);
    }
  }
}
