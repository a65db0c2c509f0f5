package extract

// Exported for the external tests in sample_test.go, which cannot be in
// package extract should package sample ever import it.
var IsChrome = isChrome
