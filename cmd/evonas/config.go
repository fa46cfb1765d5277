package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/model"
	"github.com/evonas/evonas/run"
)

// defaultInitFile is where `config init` writes when given no file.
const defaultInitFile = "evonas.yaml"

func configCommand() *cli.Command {
	return &cli.Command{
		Name:  "config",
		Usage: "show, check, write and list run configs",
		Subcommands: []*cli.Command{
			{
				Name:      "show",
				Usage:     "print the effective config, every key filled in, as YAML",
				ArgsUsage: "[CONFIG]",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "config", Value: "default", Usage: "a YAML file or a shipped config (" + strings.Join(configs.Embedded(), ", ") + ")"},
				},
				Before: maxArgs(1),
				Action: configShow,
			},
			{
				Name:      "validate",
				Usage:     "check config files or shipped configs; print NAME: ok for each valid one",
				ArgsUsage: "CONFIG...",
				Action:    configValidate,
			},
			{
				Name:      "init",
				Usage:     "write a commented config to FILE (default " + defaultInitFile + "; - for stdout): every key with its built-in default, or --config's values",
				ArgsUsage: "[FILE]",
				Flags: []cli.Flag{
					&cli.BoolFlag{Name: "force", Aliases: []string{"f"}, Usage: "overwrite FILE if it exists"},
					&cli.StringFlag{Name: "config", Usage: "start from this config (a file or a shipped name; default: the built-in defaults); e.g. --config default for the search evolve runs without --config"},
				},
				Before: maxArgs(1),
				Action: configInit,
			},
			{
				Name:   "list",
				Usage:  "list the shipped configs",
				Before: maxArgs(0),
				Action: configList,
			},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return unknownCommand("config", c.Args().First(), c.Command.Subcommands)
			}
			return cli.ShowSubcommandHelp(c)
		},
	}
}

// maxArgs rejects more than n positional arguments. Flags must come before
// arguments, since flag parsing stops at the first argument, so a flag
// after one is reported as such.
func maxArgs(n int) cli.BeforeFunc {
	return func(c *cli.Context) error {
		if c.NArg() <= n {
			return nil
		}
		arg := c.Args().Get(n)
		hint := ""
		if len(arg) > 1 && arg[0] == '-' {
			hint = " (flags go before arguments)"
		}
		return usagef("config %s: unexpected argument %q%s", c.Command.Name, arg, hint)
	}
}

// configShow prints the config that `evolve --config` would run with.
func configShow(c *cli.Context) error {
	if c.NArg() == 1 {
		if c.IsSet("config") {
			return usagef("config show: give the config as --config or as an argument, not both")
		}
		if err := c.Set("config", c.Args().First()); err != nil {
			return err
		}
	}
	cfg, err := loadConfig(c)
	if err != nil {
		return err
	}
	y, err := cfg.YAML()
	if err != nil {
		return err
	}
	_, err = c.App.Writer.Write(y)
	return err
}

// configValidate checks every file, printing "FILE: ok" for each valid one
// and the error of each bad one on its own line of stderr; any bad file is
// a usage error.
func configValidate(c *cli.Context) error {
	if c.NArg() == 0 {
		return usagef("config validate: no file given (usage: evonas config validate FILE...)")
	}
	bad := 0
	for _, file := range c.Args().Slice() {
		err := validateOne(c, file)
		if err == nil {
			continue
		}
		if exitCode(err) != exitUsage {
			return err // not the file's fault: a write that failed
		}
		bad++
		fmt.Fprintf(c.App.ErrWriter, "evonas: %s\n", errorLine(err))
	}
	if bad > 0 {
		return printedError{fmt.Errorf("config validate: %d of %d configs are not valid", bad, c.NArg())}
	}
	return nil
}

// validateOne checks one config file or shipped name and prints "FILE: ok"
// and its notes.
func validateOne(c *cli.Context, file string) error {
	if st, err := os.Stat(file); err == nil && st.IsDir() {
		return usagef("config validate: %s is a directory", file)
	}
	cfg, err := configs.LoadNamed(file)
	if err != nil {
		return err
	}
	return cfg.WriteValid(c.App.Writer, file)
}

// configInit writes the commented default config, never over an existing
// file unless forced.
func configInit(c *cli.Context) error {
	file := defaultInitFile
	if c.NArg() > 0 {
		file = c.Args().First()
	}
	if file == "" {
		return usagef("config init: empty file name")
	}
	text := configs.InitText()
	if c.IsSet("config") {
		cfg, err := configs.LoadNamed(c.String("config"))
		if err != nil {
			return err
		}
		if text, err = configs.InitTextOf(cfg); err != nil {
			return err
		}
	}
	if file == "-" {
		_, err := c.App.Writer.Write(text)
		return err
	}
	if _, err := os.Lstat(file); err == nil && !c.Bool("force") {
		return usagef("config init: %s already exists; use --force to overwrite it", file)
	}
	if err := run.CheckWritable(file); err != nil {
		return err
	}
	if err := model.WriteFileAtomic(file, text); err != nil {
		return err
	}
	from := "the built-in defaults, not the default search: --config default starts from that"
	if c.IsSet("config") {
		from = "config " + c.String("config")
	}
	_, err := fmt.Fprintf(c.App.Writer, "wrote %s (%s); edit it, then run: evonas evolve --config %s\n", file, from, run.ShellQuote(file))
	return err
}

// configList prints each shipped config with the first sentence of its
// leading comment.
func configList(c *cli.Context) error {
	return configs.WriteList(c.App.Writer)
}
