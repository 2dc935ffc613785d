// The sample project must have run its tests, all of them passing: a setup that silently runs
// 0 tests (old Surefire, wrong test names) would otherwise look green.
def reports = new File(basedir, 'target/surefire-reports')
def files = reports.exists() ? reports.listFiles().findAll { it.name ==~ /TEST-.*\.xml/ } : []
assert !files.isEmpty() : "no Surefire report in ${reports}: the sample ran no test"
int tests = 0, failures = 0, errors = 0, skipped = 0
files.each { f ->
  def suite = new groovy.xml.XmlSlurper().parse(f)
  tests += suite.@tests.toInteger()
  failures += suite.@failures.toInteger()
  errors += suite.@errors.toInteger()
  skipped += suite.@skipped.toInteger()
}
println "sample-project: ${tests} tests, ${failures} failures, ${errors} errors, ${skipped} skipped"
assert tests >= 2 : "the sample ran ${tests} tests, expected its 2"
assert failures == 0 && errors == 0 && skipped == 0
return true
