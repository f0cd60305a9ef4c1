package policy

// WindowOf exposes windowOf to the external tests.
var WindowOf = windowOf
