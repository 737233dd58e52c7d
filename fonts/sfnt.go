package fonts

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"unicode/utf16"
)

var errUnknownFace = errors.New("unknown font face")

// tableRecord is one entry of an sfnt table directory.
type tableRecord struct {
	tag      [4]byte
	checksum uint32
	offset   uint32
	length   uint32
}

// Extract returns face index of the TrueType collection ttc as a standalone
// sfnt file: a new table directory followed by a copy of each table, each
// padded to four bytes, with the offsets rewritten and the head table's
// checksum adjustment recomputed.
func Extract(ttc []byte, index int) ([]byte, error) {
	if len(ttc) < 12 || string(ttc[:4]) != "ttcf" {
		return nil, errors.New("extract face: not a TrueType collection")
	}
	n := int(binary.BigEndian.Uint32(ttc[8:]))
	if index < 0 || index >= n || 12+4*n > len(ttc) {
		return nil, fmt.Errorf("extract face %d: collection has %d faces", index, n)
	}
	start := int(binary.BigEndian.Uint32(ttc[12+4*index:]))
	tables, version, err := readDirectory(ttc, start)
	if err != nil {
		return nil, fmt.Errorf("extract face %d: %w", index, err)
	}
	// Tables in the output are in tag order, which the format requires of
	// the directory and which keeps the layout independent of the source.
	sort.Slice(tables, func(i, j int) bool {
		return string(tables[i].tag[:]) < string(tables[j].tag[:])
	})
	size := 12 + 16*len(tables)
	for _, t := range tables {
		size += pad4(int(t.length))
	}
	out := make([]byte, size)
	writeHeader(out, version, len(tables))
	pos := 12 + 16*len(tables)
	headAt := -1
	for i, t := range tables {
		data := ttc[t.offset : t.offset+t.length]
		copy(out[pos:], data)
		if string(t.tag[:]) == "head" {
			if t.length < 12 {
				return nil, fmt.Errorf("extract face %d: head table too short", index)
			}
			headAt = pos
			binary.BigEndian.PutUint32(out[pos+8:], 0)
		}
		rec := out[12+16*i:]
		copy(rec, t.tag[:])
		binary.BigEndian.PutUint32(rec[4:], checksum(out[pos:pos+pad4(int(t.length))]))
		binary.BigEndian.PutUint32(rec[8:], uint32(pos))
		binary.BigEndian.PutUint32(rec[12:], t.length)
		pos += pad4(int(t.length))
	}
	if headAt < 0 {
		return nil, fmt.Errorf("extract face %d: no head table", index)
	}
	binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	return out, nil
}

// readDirectory reads the table directory at start and checks that every
// table lies inside data.
func readDirectory(data []byte, start int) ([]tableRecord, uint32, error) {
	if start < 0 || start+12 > len(data) {
		return nil, 0, errors.New("table directory out of range")
	}
	version := binary.BigEndian.Uint32(data[start:])
	if version != 0x00010000 && version != 0x74727565 {
		return nil, 0, fmt.Errorf("unsupported sfnt version %#x", version)
	}
	n := int(binary.BigEndian.Uint16(data[start+4:]))
	if start+12+16*n > len(data) {
		return nil, 0, errors.New("table directory out of range")
	}
	tables := make([]tableRecord, n)
	for i := range tables {
		rec := data[start+12+16*i:]
		t := &tables[i]
		copy(t.tag[:], rec[:4])
		t.checksum = binary.BigEndian.Uint32(rec[4:])
		t.offset = binary.BigEndian.Uint32(rec[8:])
		t.length = binary.BigEndian.Uint32(rec[12:])
		if uint64(t.offset)+uint64(t.length) > uint64(len(data)) {
			return nil, 0, fmt.Errorf("table %q out of range", t.tag[:])
		}
	}
	return tables, version, nil
}

// writeHeader writes the sfnt offset table for n tables.
func writeHeader(out []byte, version uint32, n int) {
	binary.BigEndian.PutUint32(out, version)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	entrySelector := 0
	for 1<<(entrySelector+1) <= n {
		entrySelector++
	}
	searchRange := 16 << entrySelector
	binary.BigEndian.PutUint16(out[6:], uint16(searchRange))
	binary.BigEndian.PutUint16(out[8:], uint16(entrySelector))
	binary.BigEndian.PutUint16(out[10:], uint16(16*n-searchRange))
}

func pad4(n int) int { return (n + 3) &^ 3 }

// checksum is the sfnt table checksum: the sum of big-endian 32-bit words,
// the last one padded with zeros.
func checksum(b []byte) uint32 {
	var sum uint32
	for len(b) >= 4 {
		sum += binary.BigEndian.Uint32(b)
		b = b[4:]
	}
	if len(b) > 0 {
		var last [4]byte
		copy(last[:], b)
		sum += binary.BigEndian.Uint32(last[:])
	}
	return sum
}

// table returns the data of the table tag in the standalone sfnt file ttf.
func table(ttf []byte, tag string) ([]byte, error) {
	tables, _, err := readDirectory(ttf, 0)
	if err != nil {
		return nil, err
	}
	for _, t := range tables {
		if string(t.tag[:]) == tag {
			return ttf[t.offset : t.offset+t.length], nil
		}
	}
	return nil, fmt.Errorf("no %s table", tag)
}

// Names holds the names a face declares in its name table.
type Names struct {
	// Family is name ID 1, the font family.
	Family string
	// Full is name ID 4, the full font name.
	Full string
}

// ReadNames reads the English family and full names from the name table of
// the standalone sfnt file ttf, preferring Windows Unicode records.
func ReadNames(ttf []byte) (Names, error) {
	view, err := openFace(ttf, 0)
	if err != nil {
		return Names{}, fmt.Errorf("read names: %w", err)
	}
	return readNames(view)
}

// readNames reads the names of the face s.
func readNames(s sfnt) (Names, error) {
	data, ok := s.get("name")
	if !ok {
		return Names{}, errors.New("read names: no name table")
	}
	if len(data) < 6 {
		return Names{}, errors.New("read names: name table too short")
	}
	count := int(binary.BigEndian.Uint16(data[2:]))
	strings := int(binary.BigEndian.Uint16(data[4:]))
	if 6+12*count > len(data) {
		return Names{}, errors.New("read names: name table too short")
	}
	var names Names
	var rank [5]int // best rank seen per name ID
	for i := range count {
		rec := data[6+12*i:]
		platform := binary.BigEndian.Uint16(rec)
		encoding := binary.BigEndian.Uint16(rec[2:])
		language := binary.BigEndian.Uint16(rec[4:])
		id := binary.BigEndian.Uint16(rec[6:])
		length := int(binary.BigEndian.Uint16(rec[8:]))
		offset := int(binary.BigEndian.Uint16(rec[10:]))
		if id != 1 && id != 4 {
			continue
		}
		if strings+offset+length > len(data) {
			continue
		}
		raw := data[strings+offset : strings+offset+length]
		var r int
		var s string
		switch {
		case platform == 3 && encoding == 1 && language == 0x409:
			r, s = 3, decodeUTF16(raw)
		case platform == 1 && encoding == 0 && language == 0:
			r, s = 2, string(raw) // Mac Roman; these names are ASCII
		case platform == 0:
			r, s = 1, decodeUTF16(raw)
		default:
			continue
		}
		if r <= rank[id] {
			continue
		}
		rank[id] = r
		if id == 1 {
			names.Family = s
		} else {
			names.Full = s
		}
	}
	if names.Family == "" {
		return Names{}, errors.New("read names: no family name")
	}
	return names, nil
}

func decodeUTF16(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.BigEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}
