package tipbox

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// shellCommands are command names that start a shell line but rarely an English sentence; words that
// also open sentences ("make", "find", "go", "hive") are left out on purpose.
var shellCommands = map[string]bool{
	"apt": true, "apt-get": true, "brew": true, "cargo": true, "cd": true, "chmod": true, "chown": true,
	"curl": true, "docker": true, "echo": true, "export": true, "gcloud": true, "git": true, "gradle": true,
	"grep": true, "helm": true, "java": true, "javac": true, "kubectl": true, "ls": true, "mkdir": true,
	"mv": true, "mvn": true, "npm": true, "npx": true, "pip": true, "pip3": true,
	"pnpm": true, "python": true, "python3": true, "rm": true, "rsync": true, "scp": true, "sed": true,
	"ssh": true, "sudo": true, "systemctl": true, "tar": true, "terraform": true, "unzip": true,
	"wget": true, "yarn": true, "yum": true, "awk": true, "cp": true,
}

// sqlStatements start a SQL statement; with a second upper-case clause keyword they mark SQL code.
var sqlStatements = map[string]bool{
	"SELECT": true, "INSERT": true, "UPDATE": true, "DELETE": true, "CREATE": true, "DROP": true,
	"ALTER": true, "WITH": true, "COPY": true, "UNLOAD": true, "GRANT": true, "MERGE": true,
}

var sqlClauses = map[string]bool{
	"FROM": true, "WHERE": true, "INTO": true, "VALUES": true, "SET": true, "TABLE": true, "JOIN": true,
	"GROUP": true, "ORDER": true, "LIMIT": true, "AS": true, "ON": true, "TO": true, "IAM_ROLE": true,
}

// codeMarks are substrings that do not occur in prose but do in code, URLs and commands.
var codeMarks = []string{"://", "::", "<=", ">=", "{", "}", "==", "!=", "=>", "->", ":=", "&&", "||", "$(", "</", "/>", "#!", "();"}

// isProse reports whether the content of a code span reads as a sentence of at least minWords words
// rather than as code: `too large a btach size can cause timeouts!` is prose, `aws s3 cp s3://a/b .`
// is not. A word is a run of letters (apostrophes and inner hyphens allowed) with surrounding
// punctuation stripped; tokens with digits, underscores, dots or slashes inside count against prose,
// and lone symbols ("-", "/", "=") are neutral. Prose words must be at least three quarters of the
// tokens, and at least two of them must start in lower case: a sentence has function words, while
// Title Case values such as `US East (N. Virginia)` or `Red Hat Enterprise Linux 7` are names.
func isProse(s string, minWords int) bool {
	s = strings.TrimSpace(s)
	if s == "" || !utf8.ValidString(s) {
		return false
	}
	for _, m := range codeMarks {
		if strings.Contains(s, m) {
			return false
		}
	}
	if strings.HasPrefix(s, "$ ") || strings.HasPrefix(s, "# ") || strings.HasPrefix(s, "./") ||
		strings.HasPrefix(s, "~/") || strings.HasPrefix(s, "> ") {
		return false
	}
	tokens := strings.Fields(s)
	if shellCommands[tokens[0]] && len(tokens) > 1 {
		return false
	}
	if sqlStatements[tokens[0]] {
		for _, t := range tokens[1:] {
			if sqlClauses[t] {
				return false
			}
		}
	}
	prose, other, lower := 0, 0, 0
	classes := make([]tokenClass, len(tokens))
	for i, t := range tokens {
		classes[i] = classifyToken(t)
		switch classes[i] {
		case tokenWord:
			prose++
			if unicode.IsLower(firstLetter(t)) {
				lower++
			}
		case tokenCode:
			return false
		case tokenOther:
			other++
		}
	}
	for i, t := range tokens {
		if !arithmetic[t] {
			continue
		}
		if i > 0 && isOperand(tokens[i-1]) || i+1 < len(tokens) && isOperand(tokens[i+1]) {
			return false
		}
	}
	return prose >= minWords && lower >= 2 && prose*4 >= 3*(prose+other)
}

// arithmetic operators written as tokens of their own; next to a number or a one-letter variable
// they make a formula (`(x - 1) / n`), next to words they are prose punctuation (`Ephemeral - HDFS`).
var arithmetic = map[string]bool{"+": true, "-": true, "*": true, "/": true, "=": true, "<": true, ">": true, "%": true}

func isOperand(t string) bool {
	core := strings.Trim(t, "()[],.;:")
	if core == "" {
		return false
	}
	if len(core) == 1 && isASCIILetter(core[0]) {
		return true
	}
	for _, r := range core {
		if !unicode.IsDigit(r) && r != '.' {
			return false
		}
	}
	return true
}

func firstLetter(s string) rune {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return r
		}
	}
	return 0
}

type tokenClass int

const (
	tokenSymbol tokenClass = iota // punctuation only: neutral
	tokenWord                     // a prose word
	tokenOther                    // numbers, versions, paths, identifiers: not prose
	tokenCode                     // unmistakable code: flags, calls, assignments, camelCase
)

func classifyToken(t string) tokenClass {
	if len(t) > 1 && t[0] == '-' && (t[1] == '-' || isASCIILetter(t[1])) {
		return tokenCode // command-line flag
	}
	core := strings.TrimLeftFunc(t, func(r rune) bool { return strings.ContainsRune("(\"'“‘[*_", r) })
	core = strings.TrimRightFunc(core, func(r rune) bool { return strings.ContainsRune(".,;:!?)\"'”’…]*_", r) })
	if core == "" {
		return tokenSymbol
	}
	hasLetter, hasOther := false, false
	var prev rune
	for i, r := range core {
		switch {
		case unicode.IsLetter(r):
			if i > 0 && unicode.IsUpper(r) && unicode.IsLower(prev) && !unicode.IsUpper(firstRune(core)) {
				return tokenCode // camelCase identifier; PascalCase (MapReduce) is a product name
			}
			hasLetter = true
		case (r == '\'' || r == '’' || r == '-') && i > 0 && unicode.IsLetter(prev):
		case r == '(' || r == '=' || r == '[':
			if i > 0 && (unicode.IsLetter(prev) || unicode.IsDigit(prev)) {
				return tokenCode // call, assignment or index: f(x), a=b, a[0]
			}
			hasOther = true
		default:
			hasOther = true
		}
		prev = r
	}
	switch {
	case hasLetter && !hasOther:
		return tokenWord
	case !hasLetter && !containsAlnum(core):
		return tokenSymbol
	default:
		return tokenOther
	}
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func containsAlnum(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}
