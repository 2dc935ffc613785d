// The build failed (invoker.properties) -- and for the right reason: the test class could not load
// its module, not because of a dependency or compilation problem.
def log = new File(basedir, 'build.log').text
def reports = new File(basedir, 'target/surefire-reports')
def files = reports.exists() ? reports.listFiles().findAll { it.name ==~ /TEST-.*\.xml/ } : []
assert !files.isEmpty() : "no Surefire report: the tests did not run, so the build failed for another reason"
int tests = 0, problems = 0
files.each { f ->
  def suite = new groovy.xml.XmlSlurper().parse(f)
  tests += suite.@tests.toInteger()
  problems += suite.@failures.toInteger() + suite.@errors.toInteger()
}
assert problems > 0 && problems == tests : "expected every test to fail, got ${problems} of ${tests}"
assert log.contains('@WasmPolicy("modules/magic_validator.wasm") cannot be loaded') : 'the failure should name the module'
assert log.contains('[LOAD_FAILED]') : 'the failure should give the reason'
return true
