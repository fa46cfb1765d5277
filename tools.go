//go:build tools

// Package tools pins dependencies that packages will import; removed once they do.
package tools

import (
	_ "github.com/MaxHalford/eaopt"
	_ "github.com/schollz/progressbar/v3"
	_ "github.com/urfave/cli/v2"
	_ "go.yaml.in/yaml/v3"
	_ "gonum.org/v1/gonum/mat"
)
