package render

import (
	"bytes"
	"html/template"
	"io"
	"reflect"
	"sync/atomic"
	"text/template/parse"
)

// A theme's templates, compiled from the trees html/template escaped and run without text/template's
// interpreter. text/template looks each field and method up by name and calls each of html/template's
// escapers through reflection, on every action of every page: on a large site that was the greater part
// of rendering a page, more than writing it. A compiled template looks a field up once per type and
// calls the escapers directly (escape.go).
//
// Only what themes commonly write is compiled: text, actions printing a field chain of . or $ through
// html/template's escapers, if/with/range (with else), {{template}}, and the functions and, or, not, eq
// and ne. A template set using anything else (variables, printf, maps, ...) is not compiled, and a value
// a compiled template does not handle (a nil pointer, a map, a Stringer, ...) makes it give up on that
// page: html/template renders the page instead, with the same result or the error it reports. Either
// way the bytes are html/template's; TestCompiledMatchesTemplates and FuzzCompiledMatchesTemplates
// check that.

// program is a template set's "base" template, compiled.
type program struct{ base *compiledTemplate }

type compiledTemplate struct {
	body []node
}

type opcode uint8

const (
	opText  opcode = iota // text
	opPrint               // an action: its value through its escapers
	opIf
	opWith
	opRange
	opCall // {{template "name" pipeline}}
)

type node struct {
	op             opcode
	text           string
	pipe           *pipe // nil in a call without a pipeline
	list, elseList []node
	tmpl           *compiledTemplate
}

type pipe struct {
	expr expr
	esc  []escaper
}

type exprKind uint8

const (
	exprDot   exprKind = iota // . and its fields
	exprRoot                  // $ and its fields
	exprConst                 // a string, number or bool
	exprAnd
	exprOr
	exprNot
	exprEq
	exprNe
)

type expr struct {
	kind   exprKind
	fields []*field
	val    reflect.Value // exprConst's
	args   []expr        // the functions'
}

// compile compiles set's "base" template and every template it calls; nil when one of them uses what is
// not compiled.
func compile(set *template.Template) *program {
	// html/template escapes a template, and those it calls, when it first executes it: running "base" on
	// no data does that (its error, of evaluating fields of nothing, does not matter).
	_ = set.ExecuteTemplate(io.Discard, "base", nil)
	c := &compiler{set: set, done: map[string]*compiledTemplate{}}
	base := c.template("base")
	if c.failed {
		return nil
	}
	return &program{base: base}
}

type compiler struct {
	set    *template.Template
	done   map[string]*compiledTemplate
	failed bool
}

func (c *compiler) template(name string) *compiledTemplate {
	if t, ok := c.done[name]; ok {
		return t // compiled, or being compiled by a template that calls itself
	}
	t := &compiledTemplate{}
	c.done[name] = t
	ht := c.set.Lookup(name)
	if ht == nil || ht.Tree == nil || ht.Tree.Root == nil {
		c.failed = true
		return t
	}
	t.body = c.list(ht.Tree.Root)
	return t
}

func (c *compiler) list(l *parse.ListNode) []node {
	if l == nil {
		return nil
	}
	var out []node
	for _, n := range l.Nodes {
		switch n := n.(type) {
		case *parse.TextNode:
			out = append(out, node{op: opText, text: string(n.Text)})
		case *parse.CommentNode:
		case *parse.ActionNode:
			p := c.pipe(n.Pipe, true)
			if p != nil && len(p.esc) == 0 {
				c.failed = true // html/template escapes every action it prints
			}
			out = append(out, node{op: opPrint, pipe: p})
		case *parse.IfNode:
			out = append(out, c.branch(opIf, &n.BranchNode))
		case *parse.WithNode:
			out = append(out, c.branch(opWith, &n.BranchNode))
		case *parse.RangeNode:
			out = append(out, c.branch(opRange, &n.BranchNode))
		case *parse.TemplateNode:
			call := node{op: opCall, tmpl: c.template(n.Name)}
			if n.Pipe != nil {
				call.pipe = c.pipe(n.Pipe, false)
			}
			out = append(out, call)
		default: // break, continue
			c.failed = true
		}
	}
	return out
}

func (c *compiler) branch(op opcode, b *parse.BranchNode) node {
	return node{op: op, pipe: c.pipe(b.Pipe, false), list: c.list(b.List), elseList: c.list(b.ElseList)}
}

// pipe compiles a pipeline: one command, followed (when escaped, in an action) by html/template's
// escapers.
func (c *compiler) pipe(p *parse.PipeNode, escaped bool) *pipe {
	if p == nil || len(p.Decl) > 0 || p.IsAssign || len(p.Cmds) == 0 {
		c.failed = true
		return nil
	}
	out := &pipe{expr: c.command(p.Cmds[0])}
	for _, cmd := range p.Cmds[1:] {
		id, ok := cmd.Args[0].(*parse.IdentifierNode)
		esc := escapers[ident(id, ok)]
		if !escaped || len(cmd.Args) != 1 || esc == nil {
			c.failed = true
			return out
		}
		out.esc = append(out.esc, esc)
	}
	return out
}

func ident(id *parse.IdentifierNode, ok bool) string {
	if !ok {
		return ""
	}
	return id.Ident
}

var functions = map[string]exprKind{"and": exprAnd, "or": exprOr, "not": exprNot, "eq": exprEq, "ne": exprNe}

func (c *compiler) command(cmd *parse.CommandNode) expr {
	if len(cmd.Args) == 1 {
		return c.operand(cmd.Args[0])
	}
	id, ok := cmd.Args[0].(*parse.IdentifierNode)
	kind, known := functions[ident(id, ok)]
	n := len(cmd.Args) - 1
	if !known || kind == exprNot && n != 1 || kind == exprNe && n != 2 || kind == exprEq && n < 2 {
		c.failed = true
		return expr{}
	}
	e := expr{kind: kind}
	for _, a := range cmd.Args[1:] {
		e.args = append(e.args, c.operand(a))
	}
	return e
}

func (c *compiler) operand(n parse.Node) expr {
	switch n := n.(type) {
	case *parse.DotNode:
		return expr{kind: exprDot}
	case *parse.FieldNode:
		return expr{kind: exprDot, fields: fields(n.Ident)}
	case *parse.VariableNode:
		if n.Ident[0] == "$" {
			return expr{kind: exprRoot, fields: fields(n.Ident[1:])}
		}
	case *parse.StringNode:
		return expr{kind: exprConst, val: reflect.ValueOf(n.Text)}
	case *parse.BoolNode:
		return expr{kind: exprConst, val: reflect.ValueOf(n.True)}
	case *parse.NumberNode:
		if n.IsInt && int64(int(n.Int64)) == n.Int64 {
			return expr{kind: exprConst, val: reflect.ValueOf(int(n.Int64))}
		}
	}
	c.failed = true
	return expr{}
}

func fields(names []string) []*field {
	out := make([]*field, len(names))
	for i, n := range names {
		out[i] = &field{name: n}
	}
	return out
}

// field is one name of a field chain: a method or a field of whatever it is applied to, found once per
// type (the last type seen is kept).
type field struct {
	name string
	last atomic.Pointer[fieldHit]
}

type fieldHit struct {
	typ    reflect.Type
	addr   bool  // looked up on *typ, as text/template does for a value it can take the address of
	method int   // index in the method set, -1 when a struct field
	index  []int // the struct field's; nil when neither (a map, a missing field: not compiled)
}

func (f *field) hit(t reflect.Type, addr bool) *fieldHit {
	if h := f.last.Load(); h != nil && h.typ == t && h.addr == addr {
		return h
	}
	h := &fieldHit{typ: t, addr: addr, method: -1}
	mt := t
	if addr {
		mt = reflect.PointerTo(t)
	}
	if m, ok := mt.MethodByName(f.name); ok {
		// a method of no arguments, returning a value (and maybe an error), as a field is used
		if ft := m.Type; ft.NumIn() == 1 && (ft.NumOut() == 1 || ft.NumOut() == 2 && ft.Out(1) == errorType) {
			h.method = m.Index
		}
	} else if t.Kind() == reflect.Struct {
		if sf, ok := t.FieldByName(f.name); ok && sf.IsExported() {
			h.index = sf.Index
		}
	}
	f.last.Store(h)
	return h
}

var errorType = reflect.TypeFor[error]()

// eval is text/template's evalField for a receiver that is neither nil nor a map.
func (f *field) eval(v reflect.Value) (reflect.Value, bool) {
	if !v.IsValid() {
		return v, false
	}
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return v, false
		}
		v = v.Elem()
	}
	h := f.hit(v.Type(), v.CanAddr())
	switch {
	case h.method >= 0:
		m := v
		if h.addr {
			m = v.Addr()
		}
		out := m.Method(h.method).Call(nil)
		if len(out) == 2 && !out[1].IsNil() {
			return v, false // html/template reports the error
		}
		return out[0], true
	case h.index != nil:
		fv, err := v.FieldByIndexErr(h.index)
		return fv, err == nil
	}
	return v, false
}

// run renders the program with data into w, or reports false (leaving w as it was) when it meets what it
// does not handle.
func (p *program) run(w *bytes.Buffer, data any) bool {
	n := w.Len()
	dot := reflect.ValueOf(data)
	s := &state{w: w}
	if !s.exec(p.base.body, dot, dot) {
		w.Truncate(n)
		return false
	}
	return true
}

type state struct {
	w     *bytes.Buffer
	depth int
}

// maxDepth bounds template calls (text/template's own bound is far higher, and reports an error: a
// page that deep is left to it).
const maxDepth = 1000

func (s *state) exec(list []node, dot, root reflect.Value) bool {
	for i := range list {
		n := &list[i]
		switch n.op {
		case opText:
			s.w.WriteString(n.text)
		case opPrint:
			v, ok := s.eval(&n.pipe.expr, dot, root)
			if !ok || !s.print(v, n.pipe.esc) {
				return false
			}
		case opIf, opWith:
			v, ok := s.eval(&n.pipe.expr, dot, root)
			t, known := truth(v)
			if !ok || !known {
				return false
			}
			switch {
			case t && n.op == opWith:
				ok = s.exec(n.list, v, root)
			case t:
				ok = s.exec(n.list, dot, root)
			default:
				ok = s.exec(n.elseList, dot, root)
			}
			if !ok {
				return false
			}
		case opRange:
			if !s.rangeOver(n, dot, root) {
				return false
			}
		case opCall:
			var v reflect.Value
			if n.pipe != nil {
				var ok bool
				if v, ok = s.eval(&n.pipe.expr, dot, root); !ok {
					return false
				}
			}
			if s.depth++; s.depth > maxDepth || !s.exec(n.tmpl.body, v, v) {
				return false
			}
			s.depth--
		}
	}
	return true
}

// rangeOver is text/template's range over a slice or array (or nothing, which runs the else branch).
func (s *state) rangeOver(n *node, dot, root reflect.Value) bool {
	v, ok := s.eval(&n.pipe.expr, dot, root)
	if !ok {
		return false
	}
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return false
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Slice, reflect.Array:
		if v.Len() > 0 {
			for i := range v.Len() {
				if !s.exec(n.list, v.Index(i), root) {
					return false
				}
			}
			return true
		}
	case reflect.Invalid:
	default:
		return false
	}
	return s.exec(n.elseList, dot, root)
}

// print writes v through the action's escapers.
func (s *state) print(v reflect.Value, esc []escaper) bool {
	if !v.IsValid() {
		return false
	}
	str, ct, ok := stringify(v)
	for _, e := range esc {
		if !ok {
			return false
		}
		str, ok = e(str, ct)
		ct = contentPlain
	}
	if ok {
		s.w.WriteString(str)
	}
	return ok
}

func (s *state) eval(e *expr, dot, root reflect.Value) (reflect.Value, bool) {
	switch e.kind {
	case exprConst:
		return e.val, true
	case exprDot, exprRoot:
		v := dot
		if e.kind == exprRoot {
			v = root
		}
		for _, f := range e.fields {
			var ok bool
			if v, ok = f.eval(v); !ok {
				return v, false
			}
		}
		return v, true
	case exprAnd, exprOr:
		// text/template's and/or: the first argument that is false (and) or true (or), else the last
		var v reflect.Value
		for i := range e.args {
			var ok bool
			if v, ok = s.eval(&e.args[i], dot, root); !ok {
				return v, false
			}
			t, known := truth(v)
			if !known {
				return v, false
			}
			if t == (e.kind == exprOr) {
				return v, true
			}
		}
		return v, true
	case exprNot:
		v, ok := s.eval(&e.args[0], dot, root)
		t, known := truth(v)
		return reflect.ValueOf(!t), ok && known
	case exprEq, exprNe:
		a, ok := s.eval(&e.args[0], dot, root)
		if !ok {
			return a, false
		}
		for i := range e.args[1:] {
			b, ok := s.eval(&e.args[i+1], dot, root)
			if !ok {
				return b, false
			}
			same, known := equal(a, b)
			if !known {
				return b, false
			}
			if same {
				return reflect.ValueOf(e.kind == exprEq), true
			}
		}
		return reflect.ValueOf(e.kind == exprNe), true
	}
	return reflect.Value{}, false
}

// truth is text/template's isTrue, after its indirectInterface; known is false where it reports an error.
func truth(v reflect.Value) (t, known bool) {
	if v.Kind() == reflect.Interface {
		if v.IsNil() {
			return false, true
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Invalid:
		return false, true
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() > 0, true
	case reflect.Bool:
		return v.Bool(), true
	case reflect.Chan, reflect.Func, reflect.Pointer, reflect.UnsafePointer, reflect.Interface:
		return !v.IsNil(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() != 0, true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() != 0, true
	case reflect.Float32, reflect.Float64:
		return v.Float() != 0, true
	case reflect.Complex64, reflect.Complex128:
		return v.Complex() != 0, true
	case reflect.Struct:
		return true, true
	}
	return false, false
}

// equal is text/template's eq of two values of the same basic kind: strings, signed integers or bools
// (other comparisons are left to it).
func equal(a, b reflect.Value) (same, known bool) {
	if a.Kind() == reflect.Interface && !a.IsNil() {
		a = a.Elem()
	}
	if b.Kind() == reflect.Interface && !b.IsNil() {
		b = b.Elem()
	}
	switch {
	case a.Kind() == reflect.String && b.Kind() == reflect.String:
		return a.String() == b.String(), true
	case a.Kind() == reflect.Bool && b.Kind() == reflect.Bool:
		return a.Bool() == b.Bool(), true
	case a.CanInt() && b.CanInt():
		return a.Int() == b.Int(), true
	}
	return false, false
}
