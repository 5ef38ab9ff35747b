// Package config reads lectern.yaml, the optional site configuration at the site root, into a Config.
//
// It is the first stage of a build: every later stage receives the settings it needs as plain values from
// here. An unknown key or a value of the wrong type is an error naming the file and line, because a typo in
// a setting that is silently ignored costs a user far more time than a failed build.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/lectern/lectern/generator/diag"
	"go.yaml.in/yaml/v3"
)

// FileName is the name of the configuration file at the site root.
const FileName = "lectern.yaml"

// Config is the whole site configuration. Zero values mean "use the default"; Defaults fills them.
type Config struct {
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
	BaseURL     string `yaml:"base_url"`
	Language    string `yaml:"language"`
	// RawHTML keeps HTML written in notes (the notes are the author's own); false escapes it.
	RawHTML *bool `yaml:"raw_html"`
	// CNAME is a custom domain for GitHub Pages; when set, the build writes a CNAME file.
	CNAME string `yaml:"cname"`
	// Catalog is the service catalog file, relative to the site root.
	Catalog string `yaml:"catalog"`

	TipBoxes   TipBoxes   `yaml:"tipboxes"`
	CrossLinks CrossLinks `yaml:"crosslinks"`
	Cheatsheet Cheatsheet `yaml:"cheatsheet"`
	Nav        Nav        `yaml:"nav"`

	// File is the path the configuration was read from ("" when there was none).
	File string `yaml:"-"`
	text []byte // the file as read, for Line
}

// Line is the line of the configuration file that sets key, for errors found by later stages; 0 when
// no line does.
func (c Config) Line(key string) int { return lineOfKey(c.text, key) }

// TipBoxes configures the tip-box extension.
type TipBoxes struct {
	// QuoteKind is the kind plain blockquotes become: a tip-box kind, "quote" or "none".
	QuoteKind string `yaml:"quote_kind"`
	// KeyPoints turns backticked whole sentences into highlighted key points.
	KeyPoints *bool `yaml:"key_points"`
	// KeyPointMinWords is the fewest words a backticked sentence needs to be a key point.
	KeyPointMinWords int `yaml:"key_point_min_words"`
	// Custom declares extra callout kinds.
	Custom []CustomKind `yaml:"custom"`
}

// CustomKind is a callout kind declared by the user.
type CustomKind struct {
	Name   string `yaml:"name"`
	Title  string `yaml:"title"`
	Icon   string `yaml:"icon"`
	Colour string `yaml:"colour"`
}

// CrossLinks configures service cross-linking.
type CrossLinks struct {
	// Enabled turns service linking on (default true when a catalog exists).
	Enabled *bool `yaml:"enabled"`
	// Mode is first-per-section, first-per-page or all.
	Mode string `yaml:"mode"`
	// LowercaseNames lets a lowercase name ("lambda") in running text match a service; unset, the
	// catalog's own lowercase-names key decides.
	LowercaseNames *bool `yaml:"lowercase_names"`
}

// Cheatsheet configures the printable cheat sheet.
type Cheatsheet struct {
	Enabled *bool `yaml:"enabled"`
	// Content is "all" (headings, bullets, tip boxes, key points) or "tips" (tip boxes and key points
	// only); unset, it is "all" up to 300 notes and "tips" above.
	Content string `yaml:"content"`
	// Kinds limits which tip-box kinds are included (empty: all).
	Kinds []string `yaml:"kinds"`
	// Include limits the notes to these paths or folders under content/ (empty: all).
	Include []string `yaml:"include"`
	// Paper is A4 or Letter.
	Paper string `yaml:"paper"`
	// Orientation is landscape or portrait.
	Orientation string `yaml:"orientation"`
	// Columns is the number of columns on paper.
	Columns int `yaml:"columns"`
	// MaxCodeLines truncates longer code blocks.
	MaxCodeLines int `yaml:"max_code_lines"`
}

// Nav configures the navigation sidebar.
type Nav struct {
	// InlineMax is the largest number of pages for which every page is listed in every page's navigation;
	// larger sites list the top level, the current branch and nearby siblings, so output stays linear.
	InlineMax int `yaml:"inline_max"`
}

// Defaults returns the configuration used when lectern.yaml is absent.
func Defaults() Config {
	var c Config
	c.fill()
	return c
}

func (c *Config) fill() {
	if c.Title == "" {
		c.Title = "Notes"
	}
	if c.Language == "" {
		c.Language = "en"
	}
	if c.RawHTML == nil {
		c.RawHTML = boolPtr(true)
	}
	if c.Catalog == "" {
		c.Catalog = "content/_services.yaml"
	}
	if c.TipBoxes.QuoteKind == "" {
		c.TipBoxes.QuoteKind = "tip"
	}
	if c.TipBoxes.KeyPoints == nil {
		c.TipBoxes.KeyPoints = boolPtr(true)
	}
	if c.TipBoxes.KeyPointMinWords == 0 {
		c.TipBoxes.KeyPointMinWords = 4
	}
	if c.CrossLinks.Enabled == nil {
		c.CrossLinks.Enabled = boolPtr(true)
	}
	if c.CrossLinks.Mode == "" {
		c.CrossLinks.Mode = "first-per-section"
	}
	if c.Cheatsheet.Enabled == nil {
		c.Cheatsheet.Enabled = boolPtr(true)
	}
	if c.Cheatsheet.Paper == "" {
		c.Cheatsheet.Paper = "A4"
	}
	if c.Cheatsheet.Orientation == "" {
		c.Cheatsheet.Orientation = "landscape"
	}
	if c.Cheatsheet.Columns == 0 {
		c.Cheatsheet.Columns = 3
	}
	if c.Cheatsheet.MaxCodeLines == 0 {
		c.Cheatsheet.MaxCodeLines = 8
	}
	if c.Nav.InlineMax == 0 {
		c.Nav.InlineMax = 300
	}
}

func boolPtr(b bool) *bool { return &b }

// Load reads the configuration at path. A missing file is not an error: it yields the defaults.
func Load(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Defaults(), nil
	}
	if err != nil {
		return Config{}, diag.At(path, 0, "cannot read configuration: %v", err)
	}
	return Parse(path, data)
}

// Parse decodes configuration text; file is used in error messages only.
func Parse(file string, data []byte) (Config, error) {
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, errPlainEOF) && err.Error() != "EOF" {
		return Config{}, YAMLError(file, 0, err)
	}
	c.File = file
	c.text = data
	if err := c.validate(file, data); err != nil {
		return Config{}, err
	}
	c.fill()
	return c, nil
}

var errPlainEOF = errors.New("EOF")

func (c *Config) validate(file string, data []byte) error {
	check := func(key, value string, allowed ...string) error {
		if value == "" {
			return nil
		}
		for _, a := range allowed {
			if strings.EqualFold(value, a) {
				return nil
			}
		}
		return diag.At(file, lineOfKey(data, key), "%s: %q is not one of %s", key, value, strings.Join(allowed, ", "))
	}
	if err := check("mode", c.CrossLinks.Mode, "first-per-section", "first-per-page", "all"); err != nil {
		return err
	}
	if err := check("content", c.Cheatsheet.Content, "all", "tips"); err != nil {
		return err
	}
	if err := check("paper", c.Cheatsheet.Paper, "A4", "Letter"); err != nil {
		return err
	}
	if err := check("orientation", c.Cheatsheet.Orientation, "landscape", "portrait"); err != nil {
		return err
	}
	if c.Cheatsheet.Columns < 0 || c.Cheatsheet.Columns > 6 {
		return diag.At(file, lineOfKey(data, "columns"), "columns: %d is out of range (1 to 6)", c.Cheatsheet.Columns)
	}
	if c.BaseURL != "" && !strings.Contains(c.BaseURL, "://") && !strings.HasPrefix(c.BaseURL, "/") {
		return diag.At(file, lineOfKey(data, "base_url"), "base_url: %q must be an absolute URL such as https://user.github.io/notes/", c.BaseURL)
	}
	for _, k := range c.TipBoxes.Custom {
		if k.Name == "" {
			return diag.At(file, lineOfKey(data, "custom"), "tipboxes.custom: every kind needs a name")
		}
	}
	return nil
}

// lineOfKey finds the first line that sets key, for errors found after decoding.
func lineOfKey(data []byte, key string) int {
	for i, line := range strings.Split(string(data), "\n") {
		t := strings.TrimLeft(line, " -")
		if strings.HasPrefix(t, key+":") {
			return i + 1
		}
	}
	return 0
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
var unknownField = regexp.MustCompile(`^field (\S+) not found in type \S+$`)

// YAMLError turns an error of the YAML decoder into diagnostics naming file and line; lineOffset is added to
// the decoder's line numbers (front matter starts after the opening ---). It is shared by front matter and
// catalog parsing so that every YAML mistake reads the same way.
func YAMLError(file string, lineOffset int, err error) error {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	var out []error
	for _, m := range msgs {
		// A few decoder errors (a bad % directive, say) carry no line; the first line of the YAML is
		// then the best place to look, and still names the file's line for an editor to jump to.
		line := 1 + lineOffset
		if g := yamlLine.FindStringSubmatch(m); g != nil {
			line, _ = strconv.Atoi(g[1])
			line += lineOffset
			m = g[2]
		}
		m = strings.TrimPrefix(m, "yaml: ")
		if g := unknownField.FindStringSubmatch(m); g != nil {
			m = fmt.Sprintf("unknown key %q", g[1])
		} else if strings.Contains(m, "cannot unmarshal") {
			m = strings.Replace(m, "cannot unmarshal", "wrong type: cannot use", 1)
		} else {
			m = "invalid YAML: " + m
		}
		out = append(out, diag.At(file, line, "%s", m))
	}
	return errors.Join(out...)
}
