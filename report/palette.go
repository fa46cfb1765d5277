package report

import (
	"fmt"
	"image/color"
)

// Palette is the colours of the series of every plot evonas draws, in
// order: the i-th strategy of a comparison is Palette[i] (wrapping round)
// in the report's plots (curves, final, hypervolume) and on the
// dashboard's pages alike, which take it from here (package ui serves it
// as palette.js), so a strategy has one colour wherever it is drawn. Its
// first two are also a search's best so far (blue) and Pareto front
// (orange).
var Palette = []color.NRGBA{
	{R: 0x1d, G: 0x4e, B: 0xd8, A: 0xff}, // blue
	{R: 0xc2, G: 0x41, B: 0x0c, A: 0xff}, // orange
	{R: 0x15, G: 0x80, B: 0x3d, A: 0xff}, // green
	{R: 0x7e, G: 0x22, B: 0xce, A: 0xff}, // purple
	{R: 0xb9, G: 0x1c, B: 0x1c, A: 0xff}, // red
	{R: 0x0e, G: 0x74, B: 0x90, A: 0xff}, // teal
	{R: 0xa1, G: 0x62, B: 0x07, A: 0xff}, // ochre
	{R: 0x4d, G: 0x7c, B: 0x0f, A: 0xff}, // olive
}

// Color is the i-th series' colour: Palette[i], wrapping round.
func Color(i int) color.NRGBA {
	n := len(Palette)
	return Palette[(i%n+n)%n]
}

// PaletteHex is Palette as CSS colours, #rrggbb.
func PaletteHex() []string {
	out := make([]string, len(Palette))
	for i, c := range Palette {
		out[i] = fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B)
	}
	return out
}
