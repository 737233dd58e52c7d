// Package ooxmltest holds what the tests of the Office Open XML writers
// share: a hand-made document covering every block type and a checker for
// written packages.
package ooxmltest
