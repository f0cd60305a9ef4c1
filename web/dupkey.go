package web

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/outbound-oss/outbound"
)

// duplicateKey finds the first key that appears twice in one object of a
// JSON text and names it by its path (seizures[1].unit). encoding/json
// keeps the last of two equal keys without a word, so `{"notes":"",
// "notes":"x"}` would store what a reviewer reading the first key does not
// see; the standard build has no option to refuse it (encoding/json/v2 is
// an experiment in Go 1.26). Keys are compared as encoding/json matches
// them to fields: after unescaping and without regard to case.
//
// It is one pass over the bytes, with no allocation for keys that are
// plain ASCII, so it costs little next to the decoding that follows; an
// object with many keys is checked through a map, so the pass stays linear.
// It runs on text the decoder has taken; on other text it answers nil or
// the first duplicate before the fault, and gives up past encoding/json's
// own depth limit.
func duplicateKey(b []byte) *outbound.Error {
	var stack []frame
	for i := 0; i < len(b); i++ {
		switch c := b[i]; c {
		case '{', '[':
			if len(stack) == maxDepth {
				return nil
			}
			stack = push(stack, c == '{')
		case '}', ']':
			if len(stack) == 0 {
				return nil
			}
			stack = stack[:len(stack)-1]
		case ',':
			if len(stack) == 0 {
				return nil
			}
			top := &stack[len(stack)-1]
			if top.object {
				top.expectKey = true
			} else {
				top.index++
			}
		case '"':
			end := stringEnd(b, i)
			if end < 0 {
				return nil
			}
			if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].expectKey {
				top := &stack[n-1]
				top.expectKey = false
				var folded []byte
				top.key, folded = keyOf(b[i : end+1])
				if top.seen(folded) {
					name := keyPath(stack)
					return outbound.Errorf(outbound.EINVALID, outbound.Clip(name), "key %s appears twice in one object; send each key once", outbound.Shown(name))
				}
			}
			i = end
		}
	}
	return nil
}

// maxDepth is encoding/json's limit on nesting, which refuses anything
// deeper.
const maxDepth = 10000

// frame is one object or array that the scan is inside.
type frame struct {
	object    bool
	expectKey bool   // the next string is a key
	key       []byte // the object's current key, unescaped, as sent
	index     int    // the array's current index
	keys      [][]byte
	many      map[string]struct{} // the keys, once there are many
}

// push enters an object or an array, reusing the memory of a frame left
// before: a batch enters thousands of objects at the same few depths.
func push(stack []frame, object bool) []frame {
	if len(stack) < cap(stack) {
		stack = stack[:len(stack)+1]
		f := &stack[len(stack)-1]
		*f = frame{object: object, expectKey: object, keys: f.keys[:0]}
		return stack
	}
	return append(stack, frame{object: object, expectKey: object})
}

// manyKeys is where a frame moves its keys from a list to a map: below it
// a scan of the list is faster than hashing.
const manyKeys = 64

// seen adds key to the object's keys and reports whether it was there.
func (f *frame) seen(key []byte) bool {
	if f.many != nil {
		if _, ok := f.many[string(key)]; ok {
			return true
		}
		f.many[string(key)] = struct{}{}
		return false
	}
	for _, k := range f.keys {
		if bytes.Equal(k, key) {
			return true
		}
	}
	f.keys = append(f.keys, key)
	if len(f.keys) > manyKeys {
		f.many = make(map[string]struct{}, 2*manyKeys)
		for _, k := range f.keys {
			f.many[string(k)] = struct{}{}
		}
		f.keys = nil
	}
	return false
}

// stringEnd is the index of the quote that closes the string opening at
// b[start], or -1 if it does not close.
func stringEnd(b []byte, start int) int {
	for i := start + 1; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

// keyOf is a quoted key as sent (unescaped), to name it, and as
// encoding/json matches it, to compare: unescaped and case-folded as
// bytes.EqualFold folds. A plain lower-case ASCII key, the usual one, is
// both as it lies in the body.
func keyOf(quoted []byte) (name, folded []byte) {
	raw := quoted[1 : len(quoted)-1]
	plain := true
	for _, c := range raw {
		if c == '\\' || c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			plain = false
			break
		}
	}
	if plain {
		return raw, raw
	}
	var s string
	if json.Unmarshal(quoted, &s) != nil {
		s = string(raw) // a bad escape: the decoder refuses it
	}
	return []byte(s), []byte(strings.Map(foldRune, s))
}

// foldRune is one rune for every rune that r equals without regard to
// case (the lower case of the least of them, so that a lower-case ASCII
// letter is itself): two keys are equal to encoding/json exactly when
// their runes fold alike.
func foldRune(r rune) rune {
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		least = min(least, f)
	}
	return unicode.ToLower(least)
}

// keyPath names the current key: the keys and indexes down to it.
func keyPath(stack []frame) string {
	var p strings.Builder
	for _, f := range stack {
		switch {
		case !f.object:
			p.WriteString("[" + strconv.Itoa(f.index) + "]")
		case p.Len() > 0:
			p.WriteString("." + string(f.key))
		default:
			p.Write(f.key)
		}
	}
	return p.String()
}
