// Package failure maps every way an export can fail to one of a small fixed
// set of kinds, which API errors, metric labels and alert fields all use.
package failure
