// Package safefile writes the user's files so that nothing is lost and
// nothing is redirected. It is plain Go with no terminal code; the CLI
// (snippet --out, snippet --patch, doctor --fix --connector) and the
// wizard's w key all write through it.
//
// The guarantees:
//   - A file is replaced through a temporary file created with O_EXCL under
//     a random name in the same folder, then renamed over it: a crash leaves
//     the old file or the new one, and a symlink planted at a predictable
//     name cannot redirect the write.
//   - A path that is a symlink is followed to the real file, which is
//     patched; the link stays a link.
//   - A backup is created with O_EXCL as name.bak, or name.bak.1, .bak.2, …
//     when that exists: an earlier backup is never overwritten, and the
//     caller is told which name was written.
//   - An edit made between reading a file and writing it is detected (size
//     and SHA-256, compared again just before the rename, under a lock that
//     serialises pqentra's own writers on Unix) and nothing is written.
//   - A read-only file is refused unless forced; when replaced, a file keeps
//     its mode and owner.
package safefile
