package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/run"
)

// strayHint says what a positional argument a command does not take was
// probably meant to be, among the flags the command has.
func strayHint(cmd *cli.Command, arg string) string {
	if strings.HasPrefix(arg, "-") && len(arg) > 1 {
		return ""
	}
	switch kind := run.Guess(arg); {
	case kind == "run":
		return fmt.Sprintf(" (did you mean evonas resume %s?)", arg)
	case kind != "" && findFlag(cmd.Flags, kind) != nil:
		return fmt.Sprintf(" (did you mean --%s %s?)", kind, arg)
	}
	return ""
}

// interspersed moves the flags that follow a command's positional
// arguments in front of them: urfave/cli stops parsing flags at the first
// argument, and `evonas resume DIR --workers 2` is how people type. Flags
// are found by the command's own definitions (a flag that is not boolean
// takes the next argument as its value); "--" ends the flags.
//
// A --help (or -h) among the flags drops the arguments: urfave/cli takes
// the first argument of `evonas resume DIR --help` for a subcommand to
// describe, finds none, and prints nothing.
//
// It also turns `evonas help CMD` for a command with subcommands into
// `evonas CMD --help`, which lists them (urfave/cli's help command prints
// such a command without its subcommands).
func interspersed(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	if (args[1] == "help" || args[1] == "h") && len(args) > 2 {
		if c := findCommand(app.Commands, args[2]); c != nil && len(c.Subcommands) > 0 {
			return append(append([]string{args[0]}, args[2:]...), "--help")
		}
	}
	cmds := app.Commands
	i := 1
	var cmd *cli.Command
	for i < len(args) {
		next := findCommand(cmds, args[i])
		if next == nil {
			break
		}
		cmd, cmds = next, next.Subcommands
		i++
	}
	if cmd == nil || len(cmd.Subcommands) > 0 {
		return args
	}
	var flags, positional []string
	for j := i; j < len(args); j++ {
		a := args[j]
		if a == "--" {
			positional = append(positional, args[j:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			positional = append(positional, a)
			continue
		}
		name := strings.TrimLeft(a, "-")
		if name == "help" || name == "h" {
			return append(append([]string(nil), args[:i]...), "--help")
		}
		flags = append(flags, a)
		if strings.Contains(name, "=") {
			continue
		}
		if f := findFlag(cmd.Flags, name); f != nil && takesValue(f) && j+1 < len(args) {
			flags = append(flags, args[j+1])
			j++
		}
	}
	out := append([]string(nil), args[:i]...)
	return append(append(out, flags...), positional...)
}

func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.Name == name || slices.Contains(c.Aliases, name) {
			return c
		}
	}
	return nil
}

func findFlag(flags []cli.Flag, name string) cli.Flag {
	for _, f := range flags {
		if slices.Contains(f.Names(), name) {
			return f
		}
	}
	return nil
}

func takesValue(f cli.Flag) bool {
	switch f.(type) {
	case *cli.BoolFlag:
		return false
	}
	return true
}
