package aborttestpkg

import rego.v1

r if { true }
r = false if { true }

q if { r }