// Package auth checks and issues the HS256-signed JSON Web Tokens that
// identify the users of the web API.
package auth
