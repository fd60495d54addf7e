package rotation

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
)

// Rotator moves a log file out of the way so that a new one can start
// (lager's rotator behaviour). The file handler closes the file, calls
// Rotate, and opens name again.
type Rotator interface {
	Rotate(name string) error
}

// Numbered is lager's default rotator: name.0 is the newest archive and
// name.(Count-1) the oldest; a rotation shifts each archive up by one
// (dropping the oldest), renames name to name.0 and leaves name empty.
// With Count 0 it only truncates name. With Compress the archives are
// gzipped: name.0.gz … name.(Count-1).gz.
type Numbered struct {
	Count    int
	Compress bool
}

// Rotate implements Rotator. An archive missing in the sequence is not an
// error. If name cannot be renamed or created again (a read-only
// directory, say), the error is returned and the archives already shifted
// stay shifted, but name itself is untouched: nothing is lost.
func (r Numbered) Rotate(name string) error {
	if r.Count < 0 {
		return fmt.Errorf("rotation: count must not be negative, got %d", r.Count)
	}
	if r.Count == 0 {
		return truncate(name)
	}
	ext := ""
	if r.Compress {
		ext = ".gz"
	}
	archive := func(i int) string { return name + "." + strconv.Itoa(i) + ext }
	for i := r.Count - 2; i >= 0; i-- {
		if err := os.Rename(archive(i), archive(i+1)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("rotation: %w", err)
		}
	}
	if r.Compress {
		if err := gzipTo(name, archive(0)); err != nil {
			return err
		}
		return truncate(name)
	}
	if err := os.Rename(name, archive(0)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("rotation: %w", err)
	}
	return truncate(name)
}

// truncate empties name, creating it if needed.
func truncate(name string) error {
	f, err := os.OpenFile(name, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("rotation: %w", err)
	}
	return f.Close()
}

// gzipTo writes a gzip copy of src to dst (through a temporary file, so a
// failure leaves no half archive).
func gzipTo(src, dst string) (err error) {
	in, err := os.Open(src)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("rotation: %w", err)
	}
	defer in.Close()
	tmp := dst + ".tmp"
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("rotation: %w", err)
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()
	zw := gzip.NewWriter(out)
	_, copyErr := io.Copy(zw, in)
	closeErr := zw.Close()
	fileErr := out.Close()
	if err = errors.Join(copyErr, closeErr, fileErr); err != nil {
		return fmt.Errorf("rotation: compress %s: %w", src, err)
	}
	if err = os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("rotation: %w", err)
	}
	return nil
}
