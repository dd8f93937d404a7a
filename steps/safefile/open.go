package safefile

import (
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Never hang on a file. Opening a FIFO for reading blocks until someone
// writes to it (and ignores Ctrl-C, which Go cannot deliver to a thread
// stuck in open(2)); reading a device may never end. So every file pqentra
// reads — connector files, output files it replaces, the token cache, the
// demo tenant — is opened without blocking and checked on the open handle:
// anything but a regular file is refused before a byte is read.

// OpenRegular opens path for reading (following symlinks), refusing
// anything but a regular file without blocking on it.
func OpenRegular(path string) (*os.File, fs.FileInfo, error) {
	fh, err := openNoBlock(path)
	if err != nil {
		return nil, nil, err
	}
	info, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, nil, err
	}
	if err := regular(path, info); err != nil {
		fh.Close()
		return nil, nil, err
	}
	return fh, info, nil
}

// ReadRegular reads the regular file at path whole, refusing other kinds
// of file and files over limit bytes (limit <= 0: no limit).
func ReadRegular(path string, limit int64) ([]byte, error) {
	fh, info, err := OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	if limit > 0 && info.Size() > limit {
		return nil, refuse(path, ErrTooLarge, fmt.Sprintf("%s is larger than %d MiB", path, limit>>20))
	}
	var r io.Reader = fh
	if limit > 0 {
		r = io.LimitReader(fh, limit+1)
	}
	b, err := io.ReadAll(r)
	if err == nil && limit > 0 && int64(len(b)) > limit {
		return nil, refuse(path, ErrTooLarge, fmt.Sprintf("%s is larger than %d MiB", path, limit>>20))
	}
	return b, err
}
