// The JOSDK example must have run its tests, all passing.
def reports = new File(basedir, 'target/surefire-reports')
def files = reports.exists() ? reports.listFiles().findAll { it.name ==~ /TEST-.*\.xml/ } : []
assert !files.isEmpty() : "no Surefire report in ${reports}: the example ran no test"
int tests = 0, problems = 0
files.each { f ->
  def suite = new groovy.xml.XmlSlurper().parse(f)
  tests += suite.@tests.toInteger()
  problems += suite.@failures.toInteger() + suite.@errors.toInteger() + suite.@skipped.toInteger()
}
println "josdk-webhook: ${tests} tests, ${problems} failed or skipped"
assert tests >= 4 && problems == 0
return true
