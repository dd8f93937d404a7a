// Package m writes and edits the Power Query M that pqentra hands to users:
// the Aad authentication record (as a field, a data source kind, or a whole
// minimal connector), a patcher that puts that record into an existing
// connector .pq file without disturbing anything else, and a reader that
// reports what an existing Aad record says (for `pqentra doctor`).
//
// Everything is plain text in, text out. The package has its own small M
// lexer (lex.go) rather than regular expressions, because comments, text
// literals and quoted identifiers can all contain brackets and "Aad = [".
// Generated M is checked against Microsoft's @microsoft/powerquery-parser by
// the tests (see test-tools/mparse).
package m
