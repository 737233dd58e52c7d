// Package lessonstore keeps teachers' lesson plans in a database, each owned
// by one user, behind an interface that other databases can implement.
package lessonstore
