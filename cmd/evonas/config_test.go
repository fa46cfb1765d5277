package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/evonas/evonas/configs"
)

// parseShown parses what `config show` printed.
func parseShown(t *testing.T, stdout string) configs.Config {
	t.Helper()
	cfg, err := configs.Parse([]byte(stdout), "shown.yaml")
	if err != nil {
		t.Fatalf("configs.Parse rejects the output of config show: %v\n%s", err, stdout)
	}
	return cfg
}

func TestConfigShow(t *testing.T) {
	dir := t.TempDir()
	// A file that sets only the name gets every other key from Default.
	defaults := writeTestFile(t, dir, "defaults.yaml", "name: default\n")
	partial := writeTestFile(t, dir, "partial.yaml", "evolution:\n  population: 7\n")

	shipped := func(name string) configs.Config {
		cfg, err := configs.LoadNamed(name)
		if err != nil {
			t.Fatalf("configs.LoadNamed(%q): %v", name, err)
		}
		if cfg.Data.Name == "seed-sum" { // shown with its own split (TestConfigShowSplit)
			cfg.Data.Split = configs.Split{Train: 1000.0 / 1400, Val: 200.0 / 1400, Test: 200.0 / 1400}
		}
		return cfg
	}
	withPopulation := configs.Default()
	withPopulation.Name = "partial"
	withPopulation.Evolution.Population = 7

	tests := []struct {
		name string
		args []string
		want configs.Config
	}{
		{"no flag is the shipped default", nil, shipped("default")},
		{"file with defaults", []string{"--config", defaults}, configs.Default()},
		{"file overriding one key", []string{"--config", partial}, withPopulation},
	}
	for _, name := range configs.Embedded() {
		tests = append(tests, struct {
			name string
			args []string
			want configs.Config
		}{"shipped " + name, []string{"--config", name}, shipped(name)})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := evonas(t, append([]string{"config", "show"}, tc.args...)...)
			if code != exitOK {
				t.Fatalf("exit %d, want 0; stderr: %s", code, stderr)
			}
			if got := parseShown(t, stdout); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("config show %v:\ngot  %+v\nwant %+v", tc.args, got, tc.want)
			}
			// Every key is written out, so the output does not depend on
			// the defaults of the evonas that reads it.
			for _, key := range configs.Keys() {
				leaf := key[strings.LastIndexByte(key, '.')+1:]
				if !strings.Contains(stdout, leaf+":") {
					t.Errorf("output lacks key %s", key)
				}
			}
		})
	}
}

func TestConfigShowErrors(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"unknown config", []string{"--config", "no-such-config"}, "no-such-config"},
		{"missing file", []string{"--config", "nowhere/run.yaml"}, "nowhere/run.yaml"},
		{"two arguments", []string{"default", "seed"}, `unexpected argument "seed"`},
		{"argument and flag", []string{"--config", "seed", "default"}, "not both"},
		{"unknown flag", []string{"--population", "3"}, "population"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := evonas(t, append([]string{"config", "show"}, tc.args...)...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if !strings.Contains(stderr, tc.wantErr) {
				t.Errorf("stderr %q does not contain %q", stderr, tc.wantErr)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	dir := t.TempDir()
	good := writeTestFile(t, dir, "good.yaml", "data:\n  name: iris\nevolution:\n  population: 8\n")
	good2 := writeTestFile(t, dir, "good2.yaml", "seed: 3\n")
	typo := writeTestFile(t, dir, "typo.yaml", "data:\n  name: iris\nevolution:\n  population: 8\n  mutaton_rate: 0.5\n")
	pop0 := writeTestFile(t, dir, "pop0.yaml", "seed: 2\n\nevolution:\n  population: 0\n")
	tab := writeTestFile(t, dir, "tab.yaml", "seed: 2\nevolution:\n\tpopulation: 8\n")
	missing := filepath.Join(dir, "missing.yaml")

	tests := []struct {
		name    string
		files   []string
		code    int
		stdout  string   // exactly
		wantErr []string // each in stderr
		lines   int      // of stderr, when there is an error
	}{
		{"good", []string{good}, exitOK, good + ": ok\n", nil, 1},
		{"two good", []string{good, good2}, exitOK, good + ": ok\n" + good2 + ": ok\n", nil, 1},
		{"unknown key", []string{typo}, exitUsage, "",
			[]string{typo + ":5: evolution.mutaton_rate: unknown key (did you mean mutation_rate?)"}, 1},
		{"population 0", []string{pop0}, exitUsage, "",
			[]string{pop0 + ":4: evolution.population: must be >= 2, got 0"}, 1},
		{"malformed YAML", []string{tab}, exitUsage, "",
			[]string{tab + ":3: malformed YAML"}, 1},
		// Every file is checked, each bad one on its own line.
		{"checks every file", []string{good, pop0, typo, missing, dir, good2}, exitUsage, good + ": ok\n" + good2 + ": ok\n",
			[]string{"evonas: " + pop0 + ":4: evolution.population", "\nevonas: " + typo + ":5: evolution.mutaton_rate", "\nevonas: " + missing + ": no such file", "\nevonas: config validate: " + dir + " is a directory\n"}, 4},
		{"missing file", []string{missing}, exitUsage, "", []string{missing}, 1},
		{"directory", []string{dir}, exitUsage, "", []string{dir, "is a directory"}, 1},
		{"no file", nil, exitUsage, "", []string{"no file"}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := evonas(t, append([]string{"config", "validate"}, tc.files...)...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.code, stderr)
			}
			if stdout != tc.stdout {
				t.Errorf("stdout %q, want %q", stdout, tc.stdout)
			}
			if tc.wantErr == nil {
				if stderr != "" {
					t.Errorf("stderr %q, want nothing", stderr)
				}
				return
			}
			if n, want := strings.Count(stderr, "\n"), tc.lines; n != want {
				t.Errorf("stderr has %d lines, want %d: %q", n, want, stderr)
			}
			for _, want := range tc.wantErr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr %q does not contain %q", stderr, want)
				}
			}
		})
	}
}

func TestConfigInit(t *testing.T) {
	t.Chdir(t.TempDir())
	want := string(configs.InitText())
	read := func(t *testing.T, path string) string {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	t.Run("default file", func(t *testing.T) {
		stdout := mustRun(t, "config", "init")
		if got := read(t, defaultInitFile); got != want {
			t.Errorf("%s holds %q, want InitText", defaultInitFile, got)
		}
		if !strings.Contains(stdout, defaultInitFile) || !strings.Contains(stdout, "not the default search: --config default") {
			t.Errorf("stdout %q does not name %s and say it holds the built-in defaults", stdout, defaultInitFile)
		}
	})

	t.Run("loads and validates", func(t *testing.T) {
		path := filepath.Join("sub", "run.yaml")
		if err := os.Mkdir("sub", 0o755); err != nil {
			t.Fatal(err)
		}
		mustRun(t, "config", "init", path)
		if got := mustRun(t, "config", "validate", path); got != path+": ok\n" {
			t.Errorf("validate printed %q, want %q", got, path+": ok\n")
		}
		// What evolve --config loads.
		cfg, err := configs.LoadNamed(path)
		if err != nil {
			t.Fatalf("configs.LoadNamed: %v", err)
		}
		d := configs.Default()
		d.Name = "run"
		if !reflect.DeepEqual(cfg, d) {
			t.Errorf("loaded %+v, want Default named run %+v", cfg, d)
		}
		if matches, _ := filepath.Glob(filepath.Join("sub", ".*")); len(matches) > 0 {
			t.Errorf("temporary files left behind: %v", matches)
		}
	})

	t.Run("from a config", func(t *testing.T) {
		if out := mustRun(t, "config", "init", "--config", "default", "from.yaml"); !strings.Contains(out, "wrote from.yaml (config default)") {
			t.Errorf("stdout %q does not say the file holds config default", out)
		}
		got, err := configs.LoadNamed("from.yaml")
		if err != nil {
			t.Fatalf("configs.LoadNamed: %v", err)
		}
		want, err := configs.LoadNamed("default")
		if err != nil {
			t.Fatal(err)
		}
		want.Name = "from"
		if !reflect.DeepEqual(got, want) {
			t.Errorf("init --config default loads as\n%+v\nwant the shipped default named from\n%+v", got, want)
		}
		_, stderr, code := evonas(t, "config", "init", "--config", "nosuch", "bad.yaml")
		if code != exitUsage || !strings.Contains(stderr, "nosuch") {
			t.Errorf("init --config nosuch: exit %d, stderr %q; want %d naming nosuch", code, stderr, exitUsage)
		}
		if _, err := os.Stat("bad.yaml"); err == nil {
			t.Error("init --config nosuch wrote bad.yaml")
		}
	})

	t.Run("refuses to overwrite", func(t *testing.T) {
		const mine = "seed: 42\n"
		path := writeTestFile(t, ".", "mine.yaml", mine)
		stdout, stderr, code := evonas(t, "config", "init", path)
		if code != exitUsage {
			t.Errorf("exit %d, want %d", code, exitUsage)
		}
		for _, s := range []string{path, "already exists", "--force"} {
			if !strings.Contains(stderr, s) {
				t.Errorf("stderr %q does not contain %q", stderr, s)
			}
		}
		if stdout != "" {
			t.Errorf("stdout %q, want nothing", stdout)
		}
		if got := read(t, path); got != mine {
			t.Errorf("file changed to %q", got)
		}
	})

	t.Run("force overwrites", func(t *testing.T) {
		path := writeTestFile(t, ".", "old.yaml", "seed: 42\n")
		mustRun(t, "config", "init", "--force", path)
		if got := read(t, path); got != want {
			t.Errorf("file holds %q, want InitText", got)
		}
	})

	t.Run("stdout", func(t *testing.T) {
		before, _ := os.ReadDir(".")
		if got := mustRun(t, "config", "init", "-"); got != want {
			t.Errorf("printed %q, want InitText", got)
		}
		if after, _ := os.ReadDir("."); len(after) != len(before) {
			t.Errorf("init - created a file: %d entries, had %d", len(after), len(before))
		}
	})

	if err := os.Mkdir("adir", 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"two files", []string{"a.yaml", "b.yaml"}, `unexpected argument "b.yaml"`},
		{"unknown flag after the file", []string{"c.yaml", "--forse"}, "unknown flag --forse (did you mean --force?)"},
		{"no such directory", []string{filepath.Join("nowhere", "run.yaml")}, "does not exist"},
		{"directory", []string{"adir"}, "already exists"},
		{"forced over a directory", []string{"--force", "adir"}, "is a directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := evonas(t, append([]string{"config", "init"}, tc.args...)...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if !strings.Contains(stderr, tc.wantErr) {
				t.Errorf("stderr %q does not contain %q", stderr, tc.wantErr)
			}
			for _, name := range []string{"a.yaml", "c.yaml"} {
				if _, err := os.Stat(name); err == nil {
					t.Errorf("%s was written", name)
				}
			}
		})
	}
}

func TestConfigList(t *testing.T) {
	stdout := mustRun(t, "config", "list")
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	names := configs.Embedded()
	if len(lines) != len(names)+1 {
		t.Fatalf("%d lines, want a header and %d configs:\n%s", len(lines), len(names), stdout)
	}
	for i, name := range names {
		data, err := configs.ReadEmbedded(name)
		if err != nil {
			t.Fatal(err)
		}
		// The description is the opening comment's first sentence, whole.
		first, _, _ := strings.Cut(string(data), "\n")
		start := strings.TrimSpace(strings.TrimPrefix(first, "#"))
		if start == "" {
			t.Errorf("shipped config %s does not start with a comment", name)
		}
		fields := strings.Fields(lines[i+1])
		desc := strings.TrimSpace(strings.TrimPrefix(lines[i+1], name))
		if len(fields) == 0 || fields[0] != name || !strings.HasPrefix(desc, start) || !strings.HasSuffix(desc, ".") {
			t.Errorf("line %d is %q, want %s and a sentence starting %q", i+2, lines[i+1], name, start)
		}
	}
}

func TestConfigUsage(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		code    int
		wantOut string
		wantErr string
	}{
		{"help", []string{"config"}, exitOK, "validate", ""},
		{"unknown subcommand", []string{"config", "check"}, exitUsage, "", `config: unknown command "check" (want show, validate, init or list)`},
		{"list argument", []string{"config", "list", "default"}, exitUsage, "", `unexpected argument "default"`},
		{"init unknown flag", []string{"config", "init", "--overwrite"}, exitUsage, "", "overwrite"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := evonas(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.code, stderr)
			}
			if !strings.Contains(stdout, tc.wantOut) {
				t.Errorf("stdout %q does not contain %q", stdout, tc.wantOut)
			}
			if !strings.Contains(stderr, tc.wantErr) {
				t.Errorf("stderr %q does not contain %q", stderr, tc.wantErr)
			}
		})
	}
}
