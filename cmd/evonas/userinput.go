package main

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/configs"
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
		return fmt.Sprintf(" (did you mean evonas resume %s?)", run.ShellQuote(arg))
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

// unknownCommand is the error of a name that is none of the commands cmds
// of parent ("" for evonas itself): it names the closest command if one is
// close enough to be a typo, else the commands there are.
func unknownCommand(parent, name string, cmds []*cli.Command) error {
	var names []string
	for _, c := range cmds {
		if c.Name != "help" {
			names = append(names, c.Name)
		}
	}
	hint := "run evonas help"
	if parent != "" {
		hint = "want " + orList(names)
	}
	if s := configs.Suggest(name, names); s != "" {
		hint = "did you mean " + s + "?"
	}
	if parent == "" {
		return usagef("unknown command %q (%s)", name, hint)
	}
	return usagef("%s: unknown command %q (%s)", parent, name, hint)
}

// orList is "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// The messages of Go's flag package, with which urfave/cli parses.
var (
	undefinedFlag = regexp.MustCompile(`^flag provided but not defined: -(.*)$`)
	badFlagValue  = regexp.MustCompile(`^invalid (?:boolean )?value (".*") for (?:flag )?-([^:]*): (.*)$`)
	flagNoValue   = regexp.MustCompile(`^flag needs an argument: -(.*)$`)
)

// flagError restates an error of Go's flag package in the terms of the
// command line: the flag as it is typed (--name, not -name), what its value
// should be, and for a flag the command does not have, the closest it has.
func flagError(c *cli.Context, err error) error {
	var flags []cli.Flag
	cmd := ""
	if c != nil && c.Command != nil {
		flags = c.Command.Flags
		cmd = strings.TrimPrefix(c.Command.HelpName, c.App.Name)
		cmd = strings.TrimSpace(cmd)
	}
	msg := err.Error()
	if m := undefinedFlag.FindStringSubmatch(msg); m != nil {
		var names []string
		for _, f := range flags {
			names = append(names, f.Names()...)
		}
		hint := "evonas " + cmd + " --help lists them"
		if cmd == "" {
			hint = "evonas --help lists them"
		}
		if s := configs.Suggest(m[1], names); s != "" {
			hint = "did you mean " + dashed(s) + "?"
		}
		if cmd != "" {
			cmd += ": "
		}
		return fmt.Errorf("%sunknown flag %s (%s)", cmd, dashed(m[1]), hint)
	}
	if m := flagNoValue.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("%s needs a value", dashed(m[1]))
	}
	m := badFlagValue.FindStringSubmatch(msg)
	if m == nil {
		return err
	}
	value, name := m[1], m[2]
	if m[3] == "value out of range" {
		v, _ := strconv.Unquote(value)
		return fmt.Errorf("%s: %s is out of range", dashed(name), v)
	}
	want := "not valid"
	switch findFlag(flags, name).(type) {
	case *cli.IntFlag:
		want = "not a whole number"
	case *cli.Uint64Flag:
		want = "not a whole number from 0 to " + strconv.FormatUint(math.MaxUint64, 10)
	case *cli.Float64Flag:
		want = "not a number"
	case *cli.DurationFlag:
		want = "not a duration, such as 30s, 5m or 1h"
	case *cli.BoolFlag:
		want = "not true or false"
	}
	return fmt.Errorf("%s: %s is %s", dashed(name), value, want)
}

// dashed is a flag's name as it is typed: -h, --help.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}
