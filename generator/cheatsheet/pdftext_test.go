package cheatsheet_test

import (
	"bytes"
	"compress/zlib"
	"encoding/hex"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
)

// This file reads back the PDFs Chromium prints, so the end-to-end test can check what is on paper
// without an external tool: it counts the pages, reads their size and extracts their text through the
// fonts' ToUnicode maps. It understands what Chromium's PDF writer (Skia) emits: uncompressed object
// tables, Flate streams, Type0 fonts with Identity-H encoding, text shown with Tj and TJ, text in form
// XObjects. It is a test helper, not a general PDF reader.

type pdfObject struct {
	dict   string // the object's dictionary (or whole value), as text
	stream []byte // its decoded stream, nil when it has none
}

type pdfFile struct {
	objs map[int]*pdfObject
}

// pdfPage is one printed page.
type pdfPage struct {
	Width, Height float64 // points
	Text          string  // shown text, in content order, a space between runs
}

var (
	objStart  = regexp.MustCompile(`(?m)(?:^|\s)(\d+) (\d+) obj\b`)
	pageType  = regexp.MustCompile(`/Type\s*/Page\b`)
	lengthRe  = regexp.MustCompile(`/Length\s+(\d+)(\s+\d+\s+R)?`)
	refRe     = regexp.MustCompile(`(\d+)\s+\d+\s+R`)
	mediaBox  = regexp.MustCompile(`/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]`)
	bfcharRe  = regexp.MustCompile(`(?s)beginbfchar(.*?)endbfchar`)
	bfrangeRe = regexp.MustCompile(`(?s)beginbfrange(.*?)endbfrange`)
	hexRe     = regexp.MustCompile(`<([0-9A-Fa-f\s]*)>|\[([^\]]*)\]`)
)

// parsePDF reads every indirect object of a PDF.
func parsePDF(data []byte) (*pdfFile, error) {
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		return nil, fmt.Errorf("not a PDF: starts with %q", data[:min(len(data), 8)])
	}
	f := &pdfFile{objs: map[int]*pdfObject{}}
	locs := objStart.FindAllSubmatchIndex(data, -1)
	for i, loc := range locs {
		num, _ := strconv.Atoi(string(data[loc[2]:loc[3]]))
		start := loc[1]
		end := len(data)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		body := data[start:end]
		if s := streamStart(body); s >= 0 {
			dict := string(body[:s])
			raw := body[s:]
			if m := lengthRe.FindStringSubmatch(dict); m != nil && m[2] == "" {
				if n, _ := strconv.Atoi(m[1]); n <= len(raw) {
					raw = raw[:n]
				}
			} else if e := bytes.Index(raw, []byte("endstream")); e >= 0 {
				raw = raw[:e]
			}
			obj := &pdfObject{dict: dict, stream: raw}
			if strings.Contains(dict, "/FlateDecode") {
				r, err := zlib.NewReader(bytes.NewReader(raw))
				if err != nil {
					return nil, fmt.Errorf("object %d: %w", num, err)
				}
				dec, err := io.ReadAll(io.LimitReader(r, 64<<20))
				if err != nil && !strings.Contains(err.Error(), "unexpected EOF") {
					return nil, fmt.Errorf("object %d: %w", num, err)
				}
				obj.stream = dec
			}
			f.objs[num] = obj
			continue
		}
		if e := bytes.Index(body, []byte("endobj")); e >= 0 {
			body = body[:e]
		}
		f.objs[num] = &pdfObject{dict: string(body)}
	}
	return f, nil
}

// streamStart is the offset of a stream's data in an object's body, or -1 when it has none.
func streamStart(body []byte) int {
	i := bytes.Index(body, []byte("stream"))
	e := bytes.Index(body, []byte("endobj"))
	if i < 0 || (e >= 0 && e < i) || bytes.HasPrefix(body[i:], []byte("streamend")) {
		return -1
	}
	i += len("stream")
	if i < len(body) && body[i] == '\r' {
		i++
	}
	if i < len(body) && body[i] == '\n' {
		i++
	}
	return i
}

// value finds a key's value in a dictionary: the text after /key up to the next key at the same level.
func value(dict, key string) string {
	re := regexp.MustCompile(`/` + key + `\b\s*`)
	loc := re.FindStringIndex(dict)
	if loc == nil {
		return ""
	}
	rest := dict[loc[1]:]
	switch {
	case strings.HasPrefix(rest, "<<"):
		return rest[:matchDict(rest)]
	case strings.HasPrefix(rest, "["):
		if e := strings.IndexByte(rest, ']'); e >= 0 {
			return rest[:e+1]
		}
	}
	if m := regexp.MustCompile(`^\d+\s+\d+\s+R`).FindString(rest); m != "" {
		return m
	}
	if e := strings.IndexAny(rest, "/>\n"); e >= 0 {
		return strings.TrimSpace(rest[:e])
	}
	return rest
}

// matchDict is the length of the <<…>> at the start of s.
func matchDict(s string) int {
	depth := 0
	for i := 0; i+1 < len(s); i++ {
		switch {
		case s[i] == '<' && s[i+1] == '<':
			depth++
			i++
		case s[i] == '>' && s[i+1] == '>':
			depth--
			i++
			if depth == 0 {
				return i + 1
			}
		}
	}
	return len(s)
}

// resolve follows an indirect reference ("12 0 R") to its object's dictionary; anything else is
// returned as it is.
func (f *pdfFile) resolve(v string) string {
	if m := refRe.FindStringSubmatch(strings.TrimSpace(v)); m != nil && strings.HasSuffix(strings.TrimSpace(v), "R") {
		n, _ := strconv.Atoi(m[1])
		if o := f.objs[n]; o != nil {
			return o.dict
		}
	}
	return v
}

func (f *pdfFile) refs(v string) []int {
	var out []int
	for _, m := range refRe.FindAllStringSubmatch(v, -1) {
		n, _ := strconv.Atoi(m[1])
		out = append(out, n)
	}
	return out
}

// Pages lists the pages in object order, which is the printed order for Skia's output.
func (f *pdfFile) Pages() []pdfPage {
	nums := make([]int, 0, len(f.objs))
	for n := range f.objs {
		nums = append(nums, n)
	}
	slices.Sort(nums)
	var pages []pdfPage
	for _, n := range nums {
		o := f.objs[n]
		if o.stream != nil || !pageType.MatchString(o.dict) {
			continue
		}
		p := pdfPage{}
		if m := mediaBox.FindStringSubmatch(o.dict); m != nil {
			x0, _ := strconv.ParseFloat(m[1], 64)
			y0, _ := strconv.ParseFloat(m[2], 64)
			x1, _ := strconv.ParseFloat(m[3], 64)
			y1, _ := strconv.ParseFloat(m[4], 64)
			p.Width, p.Height = x1-x0, y1-y0
		}
		var text strings.Builder
		res := f.resolve(value(o.dict, "Resources"))
		for _, c := range f.refs(value(o.dict, "Contents")) {
			if s := f.objs[c]; s != nil {
				f.showText(&text, s.stream, res, 0)
			}
		}
		p.Text = text.String()
		pages = append(pages, p)
	}
	return pages
}

// cmap maps character codes of one font to text.
type cmap struct {
	width int // bytes per code
	m     map[uint32]string
}

func (f *pdfFile) fontMap(res, name string) *cmap {
	fonts := f.resolve(value(res, "Font"))
	font := f.resolve(value(fonts, name))
	tu := f.refs(value(font, "ToUnicode"))
	cm := &cmap{width: 1, m: map[uint32]string{}}
	if strings.Contains(font, "Identity-H") || strings.Contains(font, "Type0") {
		cm.width = 2
	}
	if len(tu) == 0 || f.objs[tu[0]] == nil {
		return cm
	}
	src := string(f.objs[tu[0]].stream)
	for _, block := range bfcharRe.FindAllStringSubmatch(src, -1) {
		hs := hexRe.FindAllStringSubmatch(block[1], -1)
		for i := 0; i+1 < len(hs); i += 2 {
			code, w := hexCode(hs[i][1])
			cm.width = w
			cm.m[code] = utf16Hex(hs[i+1][1])
		}
	}
	for _, block := range bfrangeRe.FindAllStringSubmatch(src, -1) {
		hs := hexRe.FindAllStringSubmatch(block[1], -1)
		for i := 0; i+2 < len(hs); i += 3 {
			lo, w := hexCode(hs[i][1])
			hi, _ := hexCode(hs[i+1][1])
			cm.width = w
			if hs[i+2][2] != "" { // [<dst> <dst> …]
				for k, d := range hexRe.FindAllStringSubmatch(hs[i+2][2], -1) {
					cm.m[lo+uint32(k)] = utf16Hex(d[1])
				}
				continue
			}
			dst := []rune(utf16Hex(hs[i+2][1]))
			for c := lo; c <= hi && c-lo < 1<<16; c++ {
				if len(dst) > 0 {
					r := append([]rune(nil), dst...)
					r[len(r)-1] += rune(c - lo)
					cm.m[c] = string(r)
				}
			}
		}
	}
	return cm
}

func hexCode(h string) (uint32, int) {
	b, _ := hex.DecodeString(strings.Join(strings.Fields(h), ""))
	var v uint32
	for _, c := range b {
		v = v<<8 | uint32(c)
	}
	return v, max(len(b), 1)
}

func utf16Hex(h string) string {
	b, _ := hex.DecodeString(strings.Join(strings.Fields(h), ""))
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	return string(utf16.Decode(u))
}

func (cm *cmap) decode(b []byte) string {
	var s strings.Builder
	for i := 0; i+cm.width <= len(b); i += cm.width {
		var c uint32
		for _, x := range b[i : i+cm.width] {
			c = c<<8 | uint32(x)
		}
		if t, ok := cm.m[c]; ok {
			s.WriteString(t)
		} else if cm.width == 1 {
			s.WriteByte(byte(c))
		}
	}
	return s.String()
}

// showText runs a content stream's text operators, writing the text shown.
func (f *pdfFile) showText(out *strings.Builder, content []byte, res string, depth int) {
	if depth > 8 {
		return
	}
	fonts := map[string]*cmap{}
	var cur *cmap
	var operands []pdfToken
	lx := &lexer{src: content}
	for {
		tok, ok := lx.next()
		if !ok {
			return
		}
		if tok.kind != tokOp {
			operands = append(operands, tok)
			continue
		}
		switch tok.text {
		case "Tf":
			if len(operands) >= 2 && operands[0].kind == tokName {
				name := operands[0].text
				if fonts[name] == nil {
					fonts[name] = f.fontMap(res, name)
				}
				cur = fonts[name]
			}
		case "Tj", "'", "\"":
			if cur != nil && len(operands) > 0 && operands[len(operands)-1].kind == tokString {
				out.WriteString(cur.decode(operands[len(operands)-1].bytes))
				out.WriteByte(' ')
			}
		case "TJ":
			if cur != nil {
				for _, o := range operands {
					switch o.kind {
					case tokString:
						out.WriteString(cur.decode(o.bytes))
					case tokNumber:
						if v, _ := strconv.ParseFloat(o.text, 64); v < -200 {
							out.WriteByte(' ')
						}
					}
				}
				out.WriteByte(' ')
			}
		case "Do":
			if len(operands) > 0 && operands[0].kind == tokName {
				xobjs := f.resolve(value(res, "XObject"))
				for _, n := range f.refs(value(xobjs, operands[0].text)) {
					if o := f.objs[n]; o != nil && strings.Contains(o.dict, "/Form") {
						sub := f.resolve(value(o.dict, "Resources"))
						if sub == "" {
							sub = res
						}
						f.showText(out, o.stream, sub, depth+1)
					}
				}
			}
		}
		operands = operands[:0]
	}
}

type tokKind int

const (
	tokOp tokKind = iota
	tokName
	tokNumber
	tokString
	tokOther
)

type pdfToken struct {
	kind  tokKind
	text  string
	bytes []byte
}

// lexer splits a content stream into operands and operators. Arrays are flattened: "[" and "]" are
// dropped, so TJ sees its strings and numbers as operands.
type lexer struct {
	src []byte
	pos int
}

func isDelim(c byte) bool { return strings.IndexByte("()<>[]{}/%", c) >= 0 }
func isSpace(c byte) bool { return strings.IndexByte(" \t\r\n\f\x00", c) >= 0 }

func (l *lexer) next() (pdfToken, bool) {
	s := l.src
	for l.pos < len(s) {
		c := s[l.pos]
		switch {
		case isSpace(c):
			l.pos++
		case c == '%':
			for l.pos < len(s) && s[l.pos] != '\n' && s[l.pos] != '\r' {
				l.pos++
			}
		case c == '[' || c == ']' || c == '{' || c == '}':
			l.pos++
		case c == '/':
			start := l.pos + 1
			l.pos++
			for l.pos < len(s) && !isSpace(s[l.pos]) && !isDelim(s[l.pos]) {
				l.pos++
			}
			return pdfToken{kind: tokName, text: string(s[start:l.pos])}, true
		case c == '<' && l.pos+1 < len(s) && s[l.pos+1] == '<':
			l.pos += 2
			return pdfToken{kind: tokOther, text: "<<"}, true
		case c == '>' && l.pos+1 < len(s) && s[l.pos+1] == '>':
			l.pos += 2
			return pdfToken{kind: tokOther, text: ">>"}, true
		case c == '<':
			end := bytes.IndexByte(s[l.pos:], '>')
			if end < 0 {
				l.pos = len(s)
				return pdfToken{}, false
			}
			h := strings.Join(strings.Fields(string(s[l.pos+1:l.pos+end])), "")
			if len(h)%2 == 1 {
				h += "0"
			}
			b, _ := hex.DecodeString(h)
			l.pos += end + 1
			return pdfToken{kind: tokString, bytes: b}, true
		case c == '(':
			return pdfToken{kind: tokString, bytes: l.literal()}, true
		default:
			start := l.pos
			for l.pos < len(s) && !isSpace(s[l.pos]) && !isDelim(s[l.pos]) {
				l.pos++
			}
			if l.pos == start { // a stray delimiter such as ')' or '>'
				l.pos++
				continue
			}
			t := string(s[start:l.pos])
			if _, err := strconv.ParseFloat(t, 64); err == nil {
				return pdfToken{kind: tokNumber, text: t}, true
			}
			if t == "true" || t == "false" || t == "null" {
				return pdfToken{kind: tokOther, text: t}, true
			}
			return pdfToken{kind: tokOp, text: t}, true
		}
	}
	return pdfToken{}, false
}

// literal reads a (string) with nesting and escapes.
func (l *lexer) literal() []byte {
	s := l.src
	l.pos++ // (
	depth := 1
	var b []byte
	for l.pos < len(s) {
		c := s[l.pos]
		l.pos++
		switch c {
		case '\\':
			if l.pos >= len(s) {
				return b
			}
			e := s[l.pos]
			l.pos++
			switch e {
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case '\r', '\n':
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && l.pos < len(s) && s[l.pos] >= '0' && s[l.pos] <= '7'; k++ {
						v = v*8 + int(s[l.pos]-'0')
						l.pos++
					}
					b = append(b, byte(v))
				} else {
					b = append(b, e)
				}
			}
		case '(':
			depth++
			b = append(b, c)
		case ')':
			depth--
			if depth == 0 {
				return b
			}
			b = append(b, c)
		default:
			b = append(b, c)
		}
	}
	return b
}
