package render

import (
	"bytes"
	"cmp"
	"html/template"
	"io"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"text/template/parse"
)

// A theme's templates, compiled from the trees html/template escaped and run without text/template's
// interpreter. text/template looks each field and method up by name and calls each of html/template's
// escapers through reflection, on every action of every page: on a large site that was the greater part
// of rendering a page, more than writing it. A compiled template looks a field up once per type and
// calls the escapers directly (escape.go).
//
// Only what themes commonly write is compiled: text, actions printing a field chain of ., $ or a variable
// through html/template's escapers, if/with/range (with else, and the variables they declare),
// {{template}}, and the functions and, or, not, eq, ne, lt, le, gt, ge and len. A template set using
// anything else (printf, index, assignments, ...) is not compiled, and a value
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
	vars           int // variables the if, with or range declares: 0, 1 or (range) 2
}

type pipe struct {
	expr expr
	esc  []escaper
}

type exprKind uint8

const (
	exprDot   exprKind = iota // . and its fields
	exprRoot                  // $ and its fields
	exprVar                   // a declared variable and its fields
	exprConst                 // a string, number or bool
	exprAnd
	exprOr
	exprNot
	exprEq
	exprNe
	exprLt
	exprLe
	exprGt
	exprGe
	exprLen
)

type expr struct {
	kind   exprKind
	fields []*field
	slot   int           // exprVar's: its place among the variables of the template being run
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

// compileSets compiles each kind's set that can be. None can when funcs, the functions the sets were
// parsed with, replaces a function or an escaper the compiled templates call in place (text/template
// calls a template's own function before a builtin of the same name).
func compileSets(sets map[string]*template.Template, funcs template.FuncMap) map[string]*program {
	out := map[string]*program{}
	for name := range funcs {
		if _, ok := functions[name]; ok || escapers[name] != nil {
			return out
		}
	}
	for k, set := range sets {
		if p := compile(set); p != nil {
			out[k] = p
		}
	}
	return out
}

type compiler struct {
	set    *template.Template
	done   map[string]*compiledTemplate
	failed bool
	// vars are the variables in scope, innermost last (a template starts with none but $); hidden are
	// names that must not be used where they are (a range's variables in its else branch, which
	// text/template sets to the ranged value).
	vars, hidden []string
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
	vars, hidden := c.vars, c.hidden
	c.vars, c.hidden = nil, nil // no template sees its caller's variables
	t.body = c.list(ht.Tree.Root)
	c.vars, c.hidden = vars, hidden
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
	n := node{op: op}
	p := b.Pipe
	if p != nil && !p.IsAssign && (len(p.Decl) == 1 || len(p.Decl) == 2 && op == opRange) {
		// {{range $i, $x := ...}}, {{with $x := ...}}: the pipeline is compiled without them
		n.vars = len(p.Decl)
		bare := *p
		bare.Decl = nil
		p = &bare
	}
	n.pipe = c.pipe(p, false)
	names := make([]string, n.vars)
	for i, d := range b.Pipe.Decl[:n.vars] {
		names[i] = d.Ident[0]
	}
	outer := len(c.vars)
	c.vars = append(c.vars, names...)
	n.list = c.list(b.List)
	if op == opRange {
		c.vars = c.vars[:outer]
		c.hidden = append(c.hidden, names...)
		n.elseList = c.list(b.ElseList)
		c.hidden = c.hidden[:len(c.hidden)-len(names)]
	} else {
		n.elseList = c.list(b.ElseList)
		c.vars = c.vars[:outer]
	}
	return n
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

var functions = map[string]exprKind{"and": exprAnd, "or": exprOr, "not": exprNot, "eq": exprEq, "ne": exprNe,
	"lt": exprLt, "le": exprLe, "gt": exprGt, "ge": exprGe, "len": exprLen}

func (c *compiler) command(cmd *parse.CommandNode) expr {
	if len(cmd.Args) == 1 {
		return c.operand(cmd.Args[0])
	}
	id, ok := cmd.Args[0].(*parse.IdentifierNode)
	kind, known := functions[ident(id, ok)]
	n := len(cmd.Args) - 1
	unary, binary := kind == exprNot || kind == exprLen, kind == exprNe || kind >= exprLt && kind <= exprGe
	if !known || unary && n != 1 || binary && n != 2 || kind == exprEq && n < 2 {
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
		if slot := c.variable(n.Ident[0]); slot >= 0 {
			return expr{kind: exprVar, slot: slot, fields: fields(n.Ident[1:])}
		}
	case *parse.PipeNode: // (a pipeline) as an argument
		if len(n.Decl) == 0 && len(n.Cmds) == 1 {
			return c.command(n.Cmds[0])
		}
	case *parse.StringNode:
		return expr{kind: exprConst, val: reflect.ValueOf(n.Text)}
	case *parse.BoolNode:
		return expr{kind: exprConst, val: reflect.ValueOf(n.True)}
	case *parse.NumberNode:
		// text/template's idealConstant: an int unless written as a float (1.0, 1e3), whole or not
		float := n.IsFloat && strings.ContainsAny(n.Text, ".eEpP") && n.Text[0] != '\'' &&
			!(len(n.Text) > 2 && n.Text[0] == '0' && (n.Text[1] == 'x' || n.Text[1] == 'X') && !strings.ContainsAny(n.Text, "pP"))
		if n.IsInt && !n.IsComplex && !float && int64(int(n.Int64)) == n.Int64 {
			return expr{kind: exprConst, val: reflect.ValueOf(int(n.Int64))}
		}
	}
	c.failed = true
	return expr{}
}

// variable is the slot of the variable name in scope, or -1.
func (c *compiler) variable(name string) int {
	if slices.Contains(c.hidden, name) {
		return -1
	}
	for i := len(c.vars) - 1; i >= 0; i-- {
		if c.vars[i] == name {
			return i
		}
	}
	return -1
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
	v, ok := indirect(v)
	if !ok {
		return v, false
	}
	h := f.hit(v.Type(), v.CanAddr())
	switch {
	case h.method >= 0:
		m := v
		if h.addr {
			m = v.Addr()
		}
		return callMethod(m.Method(h.method))
	case h.index != nil:
		fv, err := v.FieldByIndexErr(h.index)
		return fv, err == nil
	}
	return v, false
}

// indirect goes through pointers and interfaces to the value they hold; false when it meets nil (or v
// is invalid), where text/template reports an error.
func indirect(v reflect.Value) (reflect.Value, bool) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return v, false
		}
		v = v.Elem()
	}
	return v, v.IsValid()
}

// callMethod calls a method of no arguments; false when it returns an error or panics, which
// html/template reports (text/template's safeCall recovers the panic).
func callMethod(m reflect.Value) (v reflect.Value, ok bool) {
	defer func() {
		if recover() != nil {
			v, ok = reflect.Value{}, false
		}
	}()
	out := m.Call(nil)
	if len(out) == 2 && !out[1].IsNil() {
		return out[0], false // html/template reports the error
	}
	return out[0], true
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
	vars  []reflect.Value // the variables of the template being run, by slot
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
			if n.vars > 0 {
				s.vars = append(s.vars, unwrap(v))
			}
			switch {
			case t && n.op == opWith:
				ok = s.exec(n.list, v, root)
			case t:
				ok = s.exec(n.list, dot, root)
			default:
				ok = s.exec(n.elseList, dot, root)
			}
			if n.vars > 0 {
				s.vars = s.vars[:len(s.vars)-1]
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
			vars := s.vars
			s.vars = s.vars[len(s.vars):] // a template sees none of its caller's variables
			if s.depth++; s.depth > maxDepth || !s.exec(n.tmpl.body, v, v) {
				return false
			}
			s.depth--
			s.vars = vars
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
	if v.IsValid() {
		if v, ok = indirect(v); !ok {
			return false
		}
	}
	switch v.Kind() {
	case reflect.Slice, reflect.Array:
		if v.Len() > 0 {
			for i := range v.Len() {
				elem := v.Index(i)
				switch n.vars { // text/template's: {{range $x := }} the element, {{range $i, $x := }} both
				case 1:
					s.vars = append(s.vars, elem)
				case 2:
					s.vars = append(s.vars, reflect.ValueOf(i), elem)
				}
				ok := s.exec(n.list, elem, root)
				s.vars = s.vars[:len(s.vars)-n.vars]
				if !ok {
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
	case exprDot, exprRoot, exprVar:
		v := dot
		switch e.kind {
		case exprRoot:
			v = root
		case exprVar:
			v = s.vars[e.slot]
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
		// text/template evaluates every argument before eq compares any: one that fails is its error
		// even when an earlier one matched
		var held [3]reflect.Value
		bs := held[:0]
		for i := range e.args[1:] {
			b, ok := s.eval(&e.args[i+1], dot, root)
			if !ok {
				return b, false
			}
			bs = append(bs, b)
		}
		for _, b := range bs {
			same, known := equal(a, b)
			if !known {
				return b, false
			}
			if same {
				return reflect.ValueOf(e.kind == exprEq), true
			}
		}
		return reflect.ValueOf(e.kind == exprNe), true
	case exprLt, exprLe, exprGt, exprGe:
		a, ok := s.eval(&e.args[0], dot, root)
		if !ok {
			return a, false
		}
		b, ok := s.eval(&e.args[1], dot, root)
		if !ok {
			return b, false
		}
		c, known := compare(a, b)
		var r bool
		switch e.kind {
		case exprLt:
			r = c < 0
		case exprLe:
			r = c <= 0
		case exprGt:
			r = c > 0
		case exprGe:
			r = c >= 0
		}
		return reflect.ValueOf(r), known
	case exprLen:
		v, ok := s.eval(&e.args[0], dot, root)
		if ok {
			v, ok = indirect(v)
		}
		switch v.Kind() {
		case reflect.Array, reflect.Chan, reflect.Map, reflect.Slice, reflect.String:
			return reflect.ValueOf(v.Len()), ok
		}
		return v, false
	}
	return reflect.Value{}, false
}

// unwrap is text/template's step after each command of a pipeline: a value of type any is the value
// it holds.
func unwrap(v reflect.Value) reflect.Value {
	if v.Kind() == reflect.Interface && v.Type().NumMethod() == 0 {
		return v.Elem()
	}
	return v
}

// compare is text/template's lt (and so le, gt, ge) for two strings or two signed integers: -1, 0 or 1;
// known is false for other values (left to it).
func compare(a, b reflect.Value) (c int, known bool) {
	a, b = unwrap(a), unwrap(b)
	switch {
	case a.Kind() == reflect.String && b.Kind() == reflect.String:
		return strings.Compare(a.String(), b.String()), true
	case a.CanInt() && b.CanInt():
		return cmp.Compare(a.Int(), b.Int()), true
	}
	return 0, false
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
