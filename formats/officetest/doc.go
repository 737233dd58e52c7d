// Package officetest checks that every format's file of the example plans
// opens in LibreOffice and shows every text of the plan; it holds tests only.
package officetest
