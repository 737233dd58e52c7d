package document

// Writer is what every format writer implements: it takes blocks one at a
// time, writing as it goes, and Close finishes the file. A Writer never holds
// more of the document than the block at hand and what the format forces it
// to keep (such as the glyphs a PDF font subset needs).
type Writer interface {
	WriteBlock(Block) error
	Close() error
}

// Write feeds blocks to w and closes it, stopping at the first error.
func Write(w Writer, blocks Blocks) error {
	var err error
	for b := range blocks {
		if err = w.WriteBlock(b); err != nil {
			return err
		}
	}
	return w.Close()
}
