package builtincallpkg

import rego.v1

default someep := false

result := custom.func("Jane")