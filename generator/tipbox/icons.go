package tipbox

import "strings"

// builtinIcons are the inner elements of 24×24 stroke icons drawn for Lectern (no icon font, no
// external file): each kind's icon differs in shape, not only colour, so boxes stay distinguishable in
// black-and-white print and for colour-blind readers.
var builtinIcons = map[string]string{
	"note":      `<path d="M4 20h4L19 9l-4-4L4 16z"/><path d="m13 7 4 4"/>`,
	"tip":       `<path d="M9 18h6M10 22h4"/><path d="M12 2a7 7 0 0 0-4 12.7V16h8v-1.3A7 7 0 0 0 12 2z"/>`,
	"important": `<path d="M4 4h16v12H9l-5 4z"/><path d="M12 7v4M12 14h.01"/>`,
	"warning":   `<path d="M12 3 2 21h20z"/><path d="M12 10v4M12 17h.01"/>`,
	"caution":   `<path d="M8 2h8l6 6v8l-6 6H8l-6-6V8z"/><path d="M12 7v6M12 16h.01"/>`,
	"abstract":  `<rect x="5" y="4" width="14" height="18" rx="2"/><path d="M9 2h6v4H9zM9 11h6M9 15h6"/>`,
	"info":      `<circle cx="12" cy="12" r="10"/><path d="M12 16v-5M12 8h.01"/>`,
	"todo":      `<circle cx="12" cy="12" r="10"/><path d="m8 12 3 3 5-6"/>`,
	"success":   `<path d="m4 12 5 5L20 6"/>`,
	"question":  `<circle cx="12" cy="12" r="10"/><path d="M9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.7M12 17h.01"/>`,
	"failure":   `<path d="M6 6l12 12M18 6 6 18"/>`,
	"danger":    `<path d="M13 2 4 14h7l-1 8 9-12h-7z"/>`,
	"bug":       `<rect x="7" y="7" width="10" height="14" rx="5"/><path d="M12 7V4M7 12H3M21 12h-4M7 17l-3 2M17 17l3 2M7 9 4 7M17 9l3-2"/>`,
	"example":   `<path d="M8 6h13M8 12h13M8 18h13M3 6h.01M3 12h.01M3 18h.01"/>`,
	"quote":     `<path d="M7 7H4v6h3l-2 4M17 7h-3v6h3l-2 4"/>`,
	"star":      `<path d="m12 3 2.8 5.7 6.2.9-4.5 4.4 1.1 6.2L12 17.3 6.4 20.2l1.1-6.2L3 9.6l6.2-.9z"/>`,
	"flag":      `<path d="M5 22V4M5 4h12l-2 4 2 4H5"/>`,
	"book":      `<path d="M4 4h6a2 2 0 0 1 2 2v14a2 2 0 0 0-2-2H4zM20 4h-6a2 2 0 0 0-2 2v14a2 2 0 0 1 2-2h6z"/>`,
	"clock":     `<circle cx="12" cy="12" r="10"/><path d="M12 6v6l4 2"/>`,
	"lock":      `<rect x="4" y="11" width="16" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/>`,
	"key":       `<circle cx="7.5" cy="15.5" r="4.5"/><path d="m10.7 12.3 9.3-9.3M16 7l3 3M14 9l2 2"/>`,
	"dollar":    `<path d="M12 2v20M17 6H9.5a3.5 3.5 0 0 0 0 7h5a3.5 3.5 0 0 1 0 7H6"/>`,
	"flame":     `<path d="M12 22a7 7 0 0 0 7-7c0-4-3-6-4-9-1 3-3 4-3 4s-1-3-3-5c0 4-4 6-4 10a7 7 0 0 0 7 7z"/>`,
	"pin":       `<path d="M12 22s7-6.5 7-12a7 7 0 0 0-14 0c0 5.5 7 12 7 12z"/><circle cx="12" cy="10" r="2.5"/>`,
	"link":      `<path d="M10 14a5 5 0 0 0 7 0l3-3a5 5 0 0 0-7-7l-1 1M14 10a5 5 0 0 0-7 0l-3 3a5 5 0 0 0 7 7l1-1"/>`,
	"eye":       `<path d="M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z"/><circle cx="12" cy="12" r="3"/>`,
}

// iconAliases are further names for built-in icons, so lectern.yaml can say what the icon shows.
var iconAliases = map[string]string{
	"pencil": "note", "lightbulb": "tip", "bulb": "tip", "alert": "warning", "triangle": "warning",
	"octagon": "caution", "stop": "caution", "clipboard": "abstract", "check": "success",
	"check-circle": "todo", "help": "question", "x": "failure", "cross": "failure", "zap": "danger",
	"bolt": "danger", "list": "example", "cost": "dollar", "money": "dollar", "security": "lock",
	"time": "clock", "fire": "flame", "location": "pin", "exam": "star",
}

// knownIcon reports whether name (any case) is a built-in icon or one of its aliases.
func knownIcon(name string) bool {
	name = strings.ToLower(strings.TrimSpace(name))
	_, ok := builtinIcons[name]
	_, alias := iconAliases[name]
	return ok || alias
}

// iconSVG turns a Kind.Icon (inline SVG markup from lectern.yaml, or a built-in icon name) into the
// markup written into the title row; unknown names get the note icon.
func iconSVG(icon string) string {
	icon = strings.TrimSpace(icon)
	if strings.HasPrefix(icon, "<svg") {
		return icon
	}
	name := strings.ToLower(icon)
	if a, ok := iconAliases[name]; ok {
		name = a
	}
	inner, ok := builtinIcons[name]
	if !ok {
		inner = builtinIcons["note"]
	}
	return `<svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" focusable="false">` + inner + `</svg>`
}
