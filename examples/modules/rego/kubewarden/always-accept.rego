package policy

violation[{"msg": msg}] {
	false
	msg := ""
}
