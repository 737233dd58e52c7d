// Package docx writes a document's blocks as a Word (Office Open XML)
// document, streaming word/document.xml as the blocks arrive.
package docx
