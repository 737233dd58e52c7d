// Package ooxmltest holds what the tests of the Office Open XML writers
// share: a hand-made document covering every block type, the example plans
// of the repository, a checker for written packages and the checks every
// writer must pass.
package ooxmltest
