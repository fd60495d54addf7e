package formatter

import (
	"log/slog"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/actorlog/actorlog/core"
)

// A Lager format is compiled once into a flat program: one loop over
// operations, with jumps for the conditionals and one slot per metadata
// key, instead of walking the tokens recursively and looking each key up
// by name several times a line. The tokens stay the reference: Format
// walks them (token) when a format is too deep to compile, and a test
// checks that both write the same bytes.

// Operations that tokens do not have.
const (
	oJump tokenKind = 100 + iota // skip the next skip operations
	oMark                        // remember where an element of a fitted branch starts
	oFit                         // fit what was written since the mark to width
)

// maxSlots and maxMarks bound what a program holds on the stack; a format
// needing more is not compiled.
const (
	maxSlots = 8
	maxMarks = 4
)

type op struct {
	kind  tokenKind
	slot  int    // tKey, tKeyOr, tIfKey
	skip  int    // tKeyOr, tIfKey, oJump
	text  string // tText
	width int    // oFit
	align Align  // oFit
	tok   Token  // the other tokens, written by token
}

type program struct {
	tokens   *Token // the first token of the compiled list (its identity)
	n        int    // and its length
	compiled bool   // false: too deep or too many keys; Format walks the tokens
	ops      []op
	keys     []string
}

// programs holds compiled formats by the address and length of their
// tokens (a formatter does not change, so its tokens do not either), and
// programSlots is a direct-mapped cache in front of it. A format that
// cannot be compiled is held too, with no operations. Programs are kept
// for the life of the process, like a formatter's tokens usually are.
var (
	programs     sync.Map // programKey → *program
	programSlots [64]atomic.Pointer[program]
)

type programKey struct {
	tokens *Token
	n      int
}

// programFor returns tokens compiled, or nil if they cannot be.
func programFor(tokens []Token) *program {
	key := programKey{tokens: unsafe.SliceData(tokens), n: len(tokens)}
	slot := &programSlots[(uintptr(unsafe.Pointer(key.tokens))>>4)%uintptr(len(programSlots))]
	p := slot.Load()
	if p == nil || p.tokens != key.tokens || p.n != key.n {
		if known, ok := programs.Load(key); ok {
			p = known.(*program)
		} else {
			p = &program{tokens: key.tokens, n: key.n}
			if ops, ok := p.compile(nil, tokens, 0); ok {
				p.ops, p.compiled = ops, true
			}
			programs.Store(key, p)
		}
		slot.Store(p)
	}
	if !p.compiled {
		return nil
	}
	return p
}

// compile appends the operations of tokens; depth counts the fitted
// branches around them.
func (p *program) compile(ops []op, tokens []Token, depth int) ([]op, bool) {
	text := -1 // the last operation, when it is a text of this list
	for i := range tokens {
		t := &tokens[i]
		if t.kind != tText {
			text = -1
		}
		switch t.kind {
		case tText:
			if t.text == "" {
				continue
			}
			if text >= 0 && text == len(ops)-1 {
				ops[text].text += t.text // adjacent texts of one list: no jump lands between them
				continue
			}
			ops = append(ops, op{kind: tText, text: t.text})
			text = len(ops) - 1
		case tKey:
			s, ok := p.slot(t.text)
			if !ok {
				return nil, false
			}
			ops = append(ops, op{kind: tKey, slot: s})
		case tKeyOr:
			s, ok := p.slot(t.text)
			if !ok {
				return nil, false
			}
			absent, ok := p.compile(nil, t.absent, depth)
			if !ok {
				return nil, false
			}
			ops = append(ops, op{kind: tKeyOr, slot: s, skip: len(absent)})
			ops = append(ops, absent...)
		case tIfKey:
			s, ok := p.slot(t.text)
			if !ok {
				return nil, false
			}
			present, ok := p.branch(t.present, t, depth)
			if !ok {
				return nil, false
			}
			absent, ok := p.branch(t.absent, t, depth)
			if !ok {
				return nil, false
			}
			ops = append(ops, op{kind: tIfKey, slot: s, skip: len(present) + 1})
			ops = append(ops, present...)
			ops = append(ops, op{kind: oJump, skip: len(absent)})
			ops = append(ops, absent...)
		default:
			ops = append(ops, op{kind: t.kind, tok: *t})
		}
	}
	return ops, true
}

// branch compiles one branch of an IfKey, each element fitted to the
// IfKey's width if it has one.
func (p *program) branch(tokens []Token, t *Token, depth int) ([]op, bool) {
	if t.width < 1 {
		return p.compile(nil, tokens, depth)
	}
	if depth+1 > maxMarks {
		return nil, false
	}
	var ops []op
	for i := range tokens {
		inner, ok := p.compile(nil, tokens[i:i+1], depth+1)
		if !ok {
			return nil, false
		}
		ops = append(ops, op{kind: oMark})
		ops = append(ops, inner...)
		ops = append(ops, op{kind: oFit, width: t.width, align: t.align})
	}
	return ops, true
}

// slot returns the slot of metadata key k.
func (p *program) slot(k string) (int, bool) {
	for i, have := range p.keys {
		if have == k {
			return i, true
		}
	}
	if len(p.keys) == maxSlots {
		return 0, false
	}
	p.keys = append(p.keys, k)
	return len(p.keys) - 1, true
}

// Key lookup states.
const (
	unknown uint8 = iota
	present
	absent
)

func (p *program) run(f *Lager, dst []byte, e *core.Event) []byte {
	var (
		vals  [maxSlots]slog.Value
		state [maxSlots]uint8
		marks [maxMarks]int
		nm    int
	)
	get := func(s int) (slog.Value, bool) {
		if state[s] == unknown {
			v, ok := lookup(e, p.keys[s])
			vals[s], state[s] = v, absent
			if ok {
				state[s] = present
			}
		}
		return vals[s], state[s] == present
	}
	for pc := 0; pc < len(p.ops); pc++ {
		o := &p.ops[pc]
		switch o.kind {
		case tText:
			dst = append(dst, o.text...)
		case tKey:
			if v, ok := get(o.slot); ok {
				dst = appendValue(dst, v)
			} else {
				dst = append(dst, "Undefined"...)
			}
		case tKeyOr:
			if v, ok := get(o.slot); ok {
				dst = appendValue(dst, v)
				pc += o.skip
			}
		case tIfKey:
			if _, ok := get(o.slot); !ok {
				pc += o.skip
			}
		case oJump:
			pc += o.skip
		case oMark:
			marks[nm] = len(dst)
			nm++
		case oFit:
			nm--
			dst = fit(dst, marks[nm], o.width, o.align)
		case tMessage:
			dst = core.AppendText(dst, e.Message)
		case tDate:
			dst = appendDate(dst, e.Time, f.UTC)
		case tTime:
			dst = appendTime(dst, e.Time, f.UTC)
		case tSeverity:
			dst = append(dst, e.Level.String()...)
		case tAttrs:
			for _, a := range e.Attrs {
				dst = appendLogfmtAttr(dst, "", a)
			}
		default:
			dst = f.token(dst, e, &o.tok, nil)
		}
	}
	return dst
}
