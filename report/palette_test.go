package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evonas/evonas/fitness"
)

// TestPlotsUsePalette: the report's plots draw the i-th strategy in
// Palette[i], the colour the dashboard gives it (ui serves Palette as
// palette.js): curves.svg's lines and final's boxes, and no other
// strategy colour. They were plotutil's red and green while the page drew
// blue and orange.
func TestPlotsUsePalette(t *testing.T) {
	c := comparison(t, 2, func(s, seed int) []fitness.Record {
		return []fitness.Record{scored("a", 0.6+0.1*float64(s), 10), scored("b", 0.7+0.05*float64(seed), 20)}
	})
	dir := t.TempDir()
	curvesSVG, finalSVG := filepath.Join(dir, "curves.svg"), filepath.Join(dir, "final.svg")
	if err := Curves(c, curvesSVG); err != nil {
		t.Fatal(err)
	}
	if err := Boxes(c, finalSVG); err != nil {
		t.Fatal(err)
	}
	hex := PaletteHex()
	for _, f := range []struct{ path, style string }{{curvesSVG, "stroke:"}, {finalSVG, "fill:"}} {
		b, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range c.Strategies {
			if want := f.style + strings.ToUpper(hex[i]); !strings.Contains(string(b), want) {
				t.Errorf("%s: strategy %d (%s) is not drawn in Palette[%d] (no %q)", filepath.Base(f.path), i, s.Name, i, want)
			}
		}
		for _, old := range []string{"#F15A60", "#7AC36A"} { // plotutil's soft red and green
			if strings.Contains(string(b), old) {
				t.Errorf("%s still draws in %s, not the shared palette", filepath.Base(f.path), old)
			}
		}
	}
	if hex[0] != "#1d4ed8" || Color(len(Palette)) != Palette[0] || Color(-1) != Palette[len(Palette)-1] {
		t.Errorf("PaletteHex %v, Color wraps to %v and %v", hex, Color(len(Palette)), Color(-1))
	}
}

// TestSVGTextKeepsWidth: every text of an SVG plot carries the width the
// layout gave it, so that a viewer without the Liberation fonts does not
// draw it past the image's edge, and the SVG is the same bytes each time.
func TestSVGTextKeepsWidth(t *testing.T) {
	c := comparison(t, 2, func(s, seed int) []fitness.Record {
		return []fitness.Record{scored("a", 0.6+0.1*float64(s), 10), scored("b", 0.7+0.05*float64(seed), 20)}
	})
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.svg"), filepath.Join(dir, "b.svg")
	if err := Curves(c, a); err != nil {
		t.Fatal(err)
	}
	if err := Curves(c, b); err != nil {
		t.Fatal(err)
	}
	x, _ := os.ReadFile(a)
	y, _ := os.ReadFile(b)
	if string(x) != string(y) {
		t.Error("curves.svg differs between two drawings of the same comparison")
	}
	texts := strings.Count(string(x), "<text ")
	if n := strings.Count(string(x), `<text textLength="`); texts < 5 || n != texts {
		t.Errorf("curves.svg: %d of %d texts have a textLength", n, texts)
	}
	if !strings.Contains(string(x), `<text textLength="368.19" lengthAdjust="spacingAndGlyphs"`) {
		t.Error("curves.svg's title does not keep its width, 368.19 points (Liberation Serif, 12 points)")
	}
}
