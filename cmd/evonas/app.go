package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/model"
	"github.com/evonas/evonas/queue"
	"github.com/evonas/evonas/run"
)

// Exit statuses.
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2   // a usage or input error
	exitInterrupted = 130 // stopped by SIGINT or SIGTERM
)

// usageError marks an error as the user's: a bad flag, argument or input.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// printedError is the user's error of a command that has printed its
// errors on stderr itself, one line each (config validate, one per bad
// file): nothing more is printed.
type printedError struct{ err error }

func (e printedError) Error() string { return e.err.Error() }
func (e printedError) Unwrap() error { return e.err }

// optionError is the error of a library's check of its options
// (network.OptionError, dataset.OptionError, ...): the option, and what is
// wrong with its value.
type optionError interface {
	error
	Option() string
	Unwrap() error
}

// asFlagError restates a library's option error as its flag's, whose name
// is the option's with "-" for "_": "--epochs: want at least 1, got 0".
func asFlagError(err error) error {
	var oe optionError
	if !errors.As(err, &oe) {
		return err
	}
	return usagef("--%s: %v", strings.ReplaceAll(oe.Option(), "_", "-"), oe.Unwrap())
}

// exitCode maps an error to the command's exit status.
func exitCode(err error) int {
	var (
		ue usageError
		ie *dataset.InputError
		fe *model.FormatError
		pe *fs.PathError
		re *run.InputError
		ce *configs.Error
		qe *queue.URLError
	)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.As(err, &ue), errors.As(err, &printedError{}), errors.As(err, &ie), errors.As(err, &fe), errors.As(err, &re), errors.As(err, &ce), errors.As(err, &qe):
		return exitUsage
	case errors.As(err, &pe) && (errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EISDIR)):
		return exitUsage
	}
	return exitFailure
}

// notFoundKey is the app.Metadata key of the error of a command name that
// does not exist.
const notFoundKey = "notFound"

// runMain runs the command line and returns its exit status; errors are
// printed as one line on stderr.
func runMain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	run.Version = version()
	app := newApp(stdout, stderr)
	app.Metadata = map[string]any{"args": args}
	err := app.RunContext(ctx, interspersed(app, args))
	if nf, ok := app.Metadata[notFoundKey].(error); ok && err == nil {
		err = nf
	}
	err = asFlagError(err)
	if err != nil && !errors.As(err, &printedError{}) {
		fmt.Fprintf(stderr, "evonas: %s\n", errorLine(err))
	}
	return exitCode(err)
}

// errorLine is an error as one line: its first.
func errorLine(err error) string {
	msg := strings.TrimSpace(err.Error())
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return msg
}

func newApp(stdout, stderr io.Writer) *cli.App {
	onUsage := func(c *cli.Context, err error, _ bool) error { return usageError{flagError(c, err)} }
	app := &cli.App{
		Name:                 "evonas",
		Usage:                "neural architecture search with a genetic algorithm",
		Version:              version(),
		Writer:               stdout,
		ErrWriter:            stderr,
		EnableBashCompletion: false,
		Suggest:              true,
		// Repeated flags are lists; a value keeps its commas (sweep --set k=1,2).
		DisableSliceFlagSeparator: true,
		OnUsageError:              onUsage,
		ExitErrHandler:            func(*cli.Context, error) {}, // run maps errors to exit statuses
		Commands: []*cli.Command{
			evolveCommand(),
			randomCommand(),
			compareCommand(),
			sweepCommand(),
			resumeCommand(),
			reportCommand(),
			trainCommand(),
			predictCommand(),
			exportCommand(),
			datasetsCommand(),
			configCommand(),
			workerCommand(),
			queueCommand(),
			tableCommand(),
			uiCommand(),
		},
	}
	// A bad flag is a usage error (exit status 2) in every command and
	// subcommand.
	var setUsage func([]*cli.Command)
	setUsage = func(cmds []*cli.Command) {
		for _, c := range cmds {
			c.OnUsageError = onUsage
			setUsage(c.Subcommands)
		}
	}
	setUsage(app.Commands)
	// urfave/cli calls CommandNotFound for `evonas help NAME`, and for
	// `evonas table NAME` (a command with subcommands and no action of its
	// own), then returns no error: runMain makes it one.
	app.CommandNotFound = func(c *cli.Context, name string) {
		parent, cmds := "", c.App.Commands
		if c.Command != nil && c.Command.Name != "" && c.Command.Name != c.App.Name {
			parent, cmds = c.Command.Name, c.Command.Subcommands
		}
		c.App.Metadata[notFoundKey] = unknownCommand(parent, name, cmds)
	}
	app.Action = func(c *cli.Context) error {
		if c.NArg() > 0 {
			return unknownCommand("", c.Args().First(), c.App.Commands)
		}
		return cli.ShowAppHelp(c)
	}
	return app
}

// noArgs rejects positional arguments a command does not take.
func noArgs(c *cli.Context) error {
	if c.NArg() > 0 {
		return usagef("%s: unexpected argument %q%s", c.Command.Name, c.Args().First(), strayHint(c.Command, c.Args().First()))
	}
	return nil
}

// buildVersion is the version make build stamps into the binary (git
// describe), for builds Go cannot stamp itself: a git worktree, whose .git
// is a file, or GOFLAGS=-buildvcs=false.
var buildVersion string

// version is the stamped version, else the module version, else the VCS
// revision a development build was made from.
func version() string {
	bi, _ := debug.ReadBuildInfo()
	return versionOf(buildVersion, bi)
}

func versionOf(stamped string, bi *debug.BuildInfo) string {
	if stamped != "" {
		return stamped
	}
	if bi == nil {
		return "unknown"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", ""
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if rev == "" {
		return "devel (no version control information: build with make build)"
	}
	return "devel " + rev[:min(12, len(rev))] + dirty
}
