package formatter

import (
	"log/slog"
	"slices"
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
//
// What a run of top-level tokens writes from the call site alone (lager's
// "pid@module:function:line " for an event of no actor) is written once
// per call site and then copied from a cache (site), for every event with
// no attribute named like the run's keys: about 40 % of the file format's
// cost.

// Operations that tokens do not have.
const (
	oJump    tokenKind = 100 + iota // skip the next skip operations
	oMark                           // remember where an element of a fitted branch starts
	oFit                            // fit what was written since the mark to width
	oSite                           // a call-site run starts: write it from its cache (site) and skip it, or run it
	oSiteEnd                        // a call-site run ends: cache what it wrote
)

// maxSlots and maxMarks bound what a program holds on the stack; a format
// needing more is not compiled.
const (
	maxSlots = 8
	maxMarks = 4
)

type op struct {
	kind  tokenKind
	slot  int    // tKey, tKeyOr, tIfKey; the run's index in sites for oSite
	skip  int    // tKeyOr, tIfKey, oJump, oSite
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
	sites    []*site
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
			if ops, ok := p.compileTop(tokens); ok {
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

// compileTop compiles a whole format: each token in turn, its operations
// a block that no jump leaves, and each run of blocks that write nothing
// but text and call-site keys (siteKeys) between an oSite and an
// oSiteEnd, so that it is written once per call site.
func (p *program) compileTop(tokens []Token) ([]op, bool) {
	var ops []op
	run := -1 // where the open run of call-site blocks starts in ops
	keyed := false
	end := func(at int) { // the run ends where ops[at] starts
		if run >= 0 && keyed {
			n := at - run
			p.sites = append(p.sites, p.newSite(ops[run:at]))
			ops = slices.Insert(ops, at, op{kind: oSiteEnd})
			ops = slices.Insert(ops, run, op{kind: oSite, slot: len(p.sites) - 1, skip: n + 1})
		}
		run, keyed = -1, false
	}
	for i := 0; i < len(tokens); i++ {
		t := tokens[i]
		for t.kind == tText && i+1 < len(tokens) && tokens[i+1].kind == tText { // texts side by side: one
			t.text += tokens[i+1].text
			i++
		}
		start := len(ops)
		var ok bool
		if ops, ok = p.compile(ops, []Token{t}, 0); !ok {
			return nil, false
		}
		site, key := p.siteOnly(ops[start:])
		switch {
		case !site:
			end(start)
		case run < 0:
			run = start
		}
		keyed = keyed || site && key
	}
	end(len(ops))
	return ops, true
}

// siteOnly says whether ops write nothing but text and the values of
// call-site keys, and whether they look up any key.
func (p *program) siteOnly(ops []op) (site, keyed bool) {
	for _, o := range ops {
		switch o.kind {
		case tText, oJump, oMark, oFit:
		case tKey, tKeyOr, tIfKey:
			if !slices.Contains(siteKeys[:], p.keys[o.slot]) {
				return false, keyed
			}
			keyed = true
		default:
			return false, keyed
		}
	}
	return true, keyed
}

// compile appends the operations of tokens; depth counts the fitted
// branches around them.
func (p *program) compile(ops []op, tokens []Token, depth int) ([]op, bool) {
	text := -1 // the last operation, when it is a text of this list
	for i := range tokens {
		t := &tokens[i]
		if t.kind != tText && t.kind != tFill {
			text = -1
		}
		switch t.kind {
		case tText, tFill:
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

// branch compiles one branch of an IfKey, each element that is padded
// fitted to the IfKey's width if it has one.
func (p *program) branch(tokens []Token, t *Token, depth int) ([]op, bool) {
	if t.width < 1 {
		return p.compile(nil, tokens, depth)
	}
	var ops []op
	for i := range tokens {
		if !tokens[i].padded() {
			inner, ok := p.compile(nil, tokens[i:i+1], depth)
			if !ok {
				return nil, false
			}
			ops = append(ops, inner...)
			continue
		}
		if depth+1 > maxMarks {
			return nil, false
		}
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
	var filling *site // the call-site run being written, to cache
	fillFrom := 0
	for pc := 0; pc < len(p.ops); pc++ {
		o := &p.ops[pc]
		switch o.kind {
		case oSite:
			if s := p.sites[o.slot]; s.fits(e) {
				if text, ok := s.load(e.PC); ok {
					dst = append(dst, text...)
					pc += o.skip
					continue
				}
				filling, fillFrom = s, len(dst)
			}
		case oSiteEnd:
			if filling != nil {
				filling.store(e.PC, dst[fillFrom:])
				filling = nil
			}
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
		case tColor:
			dst = append(dst, f.Colors.For(e.Level)...)
		case tAttrs:
			dst = appendLogfmtAttrs(dst, e.Attrs)
		default:
			dst = f.token(dst, e, &o.tok, nil)
		}
	}
	return dst
}

// siteKeys are the keys whose values, for an event of no actor, follow
// from its call site (Event.PC) alone, unless an attribute of the event
// has the key's name.
var siteKeys = [...]string{"pid", "module", "function", "file", "line"}

// A site caches, by call site, what a run of a program's operations that
// look up nothing but siteKeys writes: the call site's module, function
// and line in lager's file format, looked up and written once per call
// site instead of once per event.
type site struct {
	keys  []string // the keys the run looks up
	lens  uint64   // bit n set for each key n bytes long
	pid   bool     // "pid" is one of them: only events of no actor fit
	slots [64]atomic.Pointer[siteText]
	all   sync.Map // PC → *siteText
}

// siteText is what a run wrote for the events of one call site.
type siteText struct {
	pc   uintptr
	text string
}

func (p *program) newSite(ops []op) *site {
	s := &site{}
	for _, o := range ops {
		switch o.kind {
		case tKey, tKeyOr, tIfKey:
			if k := p.keys[o.slot]; !slices.Contains(s.keys, k) {
				s.keys = append(s.keys, k)
				s.lens |= 1 << len(k)
				s.pid = s.pid || k == "pid"
			}
		}
	}
	return s
}

// fits says whether the run writes for e what it writes for every event
// of e's call site: e has no actor (when the run looks "pid" up) and no
// attribute named like one of the run's keys.
func (s *site) fits(e *core.Event) bool {
	if s.pid && e.Actor != nil {
		return false
	}
	return !s.names(e.Meta) && !s.names(e.Attrs)
}

// names says whether one of attrs has the name of one of the run's keys.
func (s *site) names(attrs []slog.Attr) bool {
	for i := range attrs {
		if k := attrs[i].Key; len(k) < 64 && s.lens&(1<<len(k)) != 0 && slices.Contains(s.keys, k) {
			return true
		}
	}
	return false
}

func (s *site) load(pc uintptr) (string, bool) {
	slot := &s.slots[(pc>>2)%uintptr(len(s.slots))]
	if t := slot.Load(); t != nil && t.pc == pc {
		return t.text, true
	}
	if t, ok := s.all.Load(pc); ok {
		slot.Store(t.(*siteText))
		return t.(*siteText).text, true
	}
	return "", false
}

func (s *site) store(pc uintptr, text []byte) {
	t, _ := s.all.LoadOrStore(pc, &siteText{pc: pc, text: string(text)})
	s.slots[(pc>>2)%uintptr(len(s.slots))].Store(t.(*siteText))
}
