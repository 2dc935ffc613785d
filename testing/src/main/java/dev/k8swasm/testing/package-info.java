/**
 * JUnit 5 support for authors of WebAssembly policies: {@link dev.k8swasm.testing.WasmPolicy} and
 * {@link dev.k8swasm.testing.WasmConfig} load modules and configurations once per test class;
 * {@link dev.k8swasm.testing.TokenReviews}, {@link dev.k8swasm.testing.SubjectAccessReviews},
 * {@link dev.k8swasm.testing.AdmissionReviews} and {@link dev.k8swasm.testing.Fixtures} build
 * requests; {@link dev.k8swasm.testing.WasmAssertions} checks the results with failure messages
 * that show the request and each module's raw answer.
 */
package dev.k8swasm.testing;
